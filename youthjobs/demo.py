"""The demo's Boston summer jobs: three seasons, two past and the current one, as `make run`
and the browser tests load them."""

from __future__ import annotations

from pathlib import Path

from cities.models import IngestionRun
from youthjobs.models import Mechanism, Season
from youthjobs.past_seasons import past_seasons_load
from youthjobs.services import DEMO_SEED, DEMO_YOUTH, match_run_start, synthetic_data_load
from youthjobs.synthetic import SEASON_YEAR


def youthjobs_demo_data_load(*, data_dir: Path) -> list[IngestionRun]:
    """The past seasons 2017 and 2018 with their real positions (`youthjobs.past_seasons`),
    each matched and its outcomes recorded; then the demo's synthetic current season:
    `DEMO_YOUTH` youth from `DEMO_SEED`, and, the first time, an optimal match run of it
    (solved by the worker, at once in the embedded mode) for staff to review, compare with
    runs of their own and approve in the admin. The current season's run comes last, so it
    heads the admin's list of runs. Idempotent."""
    runs = past_seasons_load(data_dir=data_dir)
    runs += synthetic_data_load(youth=DEMO_YOUTH, seed=DEMO_SEED, data_dir=data_dir)
    season = Season.objects.get(year=SEASON_YEAR)
    if not season.match_runs.exists():
        match_run_start(season=season, mechanism=Mechanism.OPTIMAL, seed=DEMO_SEED)
    return runs
