"""The ingestion machinery, through the grants dataset of the core as staff and partners use it."""

from __future__ import annotations

import codecs
import io
from datetime import timedelta
from decimal import Decimal

import pandas as pd
import pytest
from django.db import connection
from django.utils import timezone

from cities import ingestion
from cities.datasets import GrantsSchema
from cities.ingestion import (
    Column,
    IngestionError,
    ingest_path,
    ingestion_run_create,
    ingestion_run_execute,
    validate_frame,
)
from cities.models import Dataset, Grant, IngestionRun
from cities.services import ingestion_run_offer
from cities.tasks import ingestion_runs_requeue_task

HEADER = "reference,funder,city,amount,purpose,starts_on,ends_on\n"
NEW_GRANTS = HEADER + (
    "mac-2017-bos,macarthur-foundation,boston,50000.00,Matching research,2017-01-01,2017-12-31\n"
    "mac-2017-stl,macarthur-foundation,st-louis,75000.5,Court reminders,2017-01-01,2018-06-30\n"
)

ACCEPTED = "accepted: utf-8, utf-8 with a byte order mark, utf-16 with a byte order mark"


@pytest.fixture
def grants(demo_data) -> Dataset:
    return Dataset.objects.get(slug="grants")


def offer(dataset: Dataset, content: str | bytes, tmp_path, name: str = "grants.csv") -> IngestionRun:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return ingest_path(dataset=dataset, path=path)


def grant_rows() -> list[tuple]:
    return list(Grant.objects.order_by("reference").values_list("reference", "amount", "city__slug", "ends_on"))


def test_valid_file_creates_its_rows_and_records_the_run(grants, tmp_path):
    run = offer(grants, NEW_GRANTS, tmp_path)

    assert run.status == IngestionRun.Status.SUCCEEDED
    assert (run.rows_read, run.rows_created, run.rows_updated, run.rows_unchanged) == (2, 2, 0, 0)
    assert run.errors == [] and run.error_count == 0
    assert len(run.file_checksum) == 64 and run.file_name == "grants.csv"
    assert run.started_at <= run.finished_at
    stl = Grant.objects.get(reference="mac-2017-stl")
    assert stl.amount == Decimal("75000.50")
    assert stl.city.slug == "st-louis" and stl.funder.slug == "macarthur-foundation"
    assert str(stl.ends_on) == "2018-06-30"


def test_the_same_file_again_changes_nothing(grants, tmp_path):
    offer(grants, NEW_GRANTS, tmp_path)
    before = grant_rows()

    again = offer(grants, NEW_GRANTS, tmp_path)

    assert again.status == IngestionRun.Status.SUCCEEDED
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 0, 2)
    assert grant_rows() == before


def test_changed_rows_are_updated_by_natural_key(grants, tmp_path):
    offer(grants, NEW_GRANTS, tmp_path)

    run = offer(grants, NEW_GRANTS.replace("50000.00", "55000.00"), tmp_path)

    assert (run.rows_created, run.rows_updated, run.rows_unchanged) == (0, 1, 1)
    assert Grant.objects.get(reference="mac-2017-bos").amount == Decimal("55000.00")


def test_a_file_with_bad_rows_changes_nothing_and_names_each_row(grants, tmp_path):
    before = grant_rows()
    content = NEW_GRANTS + (
        "bad-1,nobody,boston,10.00,Unknown funder,2017-01-01,2017-02-01\n"
        "bad-2,living-cities,atlantis,ten,Bad city and amount,2017-31-01,2017-02-01\n"
        "bad-3,living-cities,boston,-5,Negative and backwards,2017-03-01,2017-02-01\n"
        ",living-cities,boston,1.00,No reference,2017-03-01,2017-04-01\n"
    )

    run = offer(grants, content, tmp_path)

    assert run.status == IngestionRun.Status.FAILED
    assert grant_rows() == before
    assert (run.rows_read, run.rows_rejected, run.rows_created) == (6, 4, 0)
    found = {(error["row"], error["column"], error["message"]) for error in run.errors}
    assert (4, "funder", "'nobody' is not a known organisation") in found
    assert (5, "city", "'atlantis' is not a known city") in found
    assert (5, "amount", "'ten' is not a number with at most 2 decimal places") in found
    assert (5, "starts_on", "'2017-31-01' is not a date written like 2016-09-30") in found
    assert (6, "amount", "the amount must be more than zero") in found
    assert (6, "ends_on", "the grant ends before it starts") in found
    assert (7, "reference", "a value is required") in found
    assert run.error_count == len(run.errors) == 7


