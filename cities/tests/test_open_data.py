"""Open data as a partner meets it: the DCAT-US catalogue, each dataset's Table Schema and
downloads, versions (a failed upload is never one), the run each record was last written by,
and personal data kept from those without permission."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from cities import ingestion
from cities.models import Dataset, Grant, IngestionRun
from cities.open_data import NON_PUBLIC, PUBLIC, RESTRICTED_PUBLIC, access_level
from cities.services import DEMO_DIR, app_demo_data_load
from tests.api_clients import token_client

SCHEMAS = Path(__file__).resolve().parent.parent / "open_data_schemas" / "dcat_us_1_1"
DEMO_GRANTS = (DEMO_DIR / "grants.csv").read_bytes()
BAD_GRANTS = (
    b"reference,funder,city,amount,purpose,starts_on,ends_on\n"
    b"mac-2017-bos,macarthur-foundation,boston,lots,Matching research,2017-01-01,2017-12-31\n"
)


def dcat_us_validator() -> Draft4Validator:
    """DCAT-US 1.1's own JSON Schema (vendored, see open_data_schemas/README.md), the
    catalogue's reference to the dataset schema resolved from the vendored copy."""
    documents = [json.loads((SCHEMAS / name).read_text()) for name in ("catalog.json", "dataset-non-federal.json")]
    registry = Registry().with_resources(
        (document["id"].rstrip("#"), Resource.from_contents(document, default_specification=DRAFT4))
        for document in documents
    )
    return Draft4Validator(documents[0], registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)


def local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def offer(django_capture_on_commit_callbacks):
    """`offer(client, dataset_slug, name, content)`: POST a file as a partner does and let its
    ingestion (enqueued on commit) run; the run as it ended."""

    def offered(client, dataset_slug: str, name: str, content: bytes) -> IngestionRun:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/api/v1/ingestion-runs/",
                {"dataset": dataset_slug, "file": SimpleUploadedFile(name, content, content_type="text/csv")},
                format="multipart",
            )
        assert response.status_code == 201, response.content
        return IngestionRun.objects.get(pk=response.json()["id"])

    return offered


@pytest.fixture
def every_dataset(demo_data, settings) -> None:
    app_demo_data_load(data_dir=Path(settings.CIVIC_DATA_DIR))


def test_a_partner_finds_and_downloads_every_dataset_and_its_schema_from_data_json(every_dataset, resident_api):
    # A boundary's geometry is one long cell of the records CSV.
    limit = csv.field_size_limit(64 * 1024 * 1024)
    try:
        walk_the_catalogue(resident_api)
    finally:
        csv.field_size_limit(limit)


def walk_the_catalogue(resident_api) -> None:
    response = resident_api.get("/data.json")
    assert response.status_code == 200
    catalogue = response.json()
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in dcat_us_validator().iter_errors(catalogue)]
    assert errors == []
    entries = {urlsplit(entry["identifier"]).path: entry for entry in catalogue["dataset"]}
    assert set(entries) == {dataset.get_absolute_url() for dataset in Dataset.objects.all()}

    walked = 0
    for entry in catalogue["dataset"]:
        dataset = Dataset.objects.get(slug=urlsplit(entry["identifier"]).path.strip("/").split("/")[-1])
        assert entry["accessLevel"] == access_level(dataset)
        assert entry["contactPoint"]["hasEmail"] == f"mailto:{settings.OPEN_DATA_CONTACT_EMAIL}"
        if dataset.licence.startswith(("MIT", "CC0 1.0")):
            assert entry["license"] in ("https://spdx.org/licenses/MIT.html", "https://spdx.org/licenses/CC0-1.0.html")
        if not dataset.schema:
            continue
        assert entry["modified"] and entry["temporal"] and entry["spatial"]
        table_schema = resident_api.get(local(entry["describedBy"]))
        assert table_schema.status_code == 200
        field_names = [field["name"] for field in table_schema.json()["fields"]]
        formats = {distribution["format"] for distribution in entry["distribution"]}
        if entry["accessLevel"] == NON_PUBLIC:
            assert entry["distribution"] == [] and "rights" in entry
            continue
        assert "CSV" in formats
        for distribution in entry["distribution"]:
            download = resident_api.get(local(distribution["downloadURL"]))
            if entry["accessLevel"] == RESTRICTED_PUBLIC:
                assert download.status_code == 401, distribution["downloadURL"]
                continue
            assert download.status_code == 200, (distribution["downloadURL"], download.content[:300])
            assert download["Data-Version"].startswith(f"{dataset.slug}=")
            content = body(download)
            if distribution["title"].endswith("(CSV)"):
                header, *rows = list(csv.reader(io.StringIO(content.decode())))
                assert header == field_names
                assert rows, f"{dataset.slug} published no records"
            elif distribution["mediaType"] == "application/geo+json":
                assert json.loads(content)["type"] == "FeatureCollection"
            walked += 1
        if entry["accessLevel"] == PUBLIC:
            assert any("as published" in distribution["title"] for distribution in entry["distribution"]), dataset.slug
    assert walked > 40


