"""A placement's life after its match run: approval turns a run's proposals into offers,
youth answer through a private signed link before a deadline, staff move placements on
(started, completed, ended early) or override them with a reason. Every change is one
`PlacementEvent` (who, when, why); a change the state machine does not allow is refused.

Declined, expired and withdrawn placements hold no seat, so the next round's run finds
those seats (and those youth, when they declined nothing) free again.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from youthjobs.models import (
    PLACEMENT_TRANSITIONS,
    SEAT_HOLDING_STATES,
    MatchRun,
    Placement,
    PlacementEvent,
    PlacementState,
    Position,
)


class PlacementError(ValueError):
    """A change that cannot be made; the message says why, in words staff or youth read."""


def _user(user: User | None) -> User | None:
    return user if getattr(user, "pk", None) else None


def _send_offers(run_id: int) -> None:
    from youthjobs.tasks import offers_send_task  # the tasks module imports these services

    offers_send_task.delay(run_id)


def record(placement: Placement, *, to_state: str, by: User | None, reason: str, **extra: object) -> PlacementEvent:
    """The (unsaved) event of a placement's change from its current state."""
    return PlacementEvent(
        placement=placement, from_state=placement.state, to_state=to_state, changed_by=_user(by), reason=reason, **extra
    )


@transaction.atomic
def match_run_approve(*, run: MatchRun, approved_by: User | None) -> int:
    """Approve a finished run: every proposal becomes an offer open until the season's
    answer deadline, and each youth is sent their offer once committed. Returns the
    number of offers made.

    Refuses (PlacementError, changing nothing) a run that is not finished, already
    approved, or of a round another approved run has taken; or when a youth of the run
    has meanwhile been given a seat elsewhere."""
    locked = MatchRun.objects.select_for_update().select_related("season").get(pk=run.pk)
    if locked.status != MatchRun.Status.FINISHED:
        raise PlacementError(
            f"run {locked.pk} is {locked.get_status_display().lower()}; only a finished run can be approved"
        )
    if locked.approved_at is not None:
        raise PlacementError(f"run {locked.pk} was approved already")
    if MatchRun.objects.filter(season=locked.season, round=locked.round, approved_at__isnull=False).exists():
        raise PlacementError(f"another run of round {locked.round} was approved already; start a new round instead")
    now = timezone.now()
    expires = now + timedelta(days=locked.season.offer_days)
    proposals = list(locked.placements.filter(state=PlacementState.PROPOSED))
    PlacementEvent.objects.bulk_create(
        [
            record(placement, to_state=PlacementState.OFFERED, by=approved_by, reason=f"Run {locked.pk} approved")
            for placement in proposals
        ],
        batch_size=2000,
    )
    try:
        with transaction.atomic():
            offered = locked.placements.filter(state=PlacementState.PROPOSED).update(
                state=PlacementState.OFFERED, offer_expires_at=expires, state_changed_at=now
            )
    except IntegrityError:
        raise PlacementError("some youth of this run hold a seat from another run already; start a new run") from None
    locked.approved_at = now
    locked.approved_by = _user(approved_by)
    locked.save(update_fields=["approved_at", "approved_by"])
    transaction.on_commit(lambda: _send_offers(locked.pk))
    return offered


@transaction.atomic
def placement_transition(*, placement: Placement, to_state: str, by: User | None, reason: str) -> Placement:
    """Move a placement to `to_state` as the state machine allows, recording who and why.
    Raises PlacementError for a change it does not allow or without a reason."""
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    if not reason.strip():
        raise PlacementError("say why the placement changes")
    if not locked.can_become(to_state):
        allowed = ", ".join(sorted(PLACEMENT_TRANSITIONS[locked.state])) or "nothing"
        raise PlacementError(
            f"a placement that is {locked.get_state_display().lower()} cannot become {to_state}; "
            f"it can become {allowed}"
        )
    record(locked, to_state=to_state, by=by, reason=reason.strip()).save()
    locked.state = to_state
    locked.state_changed_at = timezone.now()
    locked.save(update_fields=["state", "state_changed_at"])
    return locked


def position_seats_left(*, position: Position, run: MatchRun) -> int:
    """Seats of a position not held by any placement nor proposed by this run."""
    taken = position.placements.filter(Q(state__in=SEAT_HOLDING_STATES) | Q(run=run, state=PlacementState.PROPOSED))
    return position.seats - taken.count()


@transaction.atomic
def placement_override(*, placement: Placement, position: Position, by: User | None, reason: str) -> Placement:
    """Staff move a proposed or offered placement to another position of the season with a
    seat left, with a reason kept in its history. An offered placement's link to the old
    position stops working; the youth is sent an offer of the new one. Raises PlacementError."""
    locked = Placement.objects.select_for_update().select_related("run", "applicant").get(pk=placement.pk)
    Position.objects.select_for_update().filter(pk=position.pk).first()
    if not reason.strip():
        raise PlacementError("say why the placement is overridden")
    if locked.state not in (PlacementState.PROPOSED, PlacementState.OFFERED):
        raise PlacementError("only a proposed or offered placement can be moved to another position")
    if position.pk == locked.position_id:
        raise PlacementError("the placement is at this position already")
    if position.season_id != locked.applicant.season_id:
        raise PlacementError("the position belongs to another season")
    if position_seats_left(position=position, run=locked.run) < 1:
        raise PlacementError(f"{position} has no seat left")
    record(locked, to_state=locked.state, by=by, reason=reason.strip(), from_position_id=locked.position_id).save()
    locked.position = position
    locked.state_changed_at = timezone.now()
    locked.explanation = f"Placed by staff: {reason.strip()}"[:200]
    locked.save(update_fields=["position", "state_changed_at", "explanation"])
    if locked.state == PlacementState.OFFERED:
        # The youth's earlier link names the old position and stops working: a new offer goes out.
        transaction.on_commit(lambda: _send_offers(locked.run_id))
    return locked


def run_state_counts(run: MatchRun) -> dict[str, int]:
    """How many of the run's placements are in each state."""
    return dict(run.placements.values_list("state").annotate(count=Count("pk")).order_by())
