"""Operations of the Boston summer jobs app that span models: loading a season's files,
and match runs: building the problem from the database, solving it with the run's
mechanism (`youthjobs.matching`), saving its proposals.

A match run places the season's eligible youth who hold no seat yet into the seats left:

- youth who declined an offer or let it expire are not matched again;
- round 1 first carries every eligible direct hire into the run as a proposal (placed
  before the lottery; their seats are taken off);
- candidate pairs are the youth-position pairs within the run's maximum commute
  (`youthjobs.commute`, from the real MBTA stops) whose position takes youth of that age;
- each pair's score is its travel part plus its interest part (`youthjobs.scoring`);
  sites rank the youth proposing to them (stable mechanism) by how high the youth listed
  the position's category, then by the run's lottery;
- the lottery is a permutation drawn from the run's seed.
The same database rows, mechanism, parameters and seed give the same input checksum and
the same placements.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from cities.enqueue import enqueue_on_commit
from cities.models import IngestionRun
from cities.registry import DemoFile
from cities.services import demo_files_load
from youthjobs import analytics
from youthjobs.candidates import CandidateInputs, matching_problem, scored_candidate_pairs
from youthjobs.commute import CommuteParameters, lonlat_to_metres, pair_commutes
from youthjobs.eligibility import ages_on
from youthjobs.geography import GEOGRAPHY_FILES, transit_stops_load
from youthjobs.matching import (
    MECHANISMS,
    UNPLACED,
    Assignment,
    MatchingProblem,
    assignment_summary,
    blocking_pairs,
    match_greedy_lottery,
)
from youthjobs.models import (
    SEAT_HOLDING_STATES,
    Applicant,
    DirectHire,
    MatchRun,
    Mechanism,
    Placement,
    PlacementState,
    Position,
    Season,
)
from youthjobs.scoring import ScoreWeights, score_explanation
from youthjobs.synthetic import synthetic_files

logger = logging.getLogger(__name__)

# Named, not imported: the tasks module imports these services (`cities.enqueue`).
MATCH_RUN_TASK = "youthjobs.tasks.match_run_task"

# The catalogue's dataset of each generated file (see youthjobs/demo/datasets.csv).
SYNTHETIC_DATASETS = {
    "seasons": "youthjobs-seasons",
    "sites": "youthjobs-sites",
    "positions": "youthjobs-positions",
    "applicants": "youthjobs-applicants",
    "direct_hires": "youthjobs-direct-hires",
}
# Small enough that `make run` stays quick; `generate_youthjobs_data --youth 8000` makes
# the programme's real size.
DEMO_YOUTH = 800
DEMO_SEED = 2026


def boston_geography_files(data_dir: Path) -> list[DemoFile]:
    """Boston's neighbourhoods, ZIP code areas and MBTA stops (`youthjobs.geography`), each for
    its catalogued dataset, taken in like any city's boundaries before a season that needs them."""
    return [
        DemoFile(dataset=slug, schema=schema, path=data_dir / path) for slug, (schema, path) in GEOGRAPHY_FILES.items()
    ]


def boston_geography_load(*, data_dir: Path) -> list[IngestionRun]:
    """Take in Boston's geography through the core's demo loop. The same files a second time
    change nothing. Raises DemoDataError at the first refused file."""
    return demo_files_load(boston_geography_files(data_dir))


def synthetic_demo_files(*, youth: int, seed: int, data_dir: Path) -> list[DemoFile]:
    """A synthetic season (`youthjobs.synthetic`): its five files, each for its catalogued
    dataset, in dependency order, as a programme's own files would come in."""
    return [
        DemoFile(
            dataset=SYNTHETIC_DATASETS[name],
            schema=f"youthjobs.{name}",
            path=Path(f"synthetic_{name}_{seed}.csv"),
            content=content,
        )
        for name, content in synthetic_files(youth=youth, seed=seed, data_dir=data_dir).in_order()
    ]


