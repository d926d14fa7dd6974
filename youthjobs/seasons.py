"""Seasons over the years: a new season made by copying the last season's positions (at
the same sites) for staff to edit, the rules a season keeps (its dates overlap no other
season's; its positions' dates lie within its own), and a past season's match run with the
outcomes its placements had, recorded rather than offered.

Sites belong to no season: a copied position stands at the same site as its original.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from youthjobs.models import (
    MatchRun,
    Mechanism,
    Placement,
    PlacementEvent,
    PlacementState,
    Position,
    Season,
)
from youthjobs.services import RunParameters, match_run_execute

# A copied position's id is the new year, a dash and its original's id without a year.
COPY_ID_FORMAT = "{year}-{base}"
POSITION_FIELDS_STAFF_EDIT = ("title", "category", "seats", "minimum_age", "hours_per_week", "starts_on", "ends_on")


class SeasonError(ValueError):
    """A season change that cannot be made; the message says why, and nothing was changed."""


def overlapping_season(*, starts_on: date, ends_on: date, excluding: Season | None = None) -> Season | None:
    """A season whose dates overlap these, other than `excluding`."""
    clashing = Season.objects.filter(starts_on__lte=ends_on, ends_on__gte=starts_on)
    if excluding is not None:
        clashing = clashing.exclude(pk=excluding.pk)
    return clashing.order_by("starts_on").first()


def _copied_position_id(*, year: str, position_id: str) -> str:
    base = position_id.split("-", 1)[1] if position_id[:4].isdigit() and position_id[4:5] == "-" else position_id
    return COPY_ID_FORMAT.format(year=year, base=base)[:20]


@transaction.atomic
def season_create_by_copy(
    *, copy_from: Season, year: str, starts_on: date, ends_on: date, offer_days: int | None = None
) -> Season:
    """A new season with a copy of every position of `copy_from` (same site, title,
    category, seats, minimum age and hours), its dates moved with the season's start.

    Raises SeasonError, creating nothing, for a year that is not four digits or is taken,
    dates in the wrong order, or dates that overlap another season's."""
    if not (len(year) == 4 and year.isdigit()):
        raise SeasonError("the year must be four digits, e.g. 2027")
    if Season.objects.filter(year=year).exists():
        raise SeasonError(f"season {year} exists already")
    if ends_on < starts_on:
        raise SeasonError("the season ends before it starts")
    clash = overlapping_season(starts_on=starts_on, ends_on=ends_on)
    if clash is not None:
        raise SeasonError(
            f"the dates {starts_on:%Y-%m-%d} to {ends_on:%Y-%m-%d} overlap {clash} "
            f"({clash.starts_on:%Y-%m-%d} to {clash.ends_on:%Y-%m-%d})"
        )
    season = Season.objects.create(
        year=year,
        starts_on=starts_on,
        ends_on=ends_on,
        offer_days=copy_from.offer_days if offer_days is None else offer_days,
    )
    shift = starts_on - copy_from.starts_on
    copies = []
    for position in copy_from.positions.order_by("position_id"):
        copy_starts = max(starts_on, min(position.starts_on + shift, ends_on))
        copy_ends = min(ends_on, max(position.ends_on + shift, copy_starts))
        copies.append(
            Position(
                season=season,
                position_id=_copied_position_id(year=year, position_id=position.position_id),
                site_id=position.site_id,
                title=position.title,
                category=position.category,
                seats=position.seats,
                minimum_age=position.minimum_age,
                hours_per_week=position.hours_per_week,
                starts_on=copy_starts,
                ends_on=copy_ends,
                is_synthetic=position.is_synthetic,
            )
        )
    taken = set(
        Position.objects.filter(position_id__in=[copy.position_id for copy in copies]).values_list(
            "position_id", flat=True
        )
    )
    if taken:
        raise SeasonError(f"position ids {', '.join(sorted(taken)[:3])} are taken already; choose another year")
    Position.objects.bulk_create(copies, batch_size=1000)
    return season


def season_is_open_for_edits(season: Season) -> bool:
    """Positions may be edited until a match run of the season is approved (offers rest on them)."""
    return not season.match_runs.filter(approved_at__isnull=False).exists()


def position_changes_check(*, position: Position, changes: dict[str, Any]) -> None:
    """Raise SeasonError when `changes` may not be made to the position: another field than
    staff edit, a season already matched, seats out of range, or dates outside the season's
    (a position of one season would be placed in another)."""
    unknown = set(changes) - set(POSITION_FIELDS_STAFF_EDIT)
    if unknown:
        raise SeasonError(f"these cannot be changed here: {', '.join(sorted(unknown))}")
    season = position.season
    if not season_is_open_for_edits(season):
        raise SeasonError(f"{season} has an approved match run: its positions can no longer change")
    starts_on = changes.get("starts_on", position.starts_on)
    ends_on = changes.get("ends_on", position.ends_on)
    if ends_on < starts_on:
        raise SeasonError("the position ends before it starts")
    if starts_on < season.starts_on or ends_on > season.ends_on:
        raise SeasonError(
            f"the position's dates must lie within {season} ({season.starts_on:%Y-%m-%d} to "
            f"{season.ends_on:%Y-%m-%d}): a position of another summer belongs to that season"
        )
    if "seats" in changes and not 1 <= changes["seats"] <= 1000:
        raise SeasonError("seats must lie between 1 and 1000")


