"""Boston's real position files of past seasons, read as they were published, on the
ingestion machinery: the DYEE 2017 summer positions (`dyee_summer_positions_2017.csv`) and
the SuccessLink 2018 positions (`successlink_positions_2018.csv`) of shared/data/boston.
Each file gives two datasets: its sites (one row per distinct site) and its positions.

How their columns become the portal's (the mapping, quirk by quirk):

- site: the file's site name (`name` in 2017, `site_name` in 2018, trimmed) at its
  `latitude` and `longitude`; site ids DYEE17-S001… and SL18-S001… by first appearance;
  `address` as written;
- neighbourhood: found from the point. The files' own `neighborhood` is free text
  ("Downtown Boston", "44 Back Bay", "Boston", "Roxbury Crossing", "Cambridge") and not read;
- position id: DYEE17-P + the 2017 file's row number (it has no id); SL18- + the 2018 `id`;
- title: `job_title` (2017), `title` (2018);
- category: `job_category` (2017), `category` (2018), as written: every value is one of
  `JOB_CATEGORIES`, except on rows left out for having no seat;
- seats: `open_positions`. The 15 rows of 2018 with 0 open positions are left out, among
  them the only "Programs Intern" row (no category of work);
- minimum age 14 and 25 hours a week: neither file says; the programme's minimum and usual week;
- starts on: `start_date` of 2017, written M/D/YY (7/10/17); 2018 has no dates: the season's
  first day; ends on: the season's last day (neither file says).

A site is the same site when its name (trimmed) and point are the same: 2018 lists some
organisations at several points, each a site of its own. Both files' sites and positions
are real and not synthetic. The season (2017, 2018) must be loaded first: its dates give
the positions' dates, and a position's dates must lie within its season's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pandas as pd

from cities.ingestion import FILE_ROW, TEXT_DTYPE, register_schema
from youthjobs.ingest import (
    IS_SYNTHETIC,
    NEIGHBOURHOOD,
    PositionsSchema,
    Rules,
    SitesSchema,
    YouthjobsSchema,
    point_neighbourhoods,
    point_rules,
)
from youthjobs.models import MINIMUM_AGE, Position, Season, Site

# Neither file gives a minimum age or hours: the programme's own minimum and usual week.
PAST_MINIMUM_AGE = MINIMUM_AGE
PAST_HOURS_PER_WEEK = 25


@dataclass(frozen=True)
class PastPositionsFile:
    """Where one published file keeps what the portal needs, by the file's own column names.
    A file without an id column (`position_id` None) has its positions numbered by row."""

    path: Path
    year: str
    site_prefix: str
    position_prefix: str
    position_id: str | None
    site_name: str
    title: str
    category: str
    start_date: str | None

    def position_ids(self, frame: pd.DataFrame) -> pd.Series:
        if self.position_id is None:
            numbers = frame[FILE_ROW].map(lambda row: f"{int(row) - 1:03d}")
        else:
            numbers = frame[self.position_id].str.strip()
        return (self.position_prefix + numbers).astype(TEXT_DTYPE)


DYEE_2017 = PastPositionsFile(
    path=Path("boston") / "dyee_summer_positions_2017.csv",
    year="2017",
    site_prefix="DYEE17-S",
    position_prefix="DYEE17-P",
    position_id=None,
    site_name="name",
    title="job_title",
    category="job_category",
    start_date="start_date",
)
SUCCESSLINK_2018 = PastPositionsFile(
    path=Path("boston") / "successlink_positions_2018.csv",
    year="2018",
    site_prefix="SL18-S",
    position_prefix="SL18-",
    position_id="id",
    site_name="site_name",
    title="title",
    category="category",
    start_date=None,
)
PAST_POSITION_FILES = (DYEE_2017, SUCCESSLINK_2018)


def _offered(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows that offer at least one seat (an unreadable count stays, for its error)."""
    seats = pd.to_numeric(frame["open_positions"].str.strip(), errors="coerce")
    return frame[~(seats < 1)].reset_index(drop=True)


def _site_keys(frame: pd.DataFrame, source: PastPositionsFile) -> pd.Series:
    return (
        frame[source.site_name].str.strip() + "|" + frame["latitude"].str.strip() + "|" + frame["longitude"].str.strip()
    )