def synthetic_data_load(*, youth: int, seed: int, data_dir: Path) -> list[IngestionRun]:
    """Take in Boston's geography, then generate a synthetic season on it and ingest its files
    through the core's demo loop.

    Needs the core's demo data (the catalogue) first. Raises DemoDataError at the first
    refused file, naming it and its errors; the files before it stay loaded. Rows are
    upserted by their ids: the same youth count and seed a second time changes nothing."""
    runs = boston_geography_load(data_dir=data_dir)
    return runs + demo_files_load(synthetic_demo_files(youth=youth, seed=seed, data_dir=data_dir))


def youthjobs_demo_files(data_dir: Path) -> Iterator[DemoFile]:
    """The demo's Boston geography, then its synthetic season: `DEMO_YOUTH` youth from
    `DEMO_SEED`. A generator: the season is drawn on the geography once that is taken in."""
    yield from boston_geography_files(data_dir)
    yield from synthetic_demo_files(youth=DEMO_YOUTH, seed=DEMO_SEED, data_dir=data_dir)


# ---------------------------------------------------------------- match runs


class MatchRunError(ValueError):
    """A run that cannot be started or approved as asked; the message says why."""


@dataclass(frozen=True)
class RunParameters:
    """A run's parameters: the commute estimate's (maximum minutes included), the score's,
    and how many positions each youth is considered for: their best-scoring ones within the
    maximum commute, or all of them (0, the default: at 8,000 youth about 500 each, 3.9
    million pairs, solved exactly in about a second). A limit makes a much larger programme
    tractable at the price of exactness: "optimal" is then optimal among those pairs, which
    are found without listing every reachable pair (`youthjobs.candidates`; at 167,000 youth
    and 100,000 seats, 30 each give 4.9 million pairs where all would be an estimated
    1.2 billion)."""

    commute: CommuteParameters
    weights: ScoreWeights
    candidates_per_youth: int = 0

    def __post_init__(self) -> None:
        if isinstance(self.candidates_per_youth, bool) or not isinstance(self.candidates_per_youth, int):
            raise ValueError("candidates_per_youth must be a whole number")
        if self.candidates_per_youth < 0:
            raise ValueError("candidates_per_youth must be 0 (all) or more")

    @classmethod
    def from_json(cls, values: dict[str, Any]) -> RunParameters:
        """Parameters from a run's stored JSON (missing values take their defaults).
        Raises MatchRunError naming an unknown or invalid parameter."""
        try:
            return cls(
                commute=CommuteParameters(**values.get("commute", {})),
                weights=ScoreWeights(**values.get("weights", {})),
                candidates_per_youth=values.get("candidates_per_youth", cls.candidates_per_youth),
            )
        except (TypeError, ValueError) as error:
            raise MatchRunError(f"invalid run parameters: {error}") from None

    def as_json(self) -> dict[str, Any]:
        return {
            "commute": asdict(self.commute),
            "weights": asdict(self.weights),
            "candidates_per_youth": self.candidates_per_youth,
        }


@dataclass(frozen=True)
class DirectHirePlacement:
    """A direct hire carried into a run: youth and position numbers of the problem, the kind
    of hire, and the commute when it lies within the run's maximum."""

    youth: int
    position: int
    kind: str
    minutes: float | None = None
    by_transit: bool = False


def _with_commutes(
    hires: list[DirectHirePlacement], *, inputs: CandidateInputs, commute: CommuteParameters
) -> list[DirectHirePlacement]:
    """The hires with their commute; a hire farther than the maximum commute keeps none."""
    youth = np.asarray([hire.youth for hire in hires], dtype=np.int64)
    position = np.asarray([hire.position for hire in hires], dtype=np.int64)
    minutes, by_transit = pair_commutes(
        youth_xy=inputs.youth_xy[youth],
        youth_has_pass=inputs.youth_has_pass[youth],
        position_xy=inputs.position_xy[position],
        stop_xy=inputs.stop_xy,
        parameters=commute,
    )
    return [
        hire if math.isnan(hire_minutes) else replace(hire, minutes=hire_minutes, by_transit=hire_by_transit)
        for hire, hire_minutes, hire_by_transit in zip(hires, minutes.tolist(), by_transit.tolist(), strict=True)
    ]