def test_duplicate_keys_in_one_file_are_refused_naming_both_rows(grants, tmp_path):
    first_row = NEW_GRANTS.splitlines()[1]

    run = offer(grants, NEW_GRANTS + first_row + "\n", tmp_path)

    assert run.status == IngestionRun.Status.FAILED
    assert run.errors == [
        {"row": 4, "column": "reference", "message": "key reference='mac-2017-bos' is already on row 2"}
    ]
    assert not Grant.objects.filter(reference__startswith="mac-").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "reference,funder,city,amount,purpose,starts_on\nx,living-cities,boston,1,p,2017-01-01\n",
            "the file lacks these columns: ends_on",
        ),
        (HEADER, "the file has a header but no data rows"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
            "the file is not text in an accepted encoding: found binary data; " + ACCEPTED,
        ),
        ('{"grants": [{"reference": "x"}]}\n', "the file is not a CSV with the expected columns"),
        (
            HEADER.encode() + "x,living-cities,boston,1,Caf\xe9,2017-01-01,2017-02-01\n".encode("latin-1"),
            "the file is not text in an accepted encoding: found probably cp1250; " + ACCEPTED,
        ),
        (HEADER.replace("purpose", "amount"), "the header names these columns more than once: amount"),
        (
            NEW_GRANTS + "x,living-cities,boston,1.00,p,2017-01-01,2017-02-01,Jane Doe\n",
            "the file is not valid CSV: row 4 has 8 values where the header has 7",
        ),
    ],
    ids=["missing-column", "header-only", "binary", "json", "wrong-encoding", "doubled-column", "ragged-row"],
)
def test_unreadable_files_fail_whole_with_a_reason(grants, tmp_path, content, message):
    before = grant_rows()

    run = offer(grants, content, tmp_path)

    assert run.status == IngestionRun.Status.FAILED
    assert run.errors[0]["row"] is None
    assert run.errors[0]["message"].startswith(message)
    assert "Jane" not in run.errors[0]["message"]
    assert grant_rows() == before


@pytest.mark.parametrize(
    "encoded",
    [
        codecs.BOM_UTF8 + NEW_GRANTS.encode(),
        codecs.BOM_UTF16_LE + NEW_GRANTS.replace("Court", "Caf\u00e9 court").encode("utf-16-le"),
        codecs.BOM_UTF16_BE + NEW_GRANTS.replace("\n", "\r\n").encode("utf-16-be"),
    ],
    ids=["utf-8-bom", "utf-16-le-bom", "utf-16-be-bom-crlf"],
)
def test_a_file_with_a_byte_order_mark_is_read_in_its_encoding(grants, tmp_path, encoded):
    run = offer(grants, encoded, tmp_path)

    assert run.status == IngestionRun.Status.SUCCEEDED, run.errors
    assert (run.rows_read, run.rows_created) == (2, 2)
    assert Grant.objects.get(reference="mac-2017-bos").amount == Decimal("50000.00")
    assert Grant.objects.get(reference="mac-2017-stl").purpose.endswith("reminders")


def test_utf_16_without_a_byte_order_mark_is_named_and_changes_nothing(grants, tmp_path):
    before = grant_rows()

    run = offer(grants, NEW_GRANTS.encode("utf-16-le"), tmp_path)

    assert run.status == IngestionRun.Status.FAILED
    assert run.errors == [
        {
            "row": None,
            "column": None,
            "message": "the file is not text in an accepted encoding: found utf_16_le without a byte order mark; "
            + ACCEPTED,
        }
    ]
    assert grant_rows() == before


