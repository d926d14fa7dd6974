"""What to change next season: what a season's comparison with the one before says (the
neighbourhoods whose placement rate fell or lags the city most, the categories more youth
chose first than they had seats, the eligible youth left unplaced), and what-if match runs
that re-solve the season's approved problem with one thing changed: a longer maximum
commute, or more seats in a category.

A what-if run is a match run with `what_if` set: it re-solves the whole season (every
eligible youth, every seat, direct hires first) with the approved run's mechanism, seed and
parameters but for the change, and it is never approved: the database refuses it
(`match_run_what_if_never_approved`), so does `match_run_approve`, and the admin offers no
button. Its figures stand beside the approved run's for staff to compare.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.module_loading import import_string

from youthjobs.analytics import SMALL_CELL
from youthjobs.models import JOB_CATEGORIES, MatchRun, Season
from youthjobs.season_comparison import seasons_compared
from youthjobs.services import RunParameters

MATCH_RUN_TASK = "youthjobs.tasks.match_run_task"
SUGGESTIONS_SHOWN = 5
MAX_EXTRA_SEATS = 1000


class WhatIfError(ValueError):
    """A what-if run that cannot be started as asked; the message says why."""


def approved_run_of(season: Season) -> MatchRun | None:
    """The season's approved run of round 1: the problem a what-if re-solves."""
    return season.match_runs.filter(approved_at__isnull=False).order_by("round").first()


@transaction.atomic
def what_if_run_start(
    *,
    season: Season,
    max_minutes: float | None = None,
    extra_seats: dict[str, int] | None = None,
    started_by: User | None = None,
) -> MatchRun:
    """Queue a what-if run of the season: its approved run's problem with a longer maximum
    commute and/or extra seats in categories. Raises WhatIfError, storing nothing, when the
    season has no approved run, nothing is changed, the commute is not longer, or a
    category is unknown or given no seats."""
    approved = approved_run_of(season)
    if approved is None:
        raise WhatIfError(f"{season} has no approved match run: a what-if re-solves an approved run's problem")
    extra_seats = {category: count for category, count in (extra_seats or {}).items() if count}
    if max_minutes is None and not extra_seats:
        raise WhatIfError("change something: a longer maximum commute or more seats in a category")
    parameters = RunParameters.from_json(approved.parameters)
    current_max = parameters.commute.max_minutes
    if max_minutes is not None and not current_max < max_minutes <= 120:
        raise WhatIfError(
            f"the maximum commute must be longer than the approved run's {current_max:g} minutes, at most 120"
        )
    for category, count in extra_seats.items():
        if category not in JOB_CATEGORIES:
            raise WhatIfError(f"{category!r} is not a job category")
        if not 0 < count <= MAX_EXTRA_SEATS:
            raise WhatIfError(f"extra seats must lie between 1 and {MAX_EXTRA_SEATS}")
    values = approved.parameters | {}
    if max_minutes is not None:
        values = values | {"commute": values.get("commute", {}) | {"max_minutes": max_minutes}}
    run = MatchRun.objects.create(
        season=season,
        round=approved.round,
        mechanism=approved.mechanism,
        seed=approved.seed,
        parameters=RunParameters.from_json(values).as_json(),
        what_if={"of_run": approved.pk, "max_minutes": max_minutes, "extra_seats": extra_seats},
        created_by=started_by if getattr(started_by, "pk", None) else None,
    )
    transaction.on_commit(lambda: import_string(MATCH_RUN_TASK).delay(run.pk))
    return run


def what_if_described(run: MatchRun) -> str:
    """What a what-if run changed, in words."""
    changes = []
    if run.what_if.get("max_minutes") is not None:
        changes.append(f"maximum commute {run.what_if['max_minutes']:g} minutes")
    for category, count in sorted(run.what_if.get("extra_seats", {}).items()):
        changes.append(f"{count} more seats in {category}")
    return "; ".join(changes)


@dataclass(frozen=True)
class WhatIfResult:
    run: MatchRun
    change: str
    placed: int | None
    placed_approved: int | None
    mean_commute: float | None


@dataclass(frozen=True)
class NextSeasonChanges:
    """What to change after `season`, with the figures each suggestion rests on."""

    season: Season
    previous: Season | None
    city_rate: float | None
    falling: list[dict[str, Any]]
    lagging: list[dict[str, Any]]
    oversubscribed: list[dict[str, Any]]
    eligible_unplaced: int
    what_ifs: list[WhatIfResult]


def next_season_changes(season: Season) -> NextSeasonChanges:
    """The suggestions for the season after `season` (staff figures, unsuppressed).
    Neighbourhoods with fewer than 10 applicants are left out: their rates swing by chance."""
    seasons = list(Season.objects.filter(year__lte=season.year).order_by("year"))
    compared = seasons_compared(public=False, seasons=seasons)
    figures = compared[-1]
    before = compared[-2] if len(compared) > 1 and compared[-2]["matched"] else None
    rates = {row["group"]: row for row in figures["by_neighbourhood"] if row["youth"] >= SMALL_CELL}
    earlier = {row["group"]: row for row in before["by_neighbourhood"]} if before else {}
    falling = sorted(
        (
            {
                **row,
                "rate_before": earlier[group]["placement_rate"],
                "change": row["placement_rate"] - earlier[group]["placement_rate"],
            }
            for group, row in rates.items()
            if group in earlier and earlier[group]["youth"] >= SMALL_CELL
        ),
        key=lambda row: row["change"],
    )
    city_rate = figures["placement_rate"]
    lagging = sorted(
        ({**row, "gap": row["placement_rate"] - city_rate} for row in rates.values() if city_rate is not None),
        key=lambda row: row["gap"],
    )
    oversubscribed = sorted(
        (
            {**row, "shortfall": row["first_choices"] - row["seats"]}
            for row in figures["categories"]
            if row["first_choices"] > row["seats"]
        ),
        key=lambda row: -row["shortfall"],
    )
    approved = approved_run_of(season)
    approved_overall = approved.summary.get("overall", {}) if approved else {}
    what_ifs = [
        WhatIfResult(
            run=run,
            change=what_if_described(run),
            placed=run.summary.get("overall", {}).get("placed"),
            placed_approved=approved_overall.get("placed"),
            mean_commute=run.summary.get("overall", {}).get("mean_commute_minutes"),
        )
        for run in season.match_runs.exclude(what_if={}).order_by("-created_at")
    ]
    return NextSeasonChanges(
        season=season,
        previous=seasons[-2] if before else None,
        city_rate=city_rate,
        falling=[row for row in falling if row["change"] < 0][:SUGGESTIONS_SHOWN],
        lagging=[row for row in lagging if row["gap"] < 0][:SUGGESTIONS_SHOWN],
        oversubscribed=oversubscribed,
        eligible_unplaced=(figures["eligible"] - (figures["placed"] or 0)) if figures["matched"] else 0,
        what_ifs=what_ifs,
    )