@dataclass(frozen=True)
class BuiltProblem:
    """The matching problem of a run with what ties its numbers back to rows."""

    problem: MatchingProblem
    applicant_ids: np.ndarray
    position_ids: np.ndarray
    youth: pd.DataFrame
    pair_minutes: np.ndarray
    pair_by_transit: np.ndarray
    pair_interest_rank: np.ndarray
    pair_travel_points: np.ndarray
    pair_interest_points: np.ndarray
    direct_hires: list[DirectHirePlacement]
    direct_hires_not_placed: int
    # The season's eligible youth, whether or not this run could still place them.
    eligible: int
    checksum: str


def next_round(season: Season) -> int:
    """The round a new run of the season belongs to: one after the last approved round."""
    approved = season.match_runs.filter(approved_at__isnull=False).order_by("-round").first()
    return approved.round + 1 if approved else 1


@transaction.atomic
def match_run_start(
    *,
    season: Season,
    mechanism: str,
    seed: int,
    parameters: dict[str, Any] | None = None,
    started_by: User | None = None,
) -> MatchRun:
    """Queue a match run of the season's next round and send it to a worker once committed.

    Raises MatchRunError, storing nothing, for an unknown mechanism, a negative seed or
    invalid parameters."""
    if mechanism not in Mechanism.values:
        raise MatchRunError(f"unknown mechanism {mechanism!r}; choose one of {', '.join(Mechanism.values)}")
    if seed < 0 or seed >= 2**31:
        raise MatchRunError("the seed must be a whole number from 0 to 2147483647")
    run = MatchRun.objects.create(
        season=season,
        round=next_round(season),
        mechanism=mechanism,
        seed=seed,
        parameters=RunParameters.from_json(parameters or {}).as_json(),
        created_by=started_by if getattr(started_by, "pk", None) else None,
    )
    enqueue_on_commit(MATCH_RUN_TASK, run.pk)
    return run


def _checksum(*, run: MatchRun, arrays: list[np.ndarray]) -> str:
    digest = hashlib.sha256()
    digest.update(f"{run.mechanism}|{run.seed}|{sorted(run.parameters.items())}".encode())
    for array in arrays:
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


# What a run reads of each youth and position (one query each).
YOUTH_FIELDS = (
    "pk",
    "date_of_birth",
    "gender",
    "neighbourhood",
    "home_longitude",
    "home_latitude",
    "has_transit_pass",
    "first_interest",
    "second_interest",
    "third_interest",
)
POSITION_FIELDS = ("pk", "seats", "held", "minimum_age", "category", "site__longitude", "site__latitude")


