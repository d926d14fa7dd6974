"""St. Louis's staff actions in the audit trail: moderating a story, opening a defendant's
details (only when they were shown)."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.urls import reverse

from courts.roles import ST_LOUIS_DEFENDANT_STAFF, ST_LOUIS_STAFF
from courts.tests.factories import CitationFactory, StoryFactory


def test_moderating_a_story_is_recorded_with_who(client, member_of) -> None:
    story = StoryFactory()
    staff = member_of(ST_LOUIS_STAFF)
    client.force_login(staff)

    client.post(reverse("admin:courts_story_changelist"), {"action": "refuse", "_selected_action": [story.pk]})

    entry = LogEntry.objects.get_for_object(story).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == staff and entry.changes_dict["status"] == ["pending", "rejected"]


def test_a_defendants_details_opened_are_recorded_and_a_page_without_them_is_not(client, member_of) -> None:
    citation = CitationFactory()
    with_details = member_of(ST_LOUIS_DEFENDANT_STAFF)
    client.force_login(member_of(ST_LOUIS_STAFF))
    client.get(reverse("admin:courts_citation_change", args=[citation.pk]))
    assert not LogEntry.objects.get_for_object(citation).exists()

    client.force_login(with_details)
    client.get(reverse("admin:courts_citation_change", args=[citation.pk]))

    entry = LogEntry.objects.get_for_object(citation).get()
    assert entry.action == LogEntry.Action.ACCESS and entry.actor == with_details
    assert entry.object_repr == f"Citation {citation.citation_number}"
