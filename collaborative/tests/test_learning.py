"""Peer learning: a city's history and open actions, the calendar feed, overdue actions for staff."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cities.models import City, Organization
from collaborative.models import ActionItem, Meeting
from collaborative.services import learning_examples_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings(ecosystem_data) -> dict[str, Meeting]:
    now = timezone.now()
    past = Meeting.objects.create(
        kind=Meeting.Kind.PEER_LEARNING,
        title="Mapping exchange",
        starts_at=now - timedelta(days=30),
        ends_at=now - timedelta(days=30) + timedelta(hours=1),
        topics="ecosystem mapping",
        notes="Private: who disagreed with whom",
        resources="The guide https://www.urban.org/research/publication/guide-civic-tech-and-data-ecosystem-mapping",
    )
    past.cities.set(City.objects.filter(slug__in=["seattle", "pittsburgh"]))
    coming = Meeting.objects.create(
        kind=Meeting.Kind.COACHING,
        title="Coaching on funding",
        starts_at=now + timedelta(days=7),
        ends_at=now + timedelta(days=7, hours=1),
        topics="resourcing collaboratives",
    )
    coming.cities.set(City.objects.filter(slug="seattle"))
    owner = Organization.objects.get(slug="nnip")
    ActionItem.objects.create(meeting=past, description="Send the survey", owner=owner, due_on=date(2020, 1, 1))
    ActionItem.objects.create(
        meeting=past, description="Share slides", owner=owner, due_on=date(2020, 1, 1), status=ActionItem.Status.DONE
    )
    return {"past": past, "coming": coming}


def test_city_learning_page_shows_history_and_open_actions_without_notes(client, meetings) -> None:
    page = client.get(reverse("collaborative:learning", kwargs={"slug": "seattle"})).content.decode()
    assert "Mapping exchange" in page and "Coaching on funding" in page
    assert "Send the survey" in page and "Share slides" not in page
    assert "1 overdue" in page
    assert "who disagreed" not in page
    pittsburgh = client.get(reverse("collaborative:learning", kwargs={"slug": "pittsburgh"})).content.decode()
    assert "Coaching on funding" not in pittsburgh


def test_calendar_feed_lists_coming_meetings_only(client, meetings) -> None:
    response = client.get(reverse("collaborative:meetings-feed"), {"city": "seattle"})
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    summaries = [str(event["summary"]) for event in calendar.walk("VEVENT")]
    assert summaries == ["Coaching on funding"]
    assert b"who disagreed" not in response.content


def test_staff_see_overdue_actions_in_the_admin(client, collaborative_staff, meetings) -> None:
    client.force_login(collaborative_staff)
    page = client.get(reverse("admin:collaborative_actionitem_changelist"), {"overdue": "yes"}).content.decode()
    assert "Send the survey" in page
    assert "Share slides" not in page


def test_example_meetings_are_loaded_once_and_marked(ecosystem_data) -> None:
    learning_examples_load()
    examples = Meeting.objects.filter(is_example=True)
    assert examples.count() == 2
    assert all(meeting.title.startswith("Example:") for meeting in examples)
    assert examples.get(starts_at__lt=datetime(2018, 1, 1, tzinfo=UTC)).cities.count() == 4