def match_problem_build(*, run: MatchRun) -> BuiltProblem:
    """The run's problem from the database: the season's eligible youth without a seat,
    the seats left at each position, the candidate pairs with their scores and priorities,
    the lottery from the run's seed and a checksum of all of it."""
    parameters = RunParameters.from_json(run.parameters)
    season = run.season
    # Youth who hold a seat are done; youth who declined an offer or let it expire have had
    # their turn (their seats go to the others).
    # A what-if run re-solves the season's whole problem: nobody's seat or answer counts.
    answered = (
        Placement.objects.none()
        if run.is_what_if
        else Placement.objects.filter(
            position__season=season, state__in=[*SEAT_HOLDING_STATES, PlacementState.DECLINED, PlacementState.EXPIRED]
        )
    )
    held_states = [] if run.is_what_if else SEAT_HOLDING_STATES
    youth = pd.DataFrame.from_records(
        Applicant.objects.eligible()
        .filter(season=season)
        .exclude(pk__in=answered.values("applicant"))
        .order_by("pk")
        .values(*YOUTH_FIELDS),
        columns=list(YOUTH_FIELDS),
    )
    youth["age"] = ages_on(born=youth["date_of_birth"], day=season.starts_on) if len(youth) else []
    positions = pd.DataFrame.from_records(
        Position.objects.filter(season=season)
        .annotate(held=Count("placements", filter=Q(placements__state__in=held_states)))
        .order_by("pk")
        .values(*POSITION_FIELDS),
        columns=list(POSITION_FIELDS),
    )
    seats = (positions["seats"] - positions["held"]).clip(lower=0).to_numpy(dtype=np.int64, copy=True)
    seats += extra_seats(
        categories=positions["category"].to_numpy(dtype=object), extra=run.what_if.get("extra_seats", {})
    )

    direct_hires: list[DirectHirePlacement] = []
    direct_hires_not_placed = 0
    if run.round == 1:
        youth_index = dict(zip(youth["pk"].tolist(), range(len(youth)), strict=True))
        position_index = dict(zip(positions["pk"].tolist(), range(len(positions)), strict=True))
        for applicant_pk, position_pk, kind in (
            DirectHire.objects.filter(position__season=season)
            .order_by("applicant")
            .values_list("applicant", "position", "kind")
        ):
            youth_number, position_number = youth_index.get(applicant_pk), position_index[position_pk]
            # An ineligible youth is not placed, even by an employer; nor is one beyond the seats.
            if youth_number is None or seats[position_number] == 0:
                direct_hires_not_placed += 1
                continue
            seats[position_number] -= 1
            direct_hires.append(DirectHirePlacement(youth=youth_number, position=position_number, kind=kind))
    hired = np.zeros(len(youth), dtype=bool)
    hired[[hire.youth for hire in direct_hires]] = True

    stops = transit_stops_load()
    inputs = CandidateInputs(
        youth_xy=lonlat_to_metres(youth["home_longitude"].to_numpy(float), youth["home_latitude"].to_numpy(float)),
        youth_has_pass=youth["has_transit_pass"].to_numpy(bool),
        youth_age=youth["age"].to_numpy(np.int64) if len(youth) else np.empty(0, np.int64),
        youth_interests=youth[["first_interest", "second_interest", "third_interest"]].to_numpy(dtype=object),
        youth_matched=~hired,
        position_xy=lonlat_to_metres(
            positions["site__longitude"].to_numpy(float), positions["site__latitude"].to_numpy(float)
        ),
        position_category=positions["category"].to_numpy(dtype=object),
        position_minimum_age=positions["minimum_age"].to_numpy(np.int64),
        position_open=seats > 0,
        stop_xy=lonlat_to_metres(stops[:, 0], stops[:, 1]),
    )
    direct_hires = _with_commutes(direct_hires, inputs=inputs, commute=parameters.commute)
    pairs = scored_candidate_pairs(
        inputs=inputs,
        commute=parameters.commute,
        weights=parameters.weights,
        candidates_per_youth=parameters.candidates_per_youth,
    )
    problem = matching_problem(pairs=pairs, seats=seats, youth_count=len(youth), seed=run.seed)
    applicant_ids = youth["pk"].to_numpy(dtype=np.int64)
    position_ids = positions["pk"].to_numpy(dtype=np.int64)
    checksum = _checksum(
        run=run,
        arrays=[
            applicant_ids,
            position_ids,
            seats,
            pairs.youth,
            pairs.position,
            pairs.scores.total,
            problem.pair_priority,
            problem.youth_lottery,
            np.asarray([(hire.youth, hire.position) for hire in direct_hires], dtype=np.int64),
        ],
    )
    return BuiltProblem(
        problem=problem,
        applicant_ids=applicant_ids,
        position_ids=position_ids,
        youth=youth,
        pair_minutes=pairs.minutes,
        pair_by_transit=pairs.by_transit,
        pair_interest_rank=pairs.interest_rank,
        pair_travel_points=pairs.scores.travel_points,
        pair_interest_points=pairs.scores.interest_points,
        direct_hires=direct_hires,
        direct_hires_not_placed=direct_hires_not_placed,
        eligible=Applicant.objects.eligible().filter(season=season).count(),
        checksum=checksum,
    )


def extra_seats(*, categories: np.ndarray, extra: dict[str, int]) -> np.ndarray:
    """The seats a what-if adds to each position: a category's extra seats shared out over
    its positions in order, as evenly as they go (the first ones take the remainder)."""
    added = np.zeros(len(categories), dtype=np.int64)
    for category, count in extra.items():
        where = np.flatnonzero(categories == category)
        if len(where):
            added[where] += count // len(where)
            added[where[: count % len(where)]] += 1
    return added


def _progress(run_id: int, step: str) -> None:
    """Shown on the run's page while it works; committed at once, outside the run's writes."""
    MatchRun.objects.filter(pk=run_id).update(progress=step)


