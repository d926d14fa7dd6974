"""Staff send a survey link and publish its answers in the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cities.models import City, Organization
from collaborative.models import Relationship, SurveyInvitation

pytestmark = pytest.mark.django_db


def test_staff_create_a_survey_only_for_an_organisation_on_the_map(client, collaborative_staff, ecosystem_data):
    client.force_login(collaborative_staff)
    boston = City.objects.get(slug="boston")
    off_map = Organization.objects.get(slug="rise-stl")
    response = client.post(
        reverse("admin:collaborative_surveyinvitation_add"), {"city": boston.pk, "organization": off_map.pk}
    )
    assert response.status_code == 200
    assert "is not on Boston" in response.content.decode()
    assert not SurveyInvitation.objects.exists()
    on_map = Organization.objects.get(slug="code-for-boston")
    client.post(reverse("admin:collaborative_surveyinvitation_add"), {"city": boston.pk, "organization": on_map.pk})
    invitation = SurveyInvitation.objects.get()
    page = client.get(reverse("admin:collaborative_surveyinvitation_change", args=[invitation.pk])).content.decode()
    assert 'id="survey-private-link"' in page


def test_staff_publish_a_tie_waiting_for_review(client, collaborative_staff, ecosystem_data):
    client.force_login(collaborative_staff)
    pending = Relationship.objects.create(
        city=City.objects.get(slug="boston"),
        source_organization=Organization.objects.get(slug="bny-mellon"),
        target_organization=Organization.objects.get(slug="boston-dyee"),
        kind="funds",
        source="survey",
        review_status=Relationship.ReviewStatus.PENDING,
    )
    client.post(
        reverse("admin:collaborative_relationship_changelist"),
        {"action": "approve_relationships", "_selected_action": [pending.pk]},
    )
    pending.refresh_from_db()
    assert pending.review_status == Relationship.ReviewStatus.APPROVED


def test_staff_cannot_save_a_tie_to_itself(client, collaborative_staff, ecosystem_data):
    client.force_login(collaborative_staff)
    mapc = Organization.objects.get(slug="mapc")
    before = Relationship.objects.count()
    response = client.post(
        reverse("admin:collaborative_relationship_add"),
        {
            "city": City.objects.get(slug="boston").pk,
            "source_organization": mapc.pk,
            "target_organization": mapc.pk,
            "kind": "advises",
            "source": "staff",
            "review_status": "approved",
        },
    )
    assert "cannot have a tie to itself" in response.content.decode()
    assert Relationship.objects.count() == before
