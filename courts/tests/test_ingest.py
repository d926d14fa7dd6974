"""The real St. Louis files through the ingestion machinery: counts, known rows, every quirk,
and bad files that change nothing and name their rows."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
import pytest
from django.utils import timezone

from cities import ingestion
from cities.ingestion import IngestionError, ingestion_run_create, ingestion_run_execute, validate_frame
from cities.models import Boundary, Dataset, IngestionRun
from cities.registry import city_app_for
from cities.services import app_demo_data_load
from courts.ingest import ORPHANED_CITATION_NUMBERS, MunicipalityCourtsSchema, faq_csv, faq_plain_text
from courts.models import (
    Citation,
    Court,
    CourtDate,
    CourtQuestion,
    CourtSurvey,
    FineScheduleEntry,
    Judge,
    Municipality,
    MunicipalityCourt,
    Violation,
    Warrant,
)
from courts.services import COURTS_DEMO_FILES, courts_demo_data_load, courts_demo_files, demo_tickets_write_today
from courts.synthetic import DEMO_TICKETS

# (rows read from the file, rows stored) of each dataset.
REAL_FILE_COUNTS = {
    "courts.municipalities": (91, 91),
    "courts.courts": (79, 79),
    "courts.municipality_courts": (94, 94),
    "courts.judges": (90, 89),  # the judge of court 47, which courts.csv lacks
    "courts.court_survey": (98, 98),
    "courts.fine_schedule": (54, 54),
    "courts.citations": (989, 989),
    "courts.court_dates": (989, 920),  # 69 citations have no court date
    "courts.violations": (1002, 985),  # 17 name citations the file lacks
    "courts.warrants": (1002, 239),  # 243 flagged, 4 of them on those orphaned violations
    "courts.questions": (14, 14),
    "courts.municipal_boundaries": (127, 92),  # 36 polygons of the unincorporated county become one area
}


@pytest.fixture
def stl_runs(demo_data, settings) -> dict[str, IngestionRun]:
    return {run.dataset.schema: run for run in courts_demo_data_load(data_dir=settings.CIVIC_DATA_DIR)}


def offer(schema: str, text: str) -> IngestionRun:
    dataset = Dataset.objects.get(schema=schema)
    run = ingestion_run_create(dataset=dataset, stream=io.BytesIO(text.encode()), file_name="offered.csv")
    return ingestion_run_execute(run_id=run.pk)


def test_every_real_file_is_ingested_with_its_counts(stl_runs):
    assert {schema: (run.rows_read, run.rows_created) for schema, run in stl_runs.items()} == REAL_FILE_COUNTS
    assert all(run.status == IngestionRun.Status.SUCCEEDED for run in stl_runs.values())
    assert Citation.objects.count() == 989 and Violation.objects.count() == 985 and Warrant.objects.count() == 239


def test_each_dataset_keeps_its_provenance_in_the_catalogue(stl_runs):
    for slug, schema, _ in COURTS_DEMO_FILES:
        dataset = stl_runs[schema].dataset
        assert dataset.slug == slug and dataset.source and dataset.licence.startswith("MIT")
    assert Dataset.objects.get(slug="stl-citations").contains_personal_data


def test_loading_the_files_again_changes_nothing(stl_runs, settings):
    again = courts_demo_data_load(data_dir=settings.CIVIC_DATA_DIR)

    assert all(run.rows_created == run.rows_updated == 0 for run in again)
    assert [run.rows_unchanged for run in again] == [stored for _, stored in REAL_FILE_COUNTS.values()]


def test_the_demo_files_and_tickets_are_registered_for_make_run():
    registration = city_app_for("st-louis")
    assert registration is not None and registration.demo is not None
    assert registration.demo.files is courts_demo_files
    assert registration.demo.after is demo_tickets_write_today


def test_known_rows_of_each_file(stl_runs):
    ballwin = Court.objects.get(source_id="1")
    assert (ballwin.name, ballwin.slug, ballwin.phone_display, ballwin.payment_system) == (
        "Ballwin Court",
        "ballwin-court",
        "636-227-9468",
        "iPayCourt",
    )
    assert ballwin.citation_expires_after_days is None  # "-1": never
    assert ballwin.rights_url.startswith("http://www.stlouisco.com/")
    assert Court.objects.filter(citation_expires_after_days=8).count() == 4
    assert MunicipalityCourt.objects.filter(municipality__name="St. Louis County Municipal").count() == 4
    assert Judge.objects.get(source_id="1").name == "Virginia Nye"

    citation = Citation.objects.get(citation_number="747199692")
    assert (citation.date_of_birth, citation.licence_number_key, citation.court.source_id) == (
        date(1981, 6, 5),
        "H233189734",
        "2",
    )
    court_date = CourtDate.objects.get(citation=citation)
    assert (court_date.day, court_date.time_of_day.isoformat()) == (date(2015, 11, 29), "12:20:00")

    violation = Violation.objects.get(source_id="3")
    assert violation.status == Violation.Status.WARRANT_ISSUED and violation.status_date == date(2015, 8, 21)
    assert violation.warrant.warrant_number == "WA4294944"
    assert violation.warrant.status == Warrant.Status.OUTSTANDING
    assert Violation.objects.get(source_id="1").fine_amount == Decimal("139.04")


def test_the_files_quirks_are_handled_by_name(stl_runs):
    assert not Judge.objects.filter(source_id="48").exists()
    assert Citation.objects.filter(court__isnull=True, municipality__source_id="80").count() == 13
    assert not Violation.objects.filter(citation__citation_number__in=ORPHANED_CITATION_NUMBERS).exists()
    # Four violation numbers are used twice in the published file, on different charges.
    assert Violation.objects.filter(violation_number="227306643-01").count() == 2

    seat_belt = FineScheduleEntry.objects.get(violation="Seat Belt Violation")
    assert (seat_belt.fine, seat_belt.court_cost) == (Decimal("10.00"), None)
    assert FineScheduleEntry.objects.get(violation="Careless and Imprudent Driving").fine is None


def test_the_survey_answers_become_yes_no_or_unknown(stl_runs):
    ballwin = CourtSurvey.objects.get(surveyed_name="Ballwin")
    assert ballwin.municipality.name == "Ballwin"
    assert (ballwin.docket_listed, ballwin.dress_code_mentioned, ballwin.fine_schedule_listed) == (False, True, False)
    assert ballwin.payment_provider == "iPayCourt"
    assert CourtSurvey.objects.get(surveyed_name="Bellerive").municipality.name == "Bellerive Acres"
    assert CourtSurvey.objects.get(surveyed_name="ST. LOUIS CITY").municipality.name == "St. Louis City"
    assert CourtSurvey.objects.get(surveyed_name="BERKELEY 1").municipality is None
    noted = CourtSurvey.objects.get(docket_note="yes; from 2011")
    assert noted.docket_listed is True
    unsurveyed = CourtSurvey.objects.filter(docket_listed__isnull=True)
    assert unsurveyed.count() == 18 and not unsurveyed.filter(dress_code_mentioned__isnull=False).exists()
    assert CourtSurvey.objects.filter(municipal_website__iexact="none").count() == 0


def test_the_faq_is_plain_text_with_its_links_written_out(stl_runs):
    assert CourtQuestion.objects.filter(topic="ticket").count() == 8
    answers = " ".join(CourtQuestion.objects.values_list("answer", flat=True))
    assert "<a" not in answers and "href" not in answers
    assert "Clothing Closet (https://www.ulstl.com/meeting-families-basic-needs/clothing-assistance)" in answers


def test_faq_links_to_the_source_apps_own_pages_keep_only_their_text():
    assert (
        faq_plain_text('Use <a href="\\">Ticket Finder</a>.')
        == "Use Ticket Finder [a YourSTLCourts page, not linked here]."
    )
    assert faq_plain_text("The towns listed below take part.") == (
        "The towns listed below [that list is not part of these answers] take part."
    )
    assert faq_plain_text("Don&rsquo;t <b>panic</b>\n now") == "Don\u2019t panic now"


def test_the_boundaries_are_one_area_per_municipality(stl_runs):
    areas = Boundary.objects.filter(layer="stl-municipalities")

    assert areas.get(code="FLORISSANT").name == "Florissant"
    unincorporated = json.loads(areas.get(code="UNINCORPORATED").geometry)
    assert unincorporated["type"] == "MultiPolygon" and len(unincorporated["coordinates"]) == 36
    known = {name.upper() for name in Municipality.objects.values_list("name", flat=True)}
    assert len(set(areas.values_list("code", flat=True)) & known) >= 85


def test_a_faq_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / "faq.json"
    path.write_text("<html>not json</html>")

    with pytest.raises(IngestionError, match="not JSON"):
        faq_csv(path)


VIOLATIONS_HEADER = (
    "id,citation_number,violation_number,violation_description,warrant_status,warrant_number,"
    "status,status_date,fine_amount,court_cost,can_pay_online\n"
)


def test_a_violations_file_with_bad_rows_changes_nothing_and_names_them(stl_runs):
    before = list(Violation.objects.order_by("pk").values_list("pk", "status", "fine_amount"))
    text = VIOLATIONS_HEADER + (
        "1,682690971,682690971-01,Improper Passing,0,,CLOSED,2015-07-25 05:00:00,139.04,24.50,true\n"
        "9001,682690971,682690971-09,Speeding,0,,PAID MAYBE,2015-07-25 05:00:00,10.00,24.50,true\n"
        "9002,999999999,999999999-01,Speeding,0,,CLOSED,2015-07-25 05:00:00,-5.00,24.50,maybe\n"
    )

    run = offer("courts.violations", text)

    assert run.status == IngestionRun.Status.FAILED
    assert {(error["row"], error["column"]) for error in run.errors} == {
        (3, "status"),
        (4, "citation_number"),
        (4, "fine_amount"),
        (4, "can_pay_online"),
    }
    assert list(Violation.objects.order_by("pk").values_list("pk", "status", "fine_amount")) == before


def test_a_warrant_number_without_the_warrant_flag_is_refused(stl_runs):
    text = VIOLATIONS_HEADER + "1,682690971,682690971-01,Improper Passing,0,WA1,CLOSED,2015-07-25 05:00:00,,,false\n"

    run = offer("courts.warrants", text)

    assert run.status == IngestionRun.Status.FAILED
    assert run.errors == [{"row": 2, "column": "warrant_status", "message": "'0' is not one of outstanding"}]
    assert Warrant.objects.count() == 239


def test_errors_never_quote_a_persons_details(stl_runs):
    header = (
        "id,citation_number,citation_date,first_name,last_name,date_of_birth,defendant_address,defendant_city,"
        "defendant_state,drivers_license_number,drivers_license_state,court_date,court_id,municipality_id\n"
    )
    text = header + "1,123,2015-06-18,Sandra,Hunter,05/06/1981,9 Orin Parkway,X,MO,H233,MO,,2,2\n"

    run = offer("courts.citations", text)

    assert run.status == IngestionRun.Status.FAILED
    assert run.errors == [
        {"row": 2, "column": "date_of_birth", "message": "the value is not a date written like 2016-09-30"}
    ]


def test_a_citation_number_is_never_shown_to_the_public_in_a_runs_errors(stl_runs, client):
    header = (
        "id,citation_number,citation_date,first_name,last_name,date_of_birth,defendant_address,defendant_city,"
        "defendant_state,drivers_license_number,drivers_license_state,court_date,court_id,municipality_id\n"
    )
    row = "1,{number},2015-06-18,Sandra,Hunter,1981-05-06,9 Orin Parkway,X,MO,H233,MO,,2,2\n"
    doubled = offer("courts.citations", header + row.format(number="555123987") + row.format(number="555123987"))
    unknown = offer("courts.court_dates", "citation_number,court_date\n444987321,2015-11-29 12:20:00\n")

    assert doubled.errors == [{"row": 3, "column": "citation_number", "message": "this row's key is already on row 2"}]
    assert unknown.errors == [{"row": 2, "column": "citation_number", "message": "the value is not a known citation"}]
    for run, number in ((doubled, "555123987"), (unknown, "444987321")):
        api = client.get(f"/api/v1/ingestion-runs/{run.pk}/")
        page = client.get(f"/datasets/{run.dataset.slug}/")
        assert api.status_code == page.status_code == 200
        assert "already on row 2" in page.content.decode() or "not a known citation" in page.content.decode()
        assert number not in api.content.decode() and number not in page.content.decode()


def test_a_warrant_number_is_never_quoted_in_an_error(stl_runs):
    text = VIOLATIONS_HEADER + (
        "1,682690971,682690971-01,Improper Passing,1,WA7770001,CLOSED,2015-07-25 05:00:00,,,false\n"
        "2,682690971,682690971-02,Improper Passing,1,WA7770001,CLOSED,2015-07-25 05:00:00,,,false\n"
    )

    run = offer("courts.warrants", text)

    assert "WA7770001" not in json.dumps(run.errors)
    assert run.errors == [{"row": 3, "column": "warrant_number", "message": "this row's key is already on row 2"}]


def test_a_court_date_that_is_not_a_date_and_time_is_refused_with_its_row(stl_runs):
    text = "citation_number,court_date\n747199692,2015-11-29 12:20:00\n865365678,next Tuesday\n"

    run = offer("courts.court_dates", text)

    assert run.status == IngestionRun.Status.FAILED
    assert run.errors == [
        {"row": 3, "column": "day", "message": "'next Tuesday' is not a date written like 2016-09-30"}
    ]


def test_payment_and_court_web_addresses_must_be_http_or_https(stl_runs):
    text = (
        "municipality_id,municipality_name,payment_url\n"
        "1,Ballwin,javascript:alert(document.cookie)\n"
        "2,Bella Villa,https://trafficpayment.com/InvoiceInfo.aspx?csdId=263\n"
        "3,Bellefontaine Neighbors,www.example.org/pay here\n"
    )

    run = offer("courts.municipalities", text)

    assert run.status == IngestionRun.Status.FAILED
    assert run.errors == [
        {"row": 2, "column": "payment_url", "message": "'javascript:alert(document.cookie)' is not a web address"},
        {"row": 4, "column": "payment_url", "message": "'www.example.org/pay here' is not a web address"},
    ]
    assert Municipality.objects.get(source_id="1").payment_url.startswith("http://www.ipaycourt.com/")


def test_municipalities_file_without_its_columns_is_refused(stl_runs):
    run = offer("courts.municipalities", "id,name\n1,Ballwin\n")

    assert run.status == IngestionRun.Status.FAILED
    assert "lacks these columns: municipality_id, municipality_name" in run.errors[0]["message"]
    assert Municipality.objects.count() == 91


def test_the_orm_writer_takes_a_link_file_whose_every_column_is_the_key(stl_runs, settings):
    """The embedded mode (SQLite) writes through the ORM; a link table has nothing to update."""
    schema = MunicipalityCourtsSchema()
    frame = pd.read_csv(settings.CIVIC_DATA_DIR / "stlouis" / "municipality_court.csv", dtype=str)
    converted = validate_frame(frame, schema).frame
    MunicipalityCourt.objects.all().delete()

    created = ingestion._write_with_orm(converted, schema)
    again = ingestion._write_with_orm(converted, schema)

    assert (created.created, created.updated, created.unchanged) == (94, 0, 0)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 94)


def test_the_demo_holds_synthetic_tickets_with_court_dates_in_the_coming_weeks(demo_data, settings):
    app_demo_data_load(data_dir=settings.CIVIC_DATA_DIR, labels={"courts"})
    app_demo_data_load(data_dir=settings.CIVIC_DATA_DIR, labels={"courts"})

    today = timezone.localdate()
    demo = Citation.objects.filter(citation_number__startswith="SYNDEMO")
    assert demo.count() == len(DEMO_TICKETS) and not demo.filter(synthetic=False).exists()
    days = sorted(CourtDate.objects.filter(citation__in=demo).values_list("day", flat=True))
    assert (
        len(days) == len(DEMO_TICKETS)
        and today < days[0] <= today + timedelta(days=7)
        and days[-1] < today + timedelta(days=31)
    )
    assert set(demo.values_list("first_name", flat=True)) == {"Sample"}
