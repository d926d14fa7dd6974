"""A placement's life after its match run: approval turns a run's proposals into offers,
youth answer through a private signed link before a deadline, staff move placements on
(started, completed, ended early) or override them with a reason. Every change is one
`PlacementEvent` (who, when, why); a change the state machine does not allow is refused.

Declined, expired and withdrawn placements hold no seat, so the next round's run finds
those seats (and those youth, when they declined nothing) free again.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import numpy as np
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from cities.after_response import task_send
from youthjobs.commute import CommuteParameters, commute_candidate_pairs, lonlat_to_metres
from youthjobs.geography import transit_stops_load
from youthjobs.models import (
    PLACEMENT_TRANSITIONS,
    SEAT_HOLDING_STATES,
    Applicant,
    MatchRun,
    Placement,
    PlacementEvent,
    PlacementState,
    Position,
)
from youthjobs.scoring import ScoreWeights, pair_scores, score_explanation
from youthjobs.services import RunParameters

# Named, not imported: the tasks module imports these services (`cities.enqueue`).
OFFERS_SEND_TASK = "youthjobs.tasks.offers_send_task"


class PlacementError(ValueError):
    """A change that cannot be made; the message says why, in words staff or youth read."""


def _user(user: User | None) -> User | None:
    return user if getattr(user, "pk", None) else None


def _send_offers(run_id: int) -> None:
    # Hundreds of messages: staff get their page back first (see cities.after_response).
    task_send(OFFERS_SEND_TASK, run_id)


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
    approved, a what-if run, or of a round another approved run has taken; or when a youth of the run
    has meanwhile been given a seat elsewhere."""
    locked = MatchRun.objects.select_for_update().select_related("season").get(pk=run.pk)
    if locked.status != MatchRun.Status.FINISHED:
        raise PlacementError(
            f"run {locked.pk} is {locked.get_status_display().lower()}; only a finished run can be approved"
        )
    if locked.is_what_if:
        raise PlacementError(
            f"run {locked.pk} is a what-if run: it re-solves a season to learn from it and is never approved"
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


# A moved placement's commute is estimated whatever its length: staff may place a youth
# farther than the run's maximum (the travel part then scores 0).
_ANY_COMMUTE_MINUTES = 24 * 60.0


def placement_figures(*, applicant: Applicant, position: Position, run: MatchRun) -> dict[str, object]:
    """The commute, score parts and explanation of placing `applicant` at `position` under the
    run's parameters, as the run itself computes them for its pairs."""
    parameters = RunParameters.from_json(run.parameters)
    commute: CommuteParameters = replace(parameters.commute, max_minutes=_ANY_COMMUTE_MINUTES)
    stops = transit_stops_load()
    pairs = commute_candidate_pairs(
        youth_xy=lonlat_to_metres([applicant.home_longitude], [applicant.home_latitude]),
        youth_has_pass=[applicant.has_transit_pass],
        position_xy=lonlat_to_metres([position.site.longitude], [position.site.latitude]),
        stop_xy=lonlat_to_metres(stops[:, 0], stops[:, 1]),
        parameters=commute,
    )
    minutes, by_transit = float(pairs.minutes[0]), bool(pairs.by_transit[0])
    interests = applicant.ranked_interests
    interest_rank = interests.index(position.category) + 1 if position.category in interests else 0
    weights: ScoreWeights = parameters.weights
    scores = pair_scores(
        minutes=np.array([minutes]),
        interest_rank=np.array([interest_rank]),
        weights=weights,
        max_minutes=parameters.commute.max_minutes,
    )
    travel, interest = float(scores.travel_points[0]), float(scores.interest_points[0])
    explanation = score_explanation(
        minutes=minutes,
        by_transit=by_transit,
        interest_rank=interest_rank,
        travel_points=travel,
        interest_points=interest,
    )
    return {
        "commute_minutes": round(minutes, 1),
        "by_transit": by_transit,
        "interest_rank": interest_rank,
        "travel_points": travel,
        "interest_points": interest,
        "score": round(travel + interest, 1),
        "explanation": f"Moved by staff; {explanation}",
    }


@transaction.atomic
def placement_override(*, placement: Placement, position: Position, by: User | None, reason: str) -> Placement:
    """Staff move a proposed or offered placement to another position of the season with a
    seat left, with a reason kept in its history. The placement takes the new position's
    commute, score parts and explanation (under its run's parameters). An offered
    placement's link to the old position stops working; the youth is sent an offer of the
    new one. Raises PlacementError, changing nothing."""
    locked = Placement.objects.select_for_update().select_related("run", "applicant").get(pk=placement.pk)
    target = Position.objects.select_for_update().select_related("site").get(pk=position.pk)
    if not reason.strip():
        raise PlacementError("say why the placement is moved")
    if locked.state not in (PlacementState.PROPOSED, PlacementState.OFFERED):
        raise PlacementError("only a proposed or offered placement can be moved to another position")
    if target.pk == locked.position_id:
        raise PlacementError("the placement is at this position already")
    if target.season_id != locked.applicant.season_id:
        raise PlacementError("the position belongs to another season")
    if position_seats_left(position=target, run=locked.run) < 1:
        raise PlacementError(f"{target} has no seat left: choose a position with a free seat")
    record(locked, to_state=locked.state, by=by, reason=reason.strip(), from_position_id=locked.position_id).save()
    figures = placement_figures(applicant=locked.applicant, position=target, run=locked.run)
    for field, value in figures.items():
        setattr(locked, field, value)
    locked.position = target
    # The employer picked the youth for the old position, not this one.
    locked.is_direct_hire = False
    locked.state_changed_at = timezone.now()
    locked.save(update_fields=["position", "is_direct_hire", "state_changed_at", *figures])
    if locked.state == PlacementState.OFFERED:
        # The youth's earlier link names the old position and stops working: a new offer goes out.
        transaction.on_commit(lambda: _send_offers(locked.run_id))
    return locked


def run_state_counts(run: MatchRun) -> dict[str, int]:
    """How many of the run's placements are in each state, offers past their deadline
    counted as expired (whether or not the scheduled expiry has run)."""
    counts = dict(run.placements.values_list("state").annotate(count=Count("pk")).order_by())
    lapsed = run.placements.lapsed_offers().count()
    if lapsed:
        counts[PlacementState.OFFERED] -= lapsed
        counts[PlacementState.EXPIRED] = counts.get(PlacementState.EXPIRED, 0) + lapsed
    return {state: count for state, count in counts.items() if count}
