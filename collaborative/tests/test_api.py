"""The collaborative's API as a partner reads it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from cities.models import City, Organization
from collaborative.models import Relationship, SurveyInvitation

pytestmark = pytest.mark.django_db


def test_ecosystem_figures_in_the_api_match_the_page(resident_api, ecosystem_data) -> None:
    response = resident_api.get("/api/v1/collaborative/ecosystems/boston/", {"since": "2016-01-01"})
    assert response.status_code == 200
    body = response.json()
    figures = body["figures"]
    assert body["organization_count"] == len(figures["organizations"])
    assert "mapc" in figures["brokers"]
    assert "bny-mellon" in figures["isolates"]
    assert figures["change"]["ties_added"]
    assert {"organization", "degree", "betweenness"} <= set(figures["organizations"][0])


def test_every_city_has_a_summary(resident_api, ecosystem_data) -> None:
    response = resident_api.get("/api/v1/collaborative/ecosystems/")
    assert response.status_code == 200
    assert {row["city"] for row in response.json()} == set(City.objects.values_list("slug", flat=True))


def test_a_bad_since_date_is_refused(resident_api, ecosystem_data) -> None:
    response = resident_api.get("/api/v1/collaborative/ecosystems/boston/", {"since": "soon"})
    assert response.status_code == 400


def test_unknown_city_is_404(resident_api, ecosystem_data) -> None:
    assert resident_api.get("/api/v1/collaborative/ecosystems/atlantis/").status_code == 404


def test_relationships_filter_by_organisation_and_hide_ties_waiting_for_review(resident_api, ecosystem_data) -> None:
    invitation = SurveyInvitation.objects.create(
        city=City.objects.get(slug="boston"), organization=Organization.objects.get(slug="bny-mellon")
    )
    Relationship.objects.create(
        city=invitation.city,
        source_organization=invitation.organization,
        target_organization=Organization.objects.get(slug="boston-dyee"),
        kind="funds",
        source="survey",
        review_status=Relationship.ReviewStatus.PENDING,
        survey_response=invitation,
    )
    response = resident_api.get("/api/v1/collaborative/relationships/", {"organization": "bny-mellon"})
    assert response.status_code == 200
    assert response.json()["results"] == []
    mapc = resident_api.get("/api/v1/collaborative/relationships/", {"organization": "mapc", "city": "boston"})
    assert mapc.json()["results"]
    assert all("mapc" in (row["source_organization"], row["target_organization"]) for row in mapc.json()["results"])


def test_members_filter_by_kind(resident_api, ecosystem_data) -> None:
    response = resident_api.get("/api/v1/collaborative/ecosystem-members/", {"city": "boston", "kind": "civic_tech"})
    assert [row["organization"] for row in response.json()["results"]] == ["code-for-boston"]
    assert response.json()["results"][0]["contributions"] == ["technology"]


def test_an_unknown_filter_value_is_refused(resident_api, ecosystem_data) -> None:
    assert resident_api.get("/api/v1/collaborative/relationships/", {"kind": "loves"}).status_code == 400


def test_meeting_notes_only_for_clients_allowed_to_read_them(resident_api, partner, ecosystem_data) -> None:
    public = resident_api.get("/api/v1/collaborative/meetings/", {"city": "pittsburgh"}).json()["results"]
    assert public and all("notes" not in meeting for meeting in public)
    partner.user_permissions.add(Permission.objects.get(codename="view_meeting_notes"))
    client = APIClient()
    client.force_authenticate(partner)
    allowed = client.get("/api/v1/collaborative/meetings/", {"city": "pittsburgh"}).json()["results"]
    assert allowed[0]["notes"].startswith("Sample notes")
    assert allowed[0]["action_items"][0]["owner"] == "wprdc"


def test_action_items_and_lessons_filter(resident_api, ecosystem_data) -> None:
    items = resident_api.get("/api/v1/collaborative/action-items/", {"status": "open", "city": "san-antonio"})
    assert [item["owner"] for item in items.json()["results"]] == ["living-cities"]
    lessons = resident_api.get("/api/v1/collaborative/lessons/", {"app": "housing"}).json()["results"]
    assert [lesson["slug"] for lesson in lessons] == ["example-preservation-data-shared"]
    assert "<strong>DC Preservation Catalog</strong>" in lessons[0]["body_html"]
    assert resident_api.get("/api/v1/collaborative/lessons/", {"theme": "joy"}).status_code == 400


def test_the_map_as_it_stood_during_the_collaborative(resident_api, ecosystem_data) -> None:
    today = resident_api.get("/api/v1/collaborative/ecosystems/san-antonio/").json()["figures"]
    during = resident_api.get("/api/v1/collaborative/ecosystems/san-antonio/", {"on": "2017-06-30"}).json()["figures"]
    assert today["tie_count"] == 0
    assert during["tie_count"] == 2
    assert during["brokers"] == ["living-cities"]