def test_a_failed_upload_never_becomes_the_current_version(demo_data, partner_api, offer):
    current = IngestionRun.objects.get(dataset__slug="grants")
    assert offer(partner_api, "grants", "bad-grants.csv", BAD_GRANTS).status == "failed"

    answer = partner_api.get("/api/v1/datasets/grants/").json()
    assert answer["latest_run"]["status"] == "failed"
    assert answer["current_version"]["id"] == current.pk
    assert answer["current_version"]["file_checksum"] == current.file_checksum
    page = partner_api.get("/datasets/grants/")
    assert f"Current version: {current.pk}" in page.content.decode()
    download = partner_api.get("/datasets/grants/records.csv")
    assert download["Data-Version"] == f"grants={current.pk}"
    assert download.getvalue()


def test_records_know_the_run_that_last_wrote_them(demo_data, partner_api, offer):
    first = IngestionRun.objects.get(dataset__slug="grants")
    assert set(Grant.objects.values_list("ingestion_run", flat=True)) == {first.pk}
    header, *lines = DEMO_GRANTS.decode().splitlines()
    changed_line = lines[0].replace(lines[0].split(",")[4], "A changed purpose")
    content = "\n".join([header, changed_line, *lines[1:]]).encode() + b"\n"
    second = offer(partner_api, "grants", "grants-v2.csv", content)
    assert (second.status, second.rows_updated) == ("succeeded", 1)

    changed = Grant.objects.get(reference=changed_line.split(",")[0])
    assert changed.ingestion_run_id == second.pk
    assert set(Grant.objects.exclude(pk=changed.pk).values_list("ingestion_run", flat=True)) == {first.pk}


def test_the_embedded_writer_also_records_the_run(demo_data):
    run = IngestionRun.objects.get(dataset__slug="grants")
    schema = ingestion.schema_for(run.dataset)
    frame = ingestion.validate_frame(
        ingestion._read_frame(io.BytesIO(DEMO_GRANTS), schema, len(DEMO_GRANTS)), schema
    ).frame
    frame.loc[0, "purpose"] = "Changed by the ORM writer"
    other = IngestionRun.objects.create(
        dataset=run.dataset, file_name="orm.csv", file_checksum="0" * 64, file_size=1, status="succeeded"
    )
    counts = ingestion._write_with_orm(frame, schema, run_id=other.pk)
    assert counts.updated == 1
    assert Grant.objects.filter(ingestion_run=other).count() == 1


def test_personal_records_only_go_to_permitted_tokens_and_never_with_personal_columns(
    every_dataset, resident_api, outsider_api, st_louis_staff, boston_staff_api
):

    citations = "/datasets/stl-citations/records.csv"
    assert resident_api.get(citations).status_code == 401
    assert outsider_api.get(citations).status_code == 403
    permitted = token_client(st_louis_staff).get(citations)
    assert permitted.status_code == 200
    header, *rows = list(csv.reader(io.StringIO(body(permitted).decode())))
    assert rows
    for personal in ("first_name", "last_name", "date_of_birth", "defendant_address", "drivers_license_number"):
        assert personal not in header
    assert "citation_number" not in header
    # The files of a dataset with personal data are not published, whoever asks.
    assert token_client(st_louis_staff).get("/datasets/stl-citations/file/").status_code == 403
    # Boston's applicants: never, not even to Boston's staff.
    assert boston_staff_api.get("/datasets/youthjobs-applicants/records.csv").status_code == 403
    assert resident_api.get("/datasets/youthjobs-applicants/records.csv").status_code == 403


def test_bad_requests_name_the_parameter_or_list_the_versions(demo_data, partner_api, resident_api, offer):
    unknown = resident_api.get("/data.json?formt=csv")
    assert unknown.status_code == 400 and "formt" in unknown.json()
    assert "versoin" in resident_api.get("/datasets/grants/records.csv?versoin=1").json()
    current = IngestionRun.objects.get(dataset__slug="grants")
    failed = offer(partner_api, "grants", "bad-grants.csv", BAD_GRANTS)
    malformed = resident_api.get("/datasets/grants/file/?version=latest")
    assert malformed.status_code == 400 and "version" in malformed.json()
    for version in (str(failed.pk), "999999"):
        missing = resident_api.get(f"/datasets/grants/file/?version={version}")
        assert missing.status_code == 404
        assert missing.json()["versions"] == [current.pk]
        assert f"Version {version} is not a version" in missing.json()["detail"]
    assert resident_api.get(f"/datasets/grants/file/?version={current.pk}").status_code == 200
    assert resident_api.get("/datasets/grants/records.geojson").status_code == 404
    assert resident_api.get("/datasets/no-such-dataset/records.csv").status_code == 404


def test_the_api_says_which_version_it_answered_from(demo_data, resident_api):
    current = IngestionRun.objects.get(dataset__slug="grants")
    response = resident_api.get("/api/v1/grants/")
    assert response["Data-Version"] == f"grants={current.pk}"


def test_dashboards_cite_their_data_version(every_dataset, client):
    for path in ("/cities/washington-dc/housing/", "/cities/st-louis/courts/", "/cities/boston/summer-jobs/"):
        page = client.get(path).content.decode()
        assert "data as of" in page and ", version " in page, path
