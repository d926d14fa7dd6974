"""Summer jobs files through the ingestion machinery: good files become rows with their
neighbourhood found on the map; a bad file changes nothing and names its rows."""

from __future__ import annotations

import io

import pytest
from django.db import connection

from cities.ingestion import ingestion_run_create, ingestion_run_execute
from cities.models import Dataset, IngestionRun
from youthjobs.ingest import ApplicantsSchema, PositionsSchema
from youthjobs.models import Applicant, DirectHire, Eligibility, Position
from youthjobs.tests.factories import PositionFactory, SeasonFactory, SiteFactory

APPLICANTS_HEADER = (
    "applicant_id,season,first_name,last_name,date_of_birth,gender,email,phone,home_zip,home_latitude,"
    "home_longitude,has_transit_pass,has_work_permit,first_interest,second_interest,third_interest\n"
)
CAMP = "Camp Counselor/ Summer Program Staff Support"
SPORTS = "Sports, Fitness and/or Recreation"


def applicant_row(
    applicant_id: str, *, born: str = "2009-03-02", interest: str = CAMP, point: str = "42.300000,-71.064000"
) -> str:
    return (
        f"{applicant_id},2026,Synthetic,Youth {applicant_id},{born},female,{applicant_id.lower()}@example.org,,"
        f'02124,{point},yes,yes,"{interest}","{SPORTS}",\n'
    )


def offer(slug: str, content: str, django_capture_on_commit_callbacks) -> IngestionRun:
    dataset = Dataset.objects.get(slug=slug)
    run = ingestion_run_create(dataset=dataset, stream=io.BytesIO(content.encode()), file_name="offered.csv")
    with django_capture_on_commit_callbacks(execute=True):
        return ingestion_run_execute(run_id=run.pk)


@pytest.fixture
def season(boston_geography):
    return SeasonFactory()


def test_applicants_file_becomes_applicants_with_neighbourhood_and_eligibility(
    season, django_capture_on_commit_callbacks
) -> None:
    content = APPLICANTS_HEADER + applicant_row("A1") + applicant_row("A2", point="42.408400,-71.012000")

    run = offer("youthjobs-applicants", content, django_capture_on_commit_callbacks)

    assert run.status == IngestionRun.Status.SUCCEEDED, run.errors
    assert run.rows_created == 2
    inside, outside = Applicant.objects.order_by("applicant_id")
    assert (inside.neighbourhood, inside.ranked_interests, inside.is_synthetic) == ("Dorchester", [CAMP, SPORTS], False)
    assert outside.neighbourhood == ""
    assert Eligibility.objects.get(applicant=inside).eligible is True
    assert "outside the City of Boston" in Eligibility.objects.get(applicant=outside).reasons[0]


def test_loading_the_same_applicants_twice_changes_nothing(season, django_capture_on_commit_callbacks) -> None:
    content = APPLICANTS_HEADER + applicant_row("A1")
    offer("youthjobs-applicants", content, django_capture_on_commit_callbacks)

    second = offer("youthjobs-applicants", content, django_capture_on_commit_callbacks)

    assert (second.rows_created, second.rows_updated, second.rows_unchanged) == (0, 0, 1)


def test_bad_applicants_file_changes_nothing_and_names_rows(season, django_capture_on_commit_callbacks) -> None:
    offer("youthjobs-applicants", APPLICANTS_HEADER + applicant_row("A1"), django_capture_on_commit_callbacks)
    content = (
        APPLICANTS_HEADER
        + applicant_row("A1", born="1999-02-03")
        + applicant_row("A2", born="2009-02-30")
        + applicant_row("A3", interest="Astronaut")
        + applicant_row("A2")
    )

    run = offer("youthjobs-applicants", content, django_capture_on_commit_callbacks)

    assert run.status == IngestionRun.Status.FAILED
    problems = {(error["row"], error["column"]): error["message"] for error in run.errors}
    assert set(problems) == {(3, "date_of_birth"), (4, "first_interest"), (5, "applicant_id")}
    assert "is not a known" not in problems[(4, "first_interest")]
    assert "'Astronaut'" in problems[(4, "first_interest")]
    assert "already on row 3" in problems[(5, "applicant_id")]
    # A date of birth is personal: the error names the row, never the value.
    assert "2009-02-30" not in problems[(3, "date_of_birth")]
    assert [(a.applicant_id, str(a.date_of_birth)) for a in Applicant.objects.all()] == [("A1", "2009-03-02")]