@pytest.mark.parametrize(
    ("content", "message"), [(NEW_GRANTS, r"the file is 0\.0 MB; the limit is 0 MB"), ("", "the file is empty")]
)
def test_oversized_and_empty_files_are_refused_before_they_are_stored(grants, tmp_path, settings, content, message):
    settings.INGESTION_MAX_FILE_BYTES = 100
    runs_before = IngestionRun.objects.count()

    with pytest.raises(IngestionError, match=message):
        offer(grants, content, tmp_path)

    assert IngestionRun.objects.count() == runs_before
    assert not Grant.objects.filter(reference__startswith="mac-").exists()


def test_a_catalogued_dataset_without_schema_cannot_be_ingested(demo_data):
    dataset = Dataset.objects.create(slug="catalogued", title="Catalogued only", source="somewhere")

    with pytest.raises(IngestionError, match="only catalogued"):
        ingestion_run_create(dataset=dataset, stream=io.BytesIO(b"a,b\n1,2\n"), file_name="x.csv")
    assert not IngestionRun.objects.filter(dataset=dataset).exists()


def test_executing_a_finished_run_again_changes_nothing(grants, tmp_path):
    run = offer(grants, NEW_GRANTS, tmp_path)

    again = ingestion_run_execute(run_id=run.pk)

    assert (again.status, again.rows_created, again.finished_at) == (run.status, 2, run.finished_at)
    assert Grant.objects.filter(reference__startswith="mac-").count() == 2


def test_a_run_whose_worker_died_mid_way_is_done_again_without_double_rows(grants, tmp_path):
    run = offer(grants, NEW_GRANTS, tmp_path)
    IngestionRun.objects.filter(pk=run.pk).update(status=IngestionRun.Status.RUNNING, finished_at=None)

    redone = ingestion_run_execute(run_id=run.pk)

    assert redone.status == IngestionRun.Status.SUCCEEDED
    assert (redone.rows_created, redone.rows_unchanged) == (0, 2)
    assert Grant.objects.filter(reference__startswith="mac-").count() == 2


def test_an_offered_file_is_ingested_by_a_task_after_commit(grants, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = ingestion_run_offer(dataset=grants, stream=io.BytesIO(NEW_GRANTS.encode()), file_name="offered.csv")

    # The ingestion's task, and once it committed rows, the new version of the cached data.
    assert len(callbacks) == 2
    run.refresh_from_db()
    assert run.status == IngestionRun.Status.SUCCEEDED and run.rows_created == 2


def test_the_orm_writer_counts_like_the_postgresql_writer(grants, tmp_path):
    """SQLite (the embedded mode) writes through the ORM; both must agree."""
    schema = GrantsSchema()
    frame = pd.read_csv(io.StringIO(NEW_GRANTS), dtype=str, keep_default_na=False)
    converted = validate_frame(frame, schema).frame

    created = ingestion._write_with_orm(converted, schema)
    again = ingestion._write_with_orm(converted, schema)

    assert (created.created, created.updated, created.unchanged) == (2, 0, 0)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Grant.objects.get(reference="mac-2017-stl").amount == Decimal("75000.50")


class PersonalPurposeSchema(GrantsSchema):
    columns = tuple(
        Column("purpose", max_length=5, personal=True) if column.name == "purpose" else column
        for column in GrantsSchema.columns
    )
    key = ("purpose",)


def test_values_of_personal_columns_never_appear_in_errors(demo_data):
    frame = pd.read_csv(io.StringIO(NEW_GRANTS + NEW_GRANTS.splitlines()[1] + "\n"), dtype=str, keep_default_na=False)

    errors = validate_frame(frame, PersonalPurposeSchema()).errors

    assert errors, "the long and duplicated purposes must be refused"
    for error in errors:
        assert "Matching" not in error.message and "Court" not in error.message


def test_runs_whose_task_was_lost_are_sent_again(grants):
    lost = ingestion_run_create(dataset=grants, stream=io.BytesIO(NEW_GRANTS.encode()), file_name="lost.csv")
    fresh = ingestion_run_create(dataset=grants, stream=io.BytesIO(NEW_GRANTS.encode()), file_name="fresh.csv")
    IngestionRun.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(hours=1))

    summary = ingestion_runs_requeue_task.delay().get()

    assert summary == {"requeued": [lost.pk]}
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == IngestionRun.Status.SUCCEEDED and lost.rows_created == 2
    assert fresh.status == IngestionRun.Status.QUEUED


