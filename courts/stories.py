"""Residents' stories of the justice system: sent with consent, read by staff, published
without any name."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courts.models import Municipality, Story

MIN_STORY_LENGTH = 20
MAX_STORY_LENGTH = 5000


class StoryRefused(ValueError):
    """A story that cannot be kept; the message says why, for the resident."""


@transaction.atomic
def story_submit(*, body: str, consent: bool, municipality_id: int | None = None) -> Story:
    """Keep a resident's story for review (status pending). Needs consent to publish it
    anonymously and 20 to 5,000 characters; the municipality is optional. Raises
    StoryRefused, storing nothing, otherwise. The text is kept as written: pages escape it."""
    text = body.strip()
    if not consent:
        raise StoryRefused(_("Please tick the box to say we may publish your story without your name."))
    if len(text) < MIN_STORY_LENGTH:
        raise StoryRefused(_("Please write at least %(count)d characters.") % {"count": MIN_STORY_LENGTH})
    if len(text) > MAX_STORY_LENGTH:
        raise StoryRefused(_("Please keep your story under %(count)s characters.") % {"count": f"{MAX_STORY_LENGTH:,}"})
    municipality = None
    if municipality_id is not None:
        municipality = Municipality.objects.filter(pk=municipality_id).first()
        if municipality is None:
            raise StoryRefused(_("Choose a town from the list, or leave it empty."))
    return Story.objects.create(body=text, municipality=municipality, consent_given_at=timezone.now())


MODERATED_STATUSES = (Story.Status.APPROVED, Story.Status.REJECTED)


@transaction.atomic
def story_moderate(*, story_ids: list[int], status: str) -> int:
    """Publish (APPROVED) or do not publish (REJECTED) stories as they are; returns how many
    changed. A story already in that state is left alone, so running it twice changes nothing
    more. Each story is saved on its own, so the audit trail records each decision."""
    if status not in MODERATED_STATUSES:
        raise ValueError(f"a story is moderated to approved or rejected, not {status!r}")
    stories = list(Story.objects.select_for_update().filter(pk__in=story_ids).exclude(status=status))
    for story in stories:
        story.status = status
        story.reviewed_at = timezone.now()
        story.save(update_fields=["status", "reviewed_at"])
    return len(stories)


@transaction.atomic
def story_review(*, story: Story, status: str, published_text: str) -> Story:
    """Staff's decision on one story, from its page: publish (APPROVED) it with the text they
    edited, or do not publish (REJECTED) it. An empty text, or the resident's own, publishes
    the resident's words; those stay in `body` whatever staff publish. Raises StoryRefused for
    a text that is too long, changing nothing."""
    if status not in MODERATED_STATUSES:
        raise ValueError(f"a story is moderated to approved or rejected, not {status!r}")
    locked = Story.objects.select_for_update().get(pk=story.pk)
    text = published_text.strip()
    if len(text) > MAX_STORY_LENGTH:
        raise StoryRefused(f"Keep the text to publish under {MAX_STORY_LENGTH:,} characters.")
    locked.published_text = "" if text == locked.body else text
    locked.status = status
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["published_text", "status", "reviewed_at"])
    return locked
