"""The demo's Boston summer jobs: three seasons, two past and the current one, as `make run`
and the browser tests load them (the app's registration names these steps)."""

from __future__ import annotations

from django.conf import settings

from youthjobs.models import Mechanism, Season
from youthjobs.past_seasons import past_seasons_load
from youthjobs.services import DEMO_SEED, match_run_start
from youthjobs.synthetic import SEASON_YEAR


def youthjobs_demo_after() -> None:
    """Once the current synthetic season is in: the past seasons 2017 and 2018 with their
    real positions (`youthjobs.past_seasons`), each matched and its outcomes recorded; then,
    the first time, an optimal match run of the current season (solved by the worker, at
    once in the embedded mode) for staff to review, compare with runs of their own and
    approve in the admin. The current season's run comes last, so it heads the admin's list
    of runs. Idempotent."""
    past_seasons_load(data_dir=settings.CIVIC_DATA_DIR)
    season = Season.objects.get(year=SEASON_YEAR)
    if not season.match_runs.exists():
        match_run_start(season=season, mechanism=Mechanism.OPTIMAL, seed=DEMO_SEED)