def _site_ids(frame: pd.DataFrame, source: PastPositionsFile) -> pd.Series:
    """Each row's site id: the file's distinct (name, point) numbered by first appearance."""
    keys = _site_keys(frame, source)
    numbers = {key: number for number, key in enumerate(dict.fromkeys(keys.tolist()), start=1)}
    return keys.map(lambda key: f"{source.site_prefix}{numbers[key]:03d}").astype(TEXT_DTYPE)


class PastSitesSchema(YouthjobsSchema):
    """The distinct sites of a past season's position file."""

    source: ClassVar[PastPositionsFile]
    model = Site
    key = ("site_id",)
    computed_columns = SitesSchema.computed_columns
    columns = SitesSchema.columns

    def file_columns(self, header: list[str]) -> list[str]:
        return [self.source.site_name, "address", "latitude", "longitude", "open_positions"]

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        frame = _offered(frame)
        frame["site_id"] = _site_ids(frame, self.source)
        sites = frame.drop_duplicates("site_id").reset_index(drop=True)
        return pd.DataFrame(
            {
                "site_id": sites["site_id"],
                "name": sites[self.source.site_name].str.strip(),
                "address": sites["address"].str.strip(),
                "latitude": sites["latitude"],
                "longitude": sites["longitude"],
                NEIGHBOURHOOD: point_neighbourhoods(sites["latitude"], sites["longitude"]),
                IS_SYNTHETIC: pd.Series("false", index=sites.index, dtype=TEXT_DTYPE),
                FILE_ROW: sites[FILE_ROW],
            }
        )

    def row_rules(self, frame: pd.DataFrame) -> Rules:
        yield from point_rules(frame, "latitude", "longitude")


class PastPositionsSchema(PositionsSchema):
    """The positions of a past season's file, at the sites its sites dataset made."""

    source: ClassVar[PastPositionsFile]
    # The rows it makes are the positions file's rows.
    columns = PositionsSchema.columns

    def file_columns(self, header: list[str]) -> list[str]:
        source = self.source
        wanted = [source.site_name, "latitude", "longitude", source.title, source.category, "open_positions"]
        optional = (source.position_id, source.start_date)
        return wanted + [name for name in optional if name is not None]

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        source = self.source
        frame = _offered(frame)
        season = Season.objects.filter(year=source.year).values("starts_on", "ends_on").first()
        season_starts = season["starts_on"].isoformat() if season else ""
        season_ends = season["ends_on"].isoformat() if season else ""
        if source.start_date:
            written = pd.to_datetime(frame[source.start_date].str.strip(), format="%m/%d/%y", errors="coerce")
            starts = written.dt.strftime("%Y-%m-%d").astype(TEXT_DTYPE).fillna(frame[source.start_date])
        else:
            starts = pd.Series(season_starts, index=frame.index, dtype=TEXT_DTYPE)

        def text(value: str) -> pd.Series:
            return pd.Series(value, index=frame.index, dtype=TEXT_DTYPE)

        return pd.DataFrame(
            {
                "position_id": source.position_ids(frame),
                "season": text(source.year),
                "site_id": _site_ids(frame, source),
                "title": frame[source.title].str.strip(),
                "category": frame[source.category].str.strip(),
                "seats": frame["open_positions"],
                "minimum_age": text(str(PAST_MINIMUM_AGE)),
                "hours_per_week": text(str(PAST_HOURS_PER_WEEK)),
                "starts_on": starts,
                "ends_on": text(season_ends),
                IS_SYNTHETIC: text("false"),
                FILE_ROW: frame[FILE_ROW],
            }
        )


@register_schema
class Dyee2017SitesSchema(PastSitesSchema):
    slug = "youthjobs.dyee_2017_sites"
    source = DYEE_2017
    description = "The sites of Boston's DYEE 2017 summer positions file, one row per distinct site and point."


@register_schema
class Dyee2017PositionsSchema(PastPositionsSchema):
    slug = "youthjobs.dyee_2017_positions"
    source = DYEE_2017
    model = Position
    description = "Boston's DYEE 2017 summer positions, as published: the 2017 season's positions."


@register_schema
class SuccessLink2018SitesSchema(PastSitesSchema):
    slug = "youthjobs.successlink_2018_sites"
    source = SUCCESSLINK_2018
    description = "The sites of Boston's SuccessLink 2018 positions file, one row per distinct site and point."


@register_schema
class SuccessLink2018PositionsSchema(PastPositionsSchema):
    slug = "youthjobs.successlink_2018_positions"
    source = SUCCESSLINK_2018
    model = Position
    description = "Boston's SuccessLink 2018 positions, as published: the 2018 season's positions."
