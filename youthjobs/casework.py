"""A youth's case, as staff work it in the admin: notes (append-only), eligibility facts
staff verified (eligibility decided again at once), and their open offer: sent again, or
its deadline moved later. Each change records who, when and why; bad input raises
CaseError and changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from cities.after_response import task_send
from youthjobs.eligibility import eligibility_refresh
from youthjobs.models import Applicant, ApplicantNote, Eligibility, EligibilityFact, Placement, PlacementState
from youthjobs.placements import record

# Named, not imported: the tasks module imports these services (`cities.enqueue`).
OFFER_RESEND_TASK = "youthjobs.tasks.offer_resend_task"


class CaseError(ValueError):
    """A change to a youth's case that cannot be made; the message says why, for staff."""


def _user(user: User | None) -> User | None:
    return user if getattr(user, "pk", None) else None


@transaction.atomic
def applicant_note_add(*, applicant: Applicant, text: str, by: User | None) -> ApplicantNote:
    """Add a note to the youth's case (notes are never edited: a later note corrects one)."""
    if not text.strip():
        raise CaseError("write the note first: an empty note was not added")
    return ApplicantNote.objects.create(applicant=applicant, text=text.strip(), written_by=_user(by))


@transaction.atomic
def eligibility_fact_record(*, applicant: Applicant, fact: str, reason: str, by: User | None) -> Eligibility:
    """Record a fact staff verified (e.g. a work permit) and decide the youth's eligibility
    again at once. Returns the new decision."""
    if fact not in EligibilityFact.Fact.values:
        raise CaseError(f"unknown fact {fact!r}")
    if not reason.strip():
        raise CaseError("say how you know it (e.g. the permit you saw): nothing was recorded")
    EligibilityFact.objects.create(applicant=applicant, fact=fact, reason=reason.strip(), recorded_by=_user(by))
    eligibility_refresh(applicant_ids=[applicant.pk])
    return Eligibility.objects.get(applicant=applicant)


def _open_offer(placement: Placement) -> Placement:
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    if locked.state != PlacementState.OFFERED:
        raise CaseError(f"this placement is {locked.get_state_display().lower()}, not an open offer")
    if locked.is_lapsed:
        raise CaseError("the deadline of this offer has passed: it has expired")
    return locked


@transaction.atomic
def offer_resend(*, placement: Placement, by: User | None) -> int:
    """Send an open offer's messages again (after the commit, once each), recorded in the
    placement's history. Returns which sending this is (1 for the first resend)."""
    locked = _open_offer(placement)
    sending = locked.events.filter(reason__startswith=OFFER_SENT_AGAIN).count() + 1
    record(locked, to_state=locked.state, by=by, reason=f"{OFFER_SENT_AGAIN} (sending {sending})").save()
    transaction.on_commit(lambda: task_send(OFFER_RESEND_TASK, locked.pk, sending))
    return sending


OFFER_SENT_AGAIN = "Offer sent again by staff"


@transaction.atomic
def offer_deadline_extend(*, placement: Placement, until: datetime, by: User | None, reason: str) -> Placement:
    """Move an open offer's deadline later, with a reason kept in its history."""
    locked = _open_offer(placement)
    if not reason.strip():
        raise CaseError("say why the deadline moves: nothing was changed")
    if until <= timezone.now() or (locked.offer_expires_at and until <= locked.offer_expires_at):
        raise CaseError("the new deadline must be later than the current one and in the future")
    record(
        locked,
        to_state=locked.state,
        by=by,
        reason=f"Deadline extended to {timezone.localtime(until):%Y-%m-%d %H:%M}: {reason.strip()}",
    ).save()
    locked.offer_expires_at = until
    locked.save(update_fields=["offer_expires_at"])
    return locked