@transaction.atomic
def position_edit(*, position: Position, changes: dict[str, Any]) -> Position:
    """Change a position of a season that has no approved run yet. Raises SeasonError,
    changing nothing, where `position_changes_check` refuses the changes."""
    locked = Position.objects.select_for_update().select_related("season").get(pk=position.pk)
    position_changes_check(position=locked, changes=changes)
    if changes:
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.save(update_fields=list(changes))
    return locked


# ---------------------------------------------------------------- past seasons


@dataclass(frozen=True)
class OutcomeRates:
    """How a past season's offers ended, applied in turn: of those offered, the shares who
    declined and who let the offer expire (the others accepted); of those accepting, the
    share who withdrew before starting; of those starting, the share who ended early (the
    others completed)."""

    declined: float
    expired: float
    withdrawn: float
    ended_early: float

    def __post_init__(self) -> None:
        if not all(0 <= rate <= 1 for rate in (self.declined, self.expired, self.withdrawn, self.ended_early)):
            raise ValueError("every rate lies between 0 and 1")
        if self.declined + self.expired > 1:
            raise ValueError("more than all offers cannot be declined or expire")


def _outcome_paths(count: int, rates: OutcomeRates, rng: np.random.Generator) -> list[list[PlacementState]]:
    """Each placement's states after `offered`, in order."""
    draw = rng.random((count, 3))
    paths = []
    for answer, starts, finishes in draw.tolist():
        if answer < rates.declined:
            paths.append([PlacementState.DECLINED])
        elif answer < rates.declined + rates.expired:
            paths.append([PlacementState.EXPIRED])
        elif starts < rates.withdrawn:
            paths.append([PlacementState.ACCEPTED, PlacementState.WITHDRAWN])
        else:
            last = PlacementState.ENDED_EARLY if finishes < rates.ended_early else PlacementState.COMPLETED
            paths.append([PlacementState.ACCEPTED, PlacementState.STARTED, last])
    return paths


@transaction.atomic
def past_season_outcomes_record(*, run: MatchRun, rates: OutcomeRates, seed: int, by: User | None = None) -> int:
    """Record a finished season's placements as they turned out: the run is marked approved
    (two weeks before the season's first day), each proposal offered, then answered and
    worked as `rates` draw from `seed`, every step one PlacementEvent. No message is sent:
    the season is over. Returns the placements recorded.

    Raises SeasonError, changing nothing, for a season not over yet, a run not finished,
    a what-if run, or a season with an approved run already."""
    locked = MatchRun.objects.select_for_update().select_related("season").get(pk=run.pk)
    season = locked.season
    if season.ends_on >= timezone.localdate():
        raise SeasonError(f"{season} is not over: its offers are made by approving a run")
    if locked.status != MatchRun.Status.FINISHED or locked.is_what_if:
        raise SeasonError(f"run {locked.pk} is not a finished run that may be approved")
    if MatchRun.objects.filter(season=season, approved_at__isnull=False).exists():
        raise SeasonError(f"{season} has an approved run already")
    approved_at = timezone.make_aware(datetime.combine(season.starts_on - timedelta(days=14), time(9)))
    proposals = list(locked.placements.filter(state=PlacementState.PROPOSED).order_by("pk"))
    paths = _outcome_paths(len(proposals), rates, np.random.default_rng(seed))
    reason = f"{season}: outcome recorded after the season (synthetic, drawn at the documented rates)"
    events = []
    final_states: dict[str, list[int]] = {}
    for placement, path in zip(proposals, paths, strict=True):
        states = [PlacementState.PROPOSED, PlacementState.OFFERED, *path]
        events += [
            PlacementEvent(placement=placement, from_state=before, to_state=after, changed_by=by, reason=reason)
            for before, after in itertools.pairwise(states)
        ]
        final_states.setdefault(states[-1], []).append(placement.pk)
    PlacementEvent.objects.bulk_create(events, batch_size=5000)
    for state, placement_ids in final_states.items():
        Placement.objects.filter(pk__in=placement_ids).update(
            state=state, offer_expires_at=approved_at + timedelta(days=season.offer_days), state_changed_at=approved_at
        )
    locked.approved_at = approved_at
    locked.approved_by = by
    locked.save(update_fields=["approved_at", "approved_by"])
    return len(proposals)


def past_season_match(*, season: Season, seed: int, rates: OutcomeRates) -> MatchRun:
    """A past season's optimal run of round 1 on its own positions, solved here and now
    (not by a worker: the demo loads it in one go), with its outcomes recorded."""
    run = MatchRun.objects.create(
        season=season,
        mechanism=Mechanism.OPTIMAL,
        seed=seed,
        parameters=RunParameters.from_json({}).as_json(),
    )
    run = match_run_execute(run_id=run.pk)
    if run.status != MatchRun.Status.FINISHED:
        raise SeasonError(f"the match run of {season} failed: {run.message}")
    past_season_outcomes_record(run=run, rates=rates, seed=seed)
    return run