def _claim(run_id: int) -> MatchRun | None:
    """Mark a queued (or interrupted) run running; None when it has finished already."""
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().select_related("season").get(pk=run_id)
        if run.is_finished:
            return None
        run.status = MatchRun.Status.RUNNING
        run.started_at = run.started_at or timezone.now()
        run.progress = "Reading youth and positions"
        run.save(update_fields=["status", "started_at", "progress"])
    return run


def _placements(
    built: BuiltProblem, run: MatchRun, position_of_youth: np.ndarray, pair_of_youth: np.ndarray
) -> list[Placement]:
    placements = []
    for hire in built.direct_hires:
        kind = DirectHire.Kind(hire.kind).label.lower()
        if hire.minutes is None:
            commute = "beyond the run's maximum commute"
        else:
            commute = f"{math.floor(hire.minutes + 0.5)} min {'by transit' if hire.by_transit else 'walking'}"
        placements.append(
            Placement(
                run=run,
                applicant_id=int(built.applicant_ids[hire.youth]),
                position_id=int(built.position_ids[hire.position]),
                is_direct_hire=True,
                commute_minutes=None if hire.minutes is None else round(hire.minutes, 1),
                by_transit=hire.by_transit,
                explanation=f"Direct hire ({kind}), placed before the lottery; {commute}",
            )
        )
    for youth_number in np.flatnonzero(position_of_youth != UNPLACED).tolist():
        pair = int(pair_of_youth[youth_number])
        travel, interest = float(built.pair_travel_points[pair]), float(built.pair_interest_points[pair])
        placements.append(
            Placement(
                run=run,
                applicant_id=int(built.applicant_ids[youth_number]),
                position_id=int(built.position_ids[position_of_youth[youth_number]]),
                commute_minutes=round(float(built.pair_minutes[pair]), 1),
                by_transit=bool(built.pair_by_transit[pair]),
                interest_rank=int(built.pair_interest_rank[pair]),
                travel_points=travel,
                interest_points=interest,
                score=round(travel + interest, 1),
                explanation=score_explanation(
                    minutes=float(built.pair_minutes[pair]),
                    by_transit=bool(built.pair_by_transit[pair]),
                    interest_rank=int(built.pair_interest_rank[pair]),
                    travel_points=travel,
                    interest_points=interest,
                ),
            )
        )
    return placements


def _summary(
    built: BuiltProblem, position_of_youth: np.ndarray, pair_of_youth: np.ndarray, blocking: int, greedy: Assignment
) -> dict[str, Any]:
    problem = built.problem
    solved = assignment_summary(problem, Assignment(position_of_youth=position_of_youth, pair_of_youth=pair_of_youth))
    baseline = assignment_summary(problem, greedy)
    placed = position_of_youth != UNPLACED
    hired = np.zeros(problem.youth_count, dtype=bool)
    hired[[hire.youth for hire in built.direct_hires]] = True
    score = np.full(problem.youth_count, np.nan)
    commute = np.full(problem.youth_count, np.nan)
    score[placed] = built.problem.pair_score[pair_of_youth[placed]]
    commute[placed] = built.pair_minutes[pair_of_youth[placed]]
    for hire in built.direct_hires:
        if hire.minutes is not None:
            commute[hire.youth] = hire.minutes
    frame = pd.DataFrame(
        {
            "neighbourhood": built.youth["neighbourhood"].to_numpy(dtype=object),
            "age": built.youth["age"].to_numpy(dtype=int),
            "gender": built.youth["gender"].to_numpy(dtype=object),
            "placed": placed | hired,
            "score": score,
            "commute_minutes": commute,
        }
    )
    figures = analytics.run_figures(frame)
    overall = figures["overall"]
    return {
        **figures,
        "overall": {
            **overall,
            "direct_hires": len(built.direct_hires),
            "direct_hires_not_placed": built.direct_hires_not_placed,
            "seats": int(problem.seats.sum()) + len(built.direct_hires),
            "seats_filled": solved.seats_filled + len(built.direct_hires),
            "total_score": solved.total_score,
            "mean_score": solved.mean_score,
            "candidate_pairs": problem.pair_count,
            "blocking_pairs": blocking,
            "eligible": built.eligible,
            # The former system on the same problem (direct hires placed first alike): what the
            # run's mechanism gains over it.
            "greedy_placed": baseline.youth_placed + len(built.direct_hires),
            "greedy_total_score": baseline.total_score,
        },
    }