def test_applicant_file_of_an_unknown_season_is_refused(season, django_capture_on_commit_callbacks) -> None:
    run = offer(
        "youthjobs-applicants",
        APPLICANTS_HEADER + applicant_row("A1").replace(",2026,", ",2031,"),
        django_capture_on_commit_callbacks,
    )

    assert run.status == IngestionRun.Status.FAILED
    assert run.errors[0]["column"] == "season"
    assert not Applicant.objects.exists()


def test_repeated_interest_is_refused(season, django_capture_on_commit_callbacks) -> None:
    content = APPLICANTS_HEADER + applicant_row("A1", interest=SPORTS)

    run = offer("youthjobs-applicants", content, django_capture_on_commit_callbacks)

    assert [(error["row"], error["column"]) for error in run.errors] == [(2, "second_interest")]


def test_positions_file_with_bad_rows_changes_nothing(season, django_capture_on_commit_callbacks) -> None:
    SiteFactory(site_id="S1")
    header = "position_id,season,site_id,title,category,seats,minimum_age,hours_per_week,starts_on,ends_on\n"
    good = f'P1,2026,S1,Counsellor,"{CAMP}",4,14,25,2026-07-06,2026-08-14\n'
    content = (
        header
        + good
        + f'P2,2026,S9,Counsellor,"{CAMP}",4,14,25,2026-07-06,2026-08-14\n'
        + f'P3,2026,S1,Counsellor,"{CAMP}",0,12,25,2026-07-06,2026-06-14\n'
    )

    run = offer("youthjobs-positions", content, django_capture_on_commit_callbacks)

    assert run.status == IngestionRun.Status.FAILED
    assert {(error["row"], error["column"]) for error in run.errors} == {
        (3, "site_id"),
        (4, "seats"),
        (4, "minimum_age"),
        (4, "ends_on"),
    }
    assert not Position.objects.exists()
    assert offer("youthjobs-positions", header + good, django_capture_on_commit_callbacks).rows_created == 1


def test_direct_hires_name_known_applicants_and_positions(season, django_capture_on_commit_callbacks) -> None:
    offer("youthjobs-applicants", APPLICANTS_HEADER + applicant_row("A1"), django_capture_on_commit_callbacks)
    PositionFactory(position_id="P1", season=season)
    header = "applicant_id,position_id,kind\n"

    bad = offer(
        "youthjobs-direct-hires", header + "A1,P1,friend\nA9,P1,returning\n", django_capture_on_commit_callbacks
    )
    good = offer("youthjobs-direct-hires", header + "A1,P1,returning\n", django_capture_on_commit_callbacks)

    assert {(error["row"], error["column"]) for error in bad.errors} == {(2, "kind"), (3, "applicant_id")}
    assert good.status == IngestionRun.Status.SUCCEEDED
    assert DirectHire.objects.get().kind == DirectHire.Kind.RETURNING


def test_documentation_leaves_out_the_computed_neighbourhood() -> None:
    names = [row["name"] for row in ApplicantsSchema.documentation()]

    assert "neighbourhood" not in names
    assert names[:2] == ["applicant_id", "season"]
    assert (
        next(row for row in PositionsSchema.documentation() if row["name"] == "is_synthetic")["required"]
        == "no (false)"
    )


def test_direct_hire_to_another_seasons_position_is_refused(season, django_capture_on_commit_callbacks) -> None:
    offer("youthjobs-applicants", APPLICANTS_HEADER + applicant_row("A1"), django_capture_on_commit_callbacks)
    PositionFactory(position_id="P2025", season=SeasonFactory(year="2025"))

    run = offer(
        "youthjobs-direct-hires",
        "applicant_id,position_id,kind\nA1,P2025,returning\n",
        django_capture_on_commit_callbacks,
    )

    assert [(error["row"], error["column"]) for error in run.errors] == [(2, "position_id")]
    assert not DirectHire.objects.exists()


def test_contact_details_are_encrypted_at_rest_and_reloading_changes_nothing(
    season, django_capture_on_commit_callbacks
) -> None:
    content = APPLICANTS_HEADER + applicant_row("A1").replace(",,02124", ",617-555-0142,02124")
    offer("youthjobs-applicants", content, django_capture_on_commit_callbacks)

    with connection.cursor() as cursor:
        cursor.execute("SELECT email, phone FROM youthjobs_applicant")
        stored_email, stored_phone = cursor.fetchone()
    applicant = Applicant.objects.get()
    again = offer("youthjobs-applicants", content, django_capture_on_commit_callbacks)

    assert (applicant.email, applicant.phone) == ("a1@example.org", "617-555-0142")
    assert "example.org" not in stored_email and "555" not in stored_phone
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 0, 1)