class RepeatedReferenceSchema(GrantsSchema):
    repeated_columns = ("reference",)


def test_a_column_the_file_is_known_to_repeat_must_agree_with_its_copy(demo_data):
    content = (
        "reference,funder,city,amount,purpose,starts_on,ends_on,reference\n"
        "r-1,living-cities,boston,1.00,p,2017-01-01,2017-02-01,r-1\n"
        "r-2,living-cities,boston,1.00,p,2017-01-01,2017-02-01,r-9\n"
    )
    frame = ingestion._read_frame(io.BytesIO(content.encode()), RepeatedReferenceSchema(), len(content))

    check = validate_frame(frame, RepeatedReferenceSchema())

    assert [error.as_dict() for error in check.errors] == [
        {"row": 3, "column": "reference", "message": "the copies of the reference column differ"}
    ]
    assert list(check.frame["reference"]) == ["r-1", "r-2"]


def test_a_repeated_column_the_schema_does_not_expect_is_refused(demo_data):
    content = (
        "reference,funder,city,amount,purpose,starts_on,ends_on,reference\nr-1,a,b,1,p,2017-01-01,2017-02-01,r-1\n"
    )

    with pytest.raises(IngestionError, match="more than once: reference"):
        ingestion._read_frame(io.BytesIO(content.encode()), GrantsSchema(), len(content))


class GrantsByYearSchema(GrantsSchema):
    """A wide file, one column of amounts per year, made into one grant per city and year."""

    def file_columns(self, header: list[str]) -> list[str]:
        return ["city", *[name for name in header if name.isdigit()]]

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        years = [name for name in frame.columns if name.isdigit()]
        long = frame.melt(id_vars=["city", ingestion.FILE_ROW], value_vars=years, var_name="year", value_name="amount")
        long["reference"] = long["city"] + "-" + long["year"]
        long["funder"] = "living-cities"
        long["purpose"] = "Yearly grant"
        long["starts_on"] = long["year"] + "-01-01"
        long["ends_on"] = long["year"] + "-12-31"
        return long


def test_a_reshaped_file_still_names_the_file_rows_in_errors(demo_data):
    content = "city,2016,2017,notes\nboston,100.00,200.00,x\nseattle,50.00,lots,y\n"
    frame = ingestion._read_frame(io.BytesIO(content.encode()), GrantsByYearSchema(), len(content))

    check = validate_frame(frame, GrantsByYearSchema())

    assert "notes" not in frame.columns
    assert len(check.frame) == 4
    assert [error.as_dict() for error in check.errors] == [
        {"row": 3, "column": "amount", "message": "'lots' is not a number with at most 2 decimal places"}
    ]
    assert check.bad_rows == {3}


@pytest.mark.django_db
def test_copy_out_binds_its_parameters_while_django_records_queries():
    """Under DEBUG Django wraps cursors in one that records each query and whose COPY takes
    no parameters: the DC risk refresh read its inputs through such a cursor and failed."""
    stream = io.BytesIO()
    connection.force_debug_cursor = True
    try:
        with connection.cursor() as cursor:
            ingestion.copy_out(cursor, query="SELECT %s::int, %s::text", params=[7, "seven"], stream=stream)
    finally:
        connection.force_debug_cursor = False
    assert stream.getvalue() == b"7,seven\n"
