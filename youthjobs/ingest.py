"""Boston summer jobs files on the ingestion machinery: seasons, sites, positions, applicants
and direct hires, each a CSV with a header, UTF-8, dates as YYYY-MM-DD, true/false as
true/false (or yes/no, 1/0). The formats are shown column by column on the admin's
"file formats" page (`DatasetSchema.documentation`).

Conventions of these files:
- every file names its season by year (2026), sites and positions by their programme ids;
- `is_synthetic` may be left out (then false); the seeded generator sets it;
- a site's and an applicant's neighbourhood is not read from the file but found from the
  point given (the City's boundaries), so every neighbourhood in the portal is spelt one
  way and "outside Boston" is decided by the map, not by a typed name;
- applicants' names, dates of birth, contact details and home points are personal: an
  error names the row and the column, never the value.

A file with any bad row changes nothing; eligibility is recomputed after each ingestion
that changed applicants, positions or direct hires.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

import numpy as np
import pandas as pd
from django.conf import settings

from cities.ingestion import BOOLEAN, DATE, FLOAT, INTEGER, Column, DatasetSchema, Reference, register_schema
from youthjobs.geography import area_of, neighbourhoods_load
from youthjobs.models import (
    JOB_CATEGORIES,
    MAXIMUM_AGE,
    MINIMUM_AGE,
    Applicant,
    DirectHire,
    Gender,
    Position,
    Season,
    Site,
)

SEASON = Reference(model=Season, by="year", noun="season (year)")
SITE = Reference(model=Site, by="site_id", noun="site id")
POSITION = Reference(model=Position, by="position_id", noun="position id")
APPLICANT = Reference(model=Applicant, by="applicant_id", noun="applicant id")

TEXT_DTYPE = pd.StringDtype("pyarrow")
IS_SYNTHETIC = "is_synthetic"
NEIGHBOURHOOD = "neighbourhood"

# Eligibility depends on applicants and on their season's first day.
ELIGIBILITY_REFRESH = "youthjobs.tasks.eligibility_refresh_task"

Rules = Iterable[tuple[pd.Series, str, str]]


class YouthjobsSchema(DatasetSchema):
    """A summer jobs file. `computed_columns` are found from other columns, not read;
    `is_synthetic`, when a schema has it, may be left out of a file."""

    computed_columns: ClassVar[tuple[str, ...]] = ()

    def file_columns(self, header: list[str]) -> list[str]:
        names = [column.name for column in self.columns if column.name not in self.computed_columns]
        return [name for name in names if name != IS_SYNTHETIC or name in header]

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        if any(column.name == IS_SYNTHETIC for column in self.columns):
            given = frame[IS_SYNTHETIC] if IS_SYNTHETIC in frame.columns else pd.Series("", index=frame.index)
            frame[IS_SYNTHETIC] = given.astype(TEXT_DTYPE).mask(given.str.strip() == "", "false")
        return frame

    @classmethod
    def documentation(cls) -> list[dict[str, str]]:
        rows = [row for row in super().documentation() if row["name"] not in cls.computed_columns]
        for row in rows:
            if row["name"] == IS_SYNTHETIC:
                row["required"] = "no (false)"
        return rows


def _neighbourhoods(latitude: pd.Series, longitude: pd.Series) -> pd.Series:
    """The neighbourhood of each row's point ("" outside Boston or where the point is not a
    number; the point's own column reports that)."""
    lat = pd.to_numeric(latitude.str.strip(), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    lon = pd.to_numeric(longitude.str.strip(), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    names = np.full(len(lat), "", dtype=object)
    known = np.isfinite(lat) & np.isfinite(lon)
    names[known] = area_of(
        longitude=lon[known], latitude=lat[known], areas=neighbourhoods_load(settings.CIVIC_DATA_DIR)
    )
    return pd.Series(names, index=latitude.index, dtype=TEXT_DTYPE)


def _point_rules(frame: pd.DataFrame, latitude: str, longitude: str) -> Rules:
    yield frame[latitude].abs() > 90, latitude, "the latitude must lie between -90 and 90"
    yield frame[longitude].abs() > 180, longitude, "the longitude must lie between -180 and 180"


@register_schema
class SeasonsSchema(DatasetSchema):
    slug = "youthjobs.seasons"
    model = Season
    description = "Summer programme seasons: year, first and last day, days youth have to answer an offer."
    key = ("year",)
    after_ingestion_task = ELIGIBILITY_REFRESH
    columns = (
        Column("year", max_length=4),
        Column("starts_on", DATE),
        Column("ends_on", DATE),
        Column("offer_days", INTEGER),
    )

    def row_rules(self, frame: pd.DataFrame) -> Rules:
        yield ~frame["year"].str.fullmatch(r"[0-9]{4}").fillna(False), "year", "the year must be four digits"
        yield frame["ends_on"] < frame["starts_on"], "ends_on", "the season ends before it starts"
        yield (frame["offer_days"] < 1) | (frame["offer_days"] > 60), "offer_days", "must lie between 1 and 60"


@register_schema
class SitesSchema(YouthjobsSchema):
    slug = "youthjobs.sites"
    model = Site
    description = "Work sites of employers and community organisations, with their location."
    key = ("site_id",)
    computed_columns = (NEIGHBOURHOOD,)
    columns = (
        Column("site_id", max_length=20),
        Column("name", max_length=200),
        Column("address", required=False, max_length=200),
        Column("latitude", FLOAT),
        Column("longitude", FLOAT),
        Column(NEIGHBOURHOOD, required=False, max_length=30),
        Column(IS_SYNTHETIC, BOOLEAN),
    )

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        frame = super().reshape(frame)
        frame[NEIGHBOURHOOD] = _neighbourhoods(frame["latitude"], frame["longitude"])
        return frame

    def row_rules(self, frame: pd.DataFrame) -> Rules:
        yield from _point_rules(frame, "latitude", "longitude")


@register_schema
class PositionsSchema(YouthjobsSchema):
    slug = "youthjobs.positions"
    model = Position
    description = "Summer job positions: site, title, category, seats, minimum age, hours and dates."
    key = ("position_id",)
    columns = (
        Column("position_id", max_length=20),
        Column("season", references=SEASON),
        Column("site_id", field="site", references=SITE),
        Column("title", max_length=200),
        Column("category", choices=JOB_CATEGORIES),
        Column("seats", INTEGER),
        Column("minimum_age", INTEGER),
        Column("hours_per_week", INTEGER),
        Column("starts_on", DATE),
        Column("ends_on", DATE),
        Column(IS_SYNTHETIC, BOOLEAN),
    )

    def row_rules(self, frame: pd.DataFrame) -> Rules:
        yield (frame["seats"] < 1) | (frame["seats"] > 1000), "seats", "must lie between 1 and 1000"
        ages = frame["minimum_age"]
        yield (
            (ages < MINIMUM_AGE) | (ages > MAXIMUM_AGE),
            "minimum_age",
            (f"must lie between {MINIMUM_AGE} and {MAXIMUM_AGE}"),
        )
        hours = frame["hours_per_week"]
        yield (hours < 1) | (hours > 40), "hours_per_week", "must lie between 1 and 40"
        yield frame["ends_on"] < frame["starts_on"], "ends_on", "the position ends before it starts"


@register_schema
class ApplicantsSchema(YouthjobsSchema):
    slug = "youthjobs.applicants"
    # Young people's applications: never published, whoever asks.
    records_published = False
    model = Applicant
    description = (
        "Youth applicants (personal data): name, date of birth, gender, contact details, home point and ZIP, "
        "transit pass, work permit and up to three job categories in order of preference."
    )
    key = ("applicant_id",)
    computed_columns = (NEIGHBOURHOOD,)
    after_ingestion_task = ELIGIBILITY_REFRESH
    columns = (
        Column("applicant_id", max_length=20),
        Column("season", references=SEASON),
        Column("first_name", max_length=100, personal=True),
        Column("last_name", max_length=100, personal=True),
        Column("date_of_birth", DATE, personal=True),
        Column("gender", choices=tuple(Gender.values)),
        Column("email", required=False, max_length=254, personal=True),
        Column("phone", required=False, max_length=20, personal=True),
        Column("home_zip", max_length=5),
        Column("home_latitude", FLOAT, personal=True),
        Column("home_longitude", FLOAT, personal=True),
        Column(NEIGHBOURHOOD, required=False, max_length=30),
        Column("has_transit_pass", BOOLEAN),
        Column("has_work_permit", BOOLEAN),
        Column("first_interest", choices=JOB_CATEGORIES),
        Column("second_interest", required=False, choices=JOB_CATEGORIES),
        Column("third_interest", required=False, choices=JOB_CATEGORIES),
        Column(IS_SYNTHETIC, BOOLEAN),
    )

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        frame = super().reshape(frame)
        frame[NEIGHBOURHOOD] = _neighbourhoods(frame["home_latitude"], frame["home_longitude"])
        return frame

    def row_rules(self, frame: pd.DataFrame) -> Rules:
        yield from _point_rules(frame, "home_latitude", "home_longitude")
        yield ~frame["home_zip"].str.fullmatch(r"[0-9]{5}").fillna(False), "home_zip", "a ZIP code is five digits"
        email = frame["email"]
        yield (
            (email != "") & ~email.str.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+").fillna(False),
            "email",
            ("the value is not an e-mail address"),
        )
        first, second, third = frame["first_interest"], frame["second_interest"], frame["third_interest"]
        yield (second != "") & (second == first), "second_interest", "repeats the first interest"
        yield (third != "") & ((third == first) | (third == second)), "third_interest", "repeats an earlier interest"
        yield (third != "") & (second == ""), "third_interest", "a third interest needs a second"


@register_schema
class DirectHiresSchema(YouthjobsSchema):
    slug = "youthjobs.direct_hires"
    # Young people's applications: never published, whoever asks.
    records_published = False
    model = DirectHire
    description = "Direct hires placed before the lottery: an employer's pick or a returning youth, and the position."
    key = ("applicant_id",)
    columns = (
        Column("applicant_id", field="applicant", references=APPLICANT),
        Column("position_id", field="position", references=POSITION),
        Column("kind", choices=tuple(DirectHire.Kind.values)),
    )

    def row_rules(self, frame: pd.DataFrame) -> Rules:
        applicants, positions = frame["applicant_id"].dropna(), frame["position_id"].dropna()
        applicant_season = dict(
            Applicant.objects.filter(pk__in=applicants.astype(int).tolist()).values_list("pk", "season_id")
        )
        position_season = dict(
            Position.objects.filter(pk__in=positions.astype(int).tolist()).values_list("pk", "season_id")
        )
        seasons_differ = frame["applicant_id"].map(applicant_season) != frame["position_id"].map(position_season)
        known = frame["applicant_id"].notna() & frame["position_id"].notna()
        yield known & seasons_differ, "position_id", "the position belongs to another season than the applicant"
