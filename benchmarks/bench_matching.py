"""Boston summer jobs matching at the programme's real size, on PostgreSQL.

Generates a synthetic season with the app's own generator (8,000 youth, about 1,000 sites
and 8,000 seats on Boston's real geography), ingests it through the ingestion machinery,
decides eligibility, then times in one process:

1. building the matching problem from the database (`match_problem_build`: eligible youth,
   seats left, candidate pairs from the real MBTA stops, scores, lottery, checksum);
2. each mechanism on that same problem: optimal (target under 2 s, and its total score never
   below greedy's), stable, and the greedy lottery, the former system and the baseline;
3. a whole match run through the service (`match_run_execute`: read from PostgreSQL, solve,
   write the placements), for the optimal mechanism (target under 15 s).

    .venv/bin/python benchmarks/bench_matching.py [--youth 8000] [--seed 1]

Uses DATABASE_URL (default: a `civicportal_bench_matching` database on 127.0.0.1, created if
missing; its summer jobs tables are emptied first). The last line is the summary:
matching: youth=8000 seats=S optimal_s=A stable_s=B greedy_s=C optimal_score_gain_vs_greedy=P%
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The stored copies of the generated files go to a throwaway folder, not media/.
MEDIA_DIR = tempfile.TemporaryDirectory(prefix="bench-matching-media-")
os.environ.setdefault("MEDIA_ROOT", MEDIA_DIR.name)
# Eligibility is decided on commit of the applicants' ingestion, in this process.
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
logging.getLogger("kombu.connection").setLevel(logging.ERROR)

from benchmarks.django_setup import django_on_postgres  # noqa: E402

django_on_postgres("civicportal_bench_matching")

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models import Sum  # noqa: E402

from cities.services import demo_data_load  # noqa: E402
from youthjobs.matching import MECHANISMS, assignment_summary, blocking_pairs  # noqa: E402
from youthjobs.models import Applicant, DirectHire, MatchRun, Position, Season, Site  # noqa: E402
from youthjobs.services import match_problem_build, match_run_execute, synthetic_data_load  # noqa: E402

# Each mechanism is timed this many times on the same problem; the best time is reported.
SOLVE_RUNS = 3


def empty_youthjobs_tables() -> None:
    MatchRun.objects.all().delete()
    DirectHire.objects.all().delete()
    Applicant.objects.all().delete()
    Position.objects.all().delete()
    Site.objects.all().delete()
    Season.objects.all().delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--youth", type=int, default=8000)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    logging.getLogger("cities.ingestion").setLevel(logging.WARNING)
    logging.getLogger("celery").setLevel(logging.WARNING)

    call_command("migrate", verbosity=0)
    empty_youthjobs_tables()
    demo_data_load()
    started = time.perf_counter()
    synthetic_data_load(youth=arguments.youth, seed=arguments.seed, data_dir=settings.CIVIC_DATA_DIR)
    season = Season.objects.get()
    seats = Position.objects.filter(season=season).aggregate(total=Sum("seats"))["total"]
    print(
        f"generated and ingested {Applicant.objects.count():,} youth, {Site.objects.count():,} sites, "
        f"{Position.objects.count():,} positions, {seats:,} seats, {DirectHire.objects.count():,} direct hires "
        f"in {time.perf_counter() - started:.2f} s"
    )

    run = MatchRun.objects.create(season=season, mechanism="optimal", seed=arguments.seed)
    started = time.perf_counter()
    built = match_problem_build(run=run, data_dir=settings.CIVIC_DATA_DIR)
    build_s = time.perf_counter() - started
    problem = built.problem
    print(
        f"problem built from PostgreSQL in {build_s:.2f} s: {problem.youth_count:,} eligible youth, "
        f"{int(problem.seats.sum()):,} seats left after {len(built.direct_hires):,} direct hires, "
        f"{problem.pair_count:,} candidate pairs"
    )

    seconds: dict[str, float] = {}
    totals: dict[str, float] = {}
    for name in ("greedy", "stable", "optimal"):
        times = []
        for _ in range(SOLVE_RUNS):
            started = time.perf_counter()
            assignment = MECHANISMS[name](problem)
            times.append(time.perf_counter() - started)
        seconds[name] = min(times)
        summary = assignment_summary(problem, assignment)
        totals[name] = summary.total_score
        print(
            f"{name:8s} best of {SOLVE_RUNS}: {seconds[name]:6.3f} s  placed {summary.youth_placed:,}  "
            f"total score {summary.total_score:,.1f}  mean {summary.mean_score:.3f}  "
            f"blocking pairs {blocking_pairs(problem, assignment):,}"
        )
    gain = (totals["optimal"] - totals["greedy"]) / totals["greedy"] * 100 if totals["greedy"] else 0.0
    print(
        f"optimal vs greedy lottery baseline: score {gain:+.2f}%, "
        f"{seconds['optimal'] / seconds['greedy']:.1f}x the baseline's solve time"
    )
    print(f"optimal score below greedy: {'YES (a defect)' if totals['optimal'] < totals['greedy'] else 'no'}")

    started = time.perf_counter()
    finished = match_run_execute(run_id=run.pk)
    whole_s = time.perf_counter() - started
    print(
        f"whole optimal run through the service (read, solve, write {finished.placements.count():,} placements): "
        f"{whole_s:.2f} s {finished.timings} (target under 15 s)"
    )
    print(
        f"matching: youth={arguments.youth} seats={seats} optimal_s={seconds['optimal']:.2f} "
        f"stable_s={seconds['stable']:.2f} greedy_s={seconds['greedy']:.2f} optimal_score_gain_vs_greedy={gain:.1f}%"
    )


if __name__ == "__main__":
    main()
