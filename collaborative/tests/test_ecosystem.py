"""Ecosystem maps filled by CSV, shown on the city's page, fed by partners' surveys."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from cities.models import City, Dataset, IngestionRun, Organization
from cities.services import app_demo_data_load, ingestion_run_offer
from collaborative.models import Relationship, SurveyInvitation
from collaborative.selectors import ecosystem_map
from collaborative.services import survey_url

pytestmark = pytest.mark.django_db


def test_demo_maps_load_for_all_seven_cities_and_twice_change_nothing(ecosystem_data, settings) -> None:
    for city in City.objects.all():
        assert ecosystem_map(slug=city.slug).figures.organization_count >= 3
    second = app_demo_data_load(data_dir=settings.CIVIC_DATA_DIR, labels={"collaborative"})
    assert all(run.rows_created == run.rows_updated == 0 for run in second)


def test_boston_map_names_mapc_as_a_broker(ecosystem_data) -> None:
    figures = ecosystem_map(slug="boston").figures
    assert "mapc" in [node.key for node in figures.brokers]
    assert "bny-mellon" in figures.isolates


def _offer(slug: str, body: str) -> IngestionRun:
    dataset = Dataset.objects.get(slug=slug)
    run = ingestion_run_offer(dataset=dataset, stream=io.BytesIO(body.encode()), file_name="ties.csv")
    run.refresh_from_db()
    return run


HEADER = "city,source_organization,target_organization,kind,since,until,source\n"


def test_a_csv_tie_to_itself_or_to_an_unknown_organisation_is_refused_whole(
    ecosystem_data, django_capture_on_commit_callbacks
) -> None:
    before = Relationship.objects.count()
    body = HEADER + "boston,mapc,mapc,advises,,,staff\nboston,mapc,nobody-knows,advises,,,staff\n"
    with django_capture_on_commit_callbacks(execute=True):
        run = _offer("ecosystem-relationships", body)
    run.refresh_from_db()
    assert run.status == IngestionRun.Status.FAILED
    messages = {(error["row"], error["column"]): error["message"] for error in run.errors}
    assert "itself" in messages[(2, "target_organization")]
    assert "not a known organisation" in messages[(3, "target_organization")]
    assert Relationship.objects.count() == before


def test_a_csv_tie_is_added_through_the_ingestion_machinery(ecosystem_data, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run = _offer("ecosystem-relationships", HEADER + "boston,bny-mellon,boston-dyee,funds,2017-01-01,,staff\n")
    run.refresh_from_db()
    assert run.status == IngestionRun.Status.SUCCEEDED, run.errors
    assert "bny-mellon" not in ecosystem_map(slug="boston").figures.isolates


def test_ecosystem_page_shows_tables_figures_and_changes(client, ecosystem_data) -> None:
    response = client.get(reverse("collaborative:ecosystem", kwargs={"slug": "boston"}) + "?since=2016-01-01")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Metropolitan Area Planning Council" in page
    assert 'id="ties-table"' in page
    assert 'id="ecosystem-elements"' in page
    assert "tie" in page and "began" in page


def test_ecosystem_page_says_a_bad_date_is_not_a_date(client, ecosystem_data) -> None:
    response = client.get(reverse("collaborative:ecosystem", kwargs={"slug": "boston"}) + "?since=soon")
    assert "is not a date" in response.content.decode()


def test_unknown_city_has_no_ecosystem_page(client, db) -> None:
    assert client.get(reverse("collaborative:ecosystem", kwargs={"slug": "atlantis"})).status_code == 404


def _invitation(city: str = "boston", organization: str = "code-for-boston") -> SurveyInvitation:
    return SurveyInvitation.objects.create(
        city=City.objects.get(slug=city), organization=Organization.objects.get(slug=organization)
    )


def _answer(target: Organization, kind: str = "builds_technology") -> dict[str, str]:
    return {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-target": str(target.pk),
        "form-0-kind": kind,
        "form-0-since": "2017-05-01",
        "comment": "We also run hack nights.",
    }


def test_survey_answer_waits_for_review_and_the_link_then_closes(client, ecosystem_data) -> None:
    invitation = _invitation()
    url = survey_url(invitation=invitation)
    target = Organization.objects.get(slug="boston-dyee")
    response = client.post(url, _answer(target))
    assert response.status_code == 200
    tie = Relationship.objects.get(survey_response=invitation)
    assert tie.review_status == Relationship.ReviewStatus.PENDING
    assert tie.target_organization == target
    assert tie not in ecosystem_map(slug="boston").relationships
    again = client.post(url, _answer(Organization.objects.get(slug="mapc")))
    assert again.status_code == 400
    assert "already been answered" in again.content.decode()
    assert Relationship.objects.filter(survey_response=invitation).count() == 1


def test_a_tampered_survey_link_stores_nothing(client, ecosystem_data) -> None:
    url = survey_url(invitation=_invitation())
    response = client.post(url[:-3] + "xyz/", _answer(Organization.objects.get(slug="mapc")))
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert not Relationship.objects.filter(review_status=Relationship.ReviewStatus.PENDING).exists()


def test_a_survey_tie_to_an_organisation_off_the_map_is_refused(client, ecosystem_data) -> None:
    invitation = _invitation()
    response = client.post(survey_url(invitation=invitation), _answer(Organization.objects.get(slug="rise-stl")))
    assert response.status_code == 400
    assert not Relationship.objects.filter(survey_response=invitation).exists()
    invitation.refresh_from_db()
    assert not invitation.is_answered
