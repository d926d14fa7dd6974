"""Bulk exports from the admin's lists, through the core's one CSV writer: all the selected
rows, streamed, with only the columns the admin names (no contact details)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from django.utils import timezone

from cities.models import Organization
from collaborative.models import ActionItem, Meeting
from courts.tests.factories import StoryFactory


def exported(client, changelist: str, ids: list[int]) -> list[list[str]]:
    response = client.post(changelist, {"action": "export_csv", "_selected_action": ids})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_staff_export_meetings_action_items(demo_data, admin_client) -> None:
    now = timezone.now()
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.COACHING,
        title="Data sharing agreements",
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=3, hours=-1),
    )
    owner = Organization.objects.first()
    items = [
        ActionItem.objects.create(meeting=meeting, description=f"+Step {n}", owner=owner, due_on=date(2027, 1, n))
        for n in (1, 2)
    ]

    header, *rows = exported(admin_client, "/admin/collaborative/actionitem/", [item.pk for item in items])
    assert header == ["meeting", "meeting_starts_at", "description", "owner", "due_on", "status"]
    assert [row[2] for row in rows] == ["'+Step 1", "'+Step 2"]
    assert {row[3] for row in rows} == {owner.name}


def test_staff_export_stories_without_the_residents_own_words(db, admin_client) -> None:
    story = StoryFactory(body="My name is Quinta Imaginary.", published_text="The court moved my date.")
    header, *rows = exported(admin_client, "/admin/courts/story/", [story.pk])
    assert "Quinta" not in repr(rows)
    assert rows[0][header.index("published_text")] == "The court moved my date."


def test_an_export_needs_the_lists_view_permission(db, client, django_user_model) -> None:
    story = StoryFactory()
    clerk = django_user_model.objects.create_user(username="clerk", password="a-clerk-password-1", is_staff=True)
    client.force_login(clerk)
    response = client.post("/admin/courts/story/", {"action": "export_csv", "_selected_action": [story.pk]})
    assert response.status_code == 403
