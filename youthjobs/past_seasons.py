"""Boston's past seasons for the demo: 2017 and 2018, with their real positions and sites
(the published DYEE 2017 and SuccessLink 2018 files, through `youthjobs.ingest_past_positions`),
synthetic applicants drawn by `youthjobs.synthetic`, a match run of each season on its own
positions and the outcomes of its placements.

What is assumed, and why:
- season dates: 2017 starts on 10 July, the start date every row of the 2017 file gives;
  2018 on 9 July (the file has no dates; the Monday of the same week). Both last six weeks,
  as the current season does;
- applicants: `APPLICANTS_PER_SEAT` (0.8) per real seat, drawn like the current season's
  (`synthetic_applicants`). Fewer than the seats, so that the demo loads quickly (about
  1,900 past applicants in all); who is left unplaced is then decided by commutes, ages and
  interests rather than by the number of seats, and the popular categories still draw more
  first choices than they have seats;
- returning youth: `RETURNING_SHARE` (30%) of each later season's applicants applied the
  season before, drawn among the earlier season's applicants still of age (24 or younger)
  on the later season's first day. A returning youth keeps their synthetic person id, name,
  date of birth (so their age advances by the years between seasons), gender, contact
  details and home; half keep their interests, half choose anew;
- outcomes of each placement offered (`OUTCOME_RATES`, applied in turn): 8% declined and 4%
  let the offer expire, the others accepted; of those accepting, 5% withdrew before the first
  day and the rest started; of those starting, 84% completed and 16% ended early.
The same seed gives the same seasons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from cities.models import IngestionRun
from cities.registry import DemoFile
from cities.services import demo_files_load
from youthjobs.eligibility import eligibility_refresh
from youthjobs.ingest_past_positions import DYEE_2017, SUCCESSLINK_2018, PastPositionsFile
from youthjobs.models import Applicant, MatchRun, Season
from youthjobs.seasons import OutcomeRates, past_season_match
from youthjobs.synthetic import OFFER_DAYS, synthetic_applicants

APPLICANTS_PER_SEAT = 0.8
RETURNING_SHARE = 0.30
OUTCOME_RATES = OutcomeRates(declined=0.08, expired=0.04, withdrawn=0.05, ended_early=0.16)
PAST_SEED = 2017


@dataclass(frozen=True)
class PastSeason:
    year: str
    starts_on: date
    ends_on: date
    positions_file: PastPositionsFile
    sites_dataset: str
    sites_schema: str
    positions_dataset: str
    positions_schema: str


PAST_SEASONS = (
    PastSeason(
        year="2017",
        starts_on=date(2017, 7, 10),
        ends_on=date(2017, 8, 18),
        positions_file=DYEE_2017,
        sites_dataset="youthjobs-dyee-2017-sites",
        sites_schema="youthjobs.dyee_2017_sites",
        positions_dataset="youthjobs-dyee-2017-positions",
        positions_schema="youthjobs.dyee_2017_positions",
    ),
    PastSeason(
        year="2018",
        starts_on=date(2018, 7, 9),
        ends_on=date(2018, 8, 17),
        positions_file=SUCCESSLINK_2018,
        sites_dataset="youthjobs-successlink-2018-sites",
        sites_schema="youthjobs.successlink_2018_sites",
        positions_dataset="youthjobs-successlink-2018-positions",
        positions_schema="youthjobs.successlink_2018_positions",
    ),
)


def _csv(frame: pd.DataFrame) -> bytes:
    return str(frame.to_csv(index=False, float_format="%.6f")).encode()


def past_applicants(
    *,
    season: PastSeason,
    youth: int,
    earlier: pd.DataFrame | None,
    categories: pd.Series,
    data_dir: Path,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """A past season's applicants file: `youth` synthetic applicants, `RETURNING_SHARE` of
    them returning from `earlier` (the season before's file) under the same person id."""
    yy = season.year[2:]
    fresh = synthetic_applicants(
        youth=youth,
        categories=categories,
        data_dir=data_dir,
        starts_on=season.starts_on,
        rng=rng,
        season_year=season.year,
        id_prefix=f"SYN{yy}",
    )
    fresh["person_id"] = "P" + fresh["applicant_id"]
    returning = pd.DataFrame(columns=fresh.columns)
    count = 0
    if earlier is not None and len(earlier):
        born = pd.to_datetime(earlier["date_of_birth"])
        age = season.starts_on.year - born.dt.year - (born.dt.strftime("%m%d") > season.starts_on.strftime("%m%d"))
        still_young = earlier[(age <= 24).to_numpy()]
        count = min(len(still_young), round(youth * RETURNING_SHARE))
        returning = still_young.sample(n=count, random_state=rng).reset_index(drop=True)
        redraw = rng.random(count) < 0.5
        for column in ("first_interest", "second_interest", "third_interest"):
            returning.loc[redraw, column] = fresh.loc[: count - 1, column].to_numpy()[redraw]
        returning["has_work_permit"] = True
        returning["season"] = season.year
    applicants = pd.concat([returning, fresh.iloc[count:]], ignore_index=True)
    applicants = applicants.iloc[:youth].reset_index(drop=True)
    applicants["applicant_id"] = [f"SYN{yy}-{number:05d}" for number in range(1, len(applicants) + 1)]
    applicants["last_name"] = "Youth " + applicants["person_id"]
    applicants["email"] = applicants["person_id"].str.lower() + "@example.org"
    return applicants


def past_seasons_load(*, data_dir: Path, seed: int = PAST_SEED) -> list[IngestionRun]:
    """Load 2017 and 2018: their seasons, the real files' sites and positions, synthetic
    applicants (returning youth included), and, for a season with no run yet, an approved
    run on its positions with its placements' outcomes. Idempotent: a second load changes
    nothing. Raises DemoDataError at the first refused file."""
    rng = np.random.default_rng(seed)
    seasons = pd.DataFrame(
        {
            "year": [season.year for season in PAST_SEASONS],
            "starts_on": [season.starts_on.isoformat() for season in PAST_SEASONS],
            "ends_on": [season.ends_on.isoformat() for season in PAST_SEASONS],
            "offer_days": OFFER_DAYS,
        }
    )
    runs = demo_files_load(
        [
            DemoFile(
                dataset="youthjobs-seasons",
                schema="youthjobs.seasons",
                path=Path("past_seasons.csv"),
                content=_csv(seasons),
            )
        ]
    )
    files = []
    earlier: pd.DataFrame | None = None
    for past in PAST_SEASONS:
        path = data_dir / past.positions_file.path
        runs += demo_files_load(
            [
                DemoFile(dataset=past.sites_dataset, schema=past.sites_schema, path=path),
                DemoFile(dataset=past.positions_dataset, schema=past.positions_schema, path=path),
            ]
        )
        positions = Season.objects.get(year=past.year).positions
        earlier = past_applicants(
            season=past,
            youth=round(sum(positions.values_list("seats", flat=True)) * APPLICANTS_PER_SEAT),
            earlier=earlier,
            categories=pd.Series(list(positions.values_list("category", flat=True))),
            data_dir=data_dir,
            rng=rng,
        )
        files.append(earlier)
    # One file for both seasons: one ingestion, one eligibility check after it.
    runs += demo_files_load(
        [
            DemoFile(
                dataset="youthjobs-applicants",
                schema="youthjobs.applicants",
                path=Path("synthetic_past_applicants.csv"),
                content=_csv(pd.concat(files)),
            )
        ]
    )
    for past in PAST_SEASONS:
        season = Season.objects.get(year=past.year)
        # A worker may not have reached the new applicants yet: the run needs their eligibility.
        unchecked = Applicant.objects.filter(season=season, eligibility__isnull=True).values_list("pk", flat=True)
        if unchecked:
            eligibility_refresh(applicant_ids=list(unchecked))
        if not MatchRun.objects.filter(season=season).exists():
            past_season_match(season=season, seed=seed, rates=OUTCOME_RATES)
    return runs
