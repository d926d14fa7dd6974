"""Peer learning and coaching: each city's history of meetings and its open actions, and the
iCalendar feed of coming meetings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch
from icalendar import Calendar, Event

from cities.models import City
from collaborative.models import ActionItem, ActionItemQuerySet, Meeting, MeetingQuerySet

FEED_PRODUCT_ID = "-//Civic Portal//Civic Tech and Data Collaborative meetings//EN"


@dataclass(frozen=True)
class LearningHistory:
    city: City
    coming: list[Meeting]
    past: list[Meeting]
    open_actions: list[ActionItem]
    overdue_count: int


def meeting_list() -> MeetingQuerySet:
    """Meetings with their cities, organisations and action items (and each item's owner)."""
    return Meeting.objects.prefetch_related(
        "cities",
        "organizations",
        Prefetch("action_items", queryset=ActionItem.objects.select_related("owner").order_by("due_on", "id")),
    )


def action_item_list() -> ActionItemQuerySet:
    return ActionItem.objects.select_related("meeting", "owner")


def learning_history(*, slug: str, now: datetime) -> LearningHistory:
    """A city's meetings (coming ones soonest first, past ones latest first) and the open
    action items of its meetings, soonest due first. Raises City.DoesNotExist."""
    city = City.objects.get(slug=slug)
    meetings = list(meeting_list().for_city(city).order_by("starts_at"))
    open_actions = list(action_item_list().open().filter(meeting__cities=city).distinct().order_by("due_on", "id"))
    today = now.date()
    return LearningHistory(
        city=city,
        coming=[meeting for meeting in meetings if meeting.starts_at >= now],
        past=[meeting for meeting in reversed(meetings) if meeting.starts_at < now],
        open_actions=open_actions,
        overdue_count=sum(1 for item in open_actions if item.due_on < today),
    )


def meetings_calendar(*, meetings: list[Meeting], site_url: str) -> bytes:
    """An iCalendar (RFC 5545) document of the meetings, without their notes."""
    calendar = Calendar()
    calendar.add("prodid", FEED_PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Civic Tech and Data Collaborative meetings")
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@civic-portal")
        event.add("summary", meeting.title)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("dtstamp", meeting.starts_at)
        if meeting.location:
            event.add("location", meeting.location)
        cities = ", ".join(city.name for city in meeting.cities.all())
        event.add("description", f"{meeting.get_kind_display()} with {cities}. Topics: {meeting.topics}.")
        event.add("url", site_url)
        calendar.add_component(event)
    feed: bytes = calendar.to_ical()
    return feed