def match_run_execute(*, run_id: int) -> MatchRun:
    """Solve a queued run and save its proposals. Idempotent and safe to run twice at once:

    - a finished run is returned as it is;
    - placements and the run's finished state are written in one transaction holding the
      run's row lock, and (run, applicant) is unique, so a redelivered task that finds the
      run finished writes nothing, and a run whose worker died is simply done again;
    - a run with no eligible youth waiting or no seat left finishes with a message saying so.
    Raises nothing for bad data: a failure is stored on the run (status failed, message)."""
    run = _claim(run_id)
    if run is None:
        return MatchRun.objects.get(pk=run_id)
    timings: dict[str, float] = {}
    try:
        started = time.perf_counter()
        built = match_problem_build(run=run)
        timings["build_s"] = round(time.perf_counter() - started, 3)
        problem = built.problem
        nothing_to_do = _nothing_to_match(built)
        if nothing_to_do:
            return _finish(
                run, placements=[], summary={}, checksum=built.checksum, timings=timings, message=nothing_to_do
            )
        _progress(run.pk, f"Matching {problem.youth_count} youth to {int(problem.seats.sum())} seats")
        started = time.perf_counter()
        assignment = MECHANISMS[run.mechanism](problem)
        timings["solve_s"] = round(time.perf_counter() - started, 3)
        blocking = blocking_pairs(problem, assignment)
        started = time.perf_counter()
        greedy = assignment if run.mechanism == Mechanism.GREEDY else match_greedy_lottery(problem)
        timings["greedy_s"] = round(time.perf_counter() - started, 3)
        position_of_youth = np.asarray(assignment.position_of_youth)
        pair_of_youth = np.asarray(assignment.pair_of_youth)
        _progress(run.pk, "Saving placements")
        started = time.perf_counter()
        placements = _placements(built, run, position_of_youth, pair_of_youth)
        summary = _summary(built, position_of_youth, pair_of_youth, blocking, greedy)
        return _finish(
            run, placements=placements, summary=summary, checksum=built.checksum, timings=timings, write_started=started
        )
    except MatchRunError as error:
        return _fail(run, str(error))


def _nothing_to_match(built: BuiltProblem) -> str:
    problem = built.problem
    if problem.youth_count == 0:
        return "No eligible youth are waiting for a place in this season: nothing to match."
    if int(problem.seats.sum()) + len(built.direct_hires) == 0:
        return "No seats are left in this season's positions: nothing to match."
    return ""


@transaction.atomic
def _finish(
    run: MatchRun,
    *,
    placements: list[Placement],
    summary: dict[str, Any],
    checksum: str,
    timings: dict[str, float],
    message: str = "",
    write_started: float | None = None,
) -> MatchRun:
    locked = MatchRun.objects.select_for_update().get(pk=run.pk)
    if locked.is_finished:
        return locked
    # A proposal's history starts when its run is approved; the run itself says who proposed it.
    Placement.objects.bulk_create(placements, batch_size=2000)
    if write_started is not None:
        timings["write_s"] = round(time.perf_counter() - write_started, 3)
    locked.status = MatchRun.Status.FINISHED
    locked.finished_at = timezone.now()
    locked.progress = "Finished"
    locked.message = message
    locked.summary = summary
    locked.timings = timings
    locked.input_checksum = checksum
    locked.save(update_fields=["status", "finished_at", "progress", "message", "summary", "timings", "input_checksum"])
    logger.info("match run %s finished: %s placements, %s", run.pk, len(placements), timings)
    return locked


def _fail(run: MatchRun, message: str) -> MatchRun:
    with transaction.atomic():
        locked = MatchRun.objects.select_for_update().get(pk=run.pk)
        if locked.is_finished:
            return locked
        locked.status = MatchRun.Status.FAILED
        locked.finished_at = timezone.now()
        locked.progress = "Failed"
        locked.message = message
        locked.save(update_fields=["status", "finished_at", "progress", "message"])
    return locked
