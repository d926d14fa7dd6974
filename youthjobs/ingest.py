"""Boston summer jobs files on the ingestion machinery: seasons, sites, positions, applicants
and direct hires, each a CSV with a header, UTF-8, dates as YYYY-MM-DD, true/false as
true/false (or yes/no, 1/0). The formats are shown column by column on the admin's
"file formats" page (`DatasetSchema.documentation`).

Conventions of these files:
- every file names its season by year (2026), sites and positions by their programme ids;
- `is_synthetic` may be left out (then false); the seeded generator sets it;
- an applicant's `person_id` may be left out (then their applicant id): it is the same young
  person's id in every season they apply, so a returning youth's seasons can be followed;
- seasons may not overlap, and a position's dates lie within its season's;
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

from cities.datasets import BoundarySchema
from cities.ingestion import (
    BOOLEAN,
    DATE,
    FILE_ROW,
    FLOAT,
    GEOMETRY,
    INTEGER,
    TEXT_DTYPE,
    Column,
    DatasetSchema,
    IngestionError,
    Reference,
    register_schema,
)
from youthjobs.geography import (
    NEIGHBOURHOODS_LAYER,
    TRANSIT_STOPS_LAYER,
    ZIP_CODES_LAYER,
    GeographyMissing,
    area_of,
    neighbourhoods_load,
)
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

IS_SYNTHETIC = "is_synthetic"
PERSON_ID = "person_id"
NEIGHBOURHOOD = "neighbourhood"
# Columns a file may leave out, with the column whose value they then take ("" for false).
OPTIONAL_COLUMNS = {IS_SYNTHETIC: "", PERSON_ID: "applicant_id"}

# Eligibility depends on applicants and on their season's first day.
ELIGIBILITY_REFRESH = "youthjobs.tasks.eligibility_refresh_task"

Rules = Iterable[tuple[pd.Series, str, str]]


class YouthjobsSchema(DatasetSchema):
    """A summer jobs file. `computed_columns` are found from other columns, not read;
    `is_synthetic`, when a schema has it, may be left out of a file."""

    computed_columns: ClassVar[tuple[str, ...]] = ()

    def file_columns(self, header: list[str]) -> list[str]:
        names = [column.name for column in self.columns if column.name not in self.computed_columns]
        return [name for name in names if name not in OPTIONAL_COLUMNS or name in header]

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        for name, fallback in OPTIONAL_COLUMNS.items():
            if any(column.name == name for column in self.columns):
                given = frame[name] if name in frame.columns else pd.Series("", index=frame.index)
                default = frame[fallback] if fallback else "false"
                frame[name] = given.astype(TEXT_DTYPE).mask(given.fillna("").str.strip() == "", default)
        return frame

    @classmethod
    def documentation(cls) -> list[dict[str, str]]:
        rows = [row for row in super().documentation() if row["name"] not in cls.computed_columns]
        for row in rows:
            if row["name"] == IS_SYNTHETIC:
                row["required"] = "no (false)"
            elif row["name"] == PERSON_ID:
                row["required"] = "no (the applicant id)"
        return rows


def point_neighbourhoods(latitude: pd.Series, longitude: pd.Series) -> pd.Series:
    """The neighbourhood of each row's point ("" outside Boston or where the point is not a
    number; the point's own column reports that)."""
    lat = pd.to_numeric(latitude.str.strip(), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    lon = pd.to_numeric(longitude.str.strip(), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    names = np.full(len(lat), "", dtype=object)
    known = np.isfinite(lat) & np.isfinite(lon)
    try:
        neighbourhoods = neighbourhoods_load()
    except GeographyMissing:
        raise IngestionError("Boston's neighbourhood boundaries must be taken in first") from None
    names[known] = area_of(longitude=lon[known], latitude=lat[known], areas=neighbourhoods)
    return pd.Series(names, index=latitude.index, dtype=TEXT_DTYPE)


def season_overlap_rules(frame: pd.DataFrame) -> Rules:
    """A season whose dates overlap another's, in the file or already loaded (a season given
    again under its own year is compared with the others only)."""
    loaded = pd.DataFrame.from_records(
        Season.objects.exclude(year__in=frame["year"].dropna().tolist()).values("year", "starts_on", "ends_on"),
        columns=["year", "starts_on", "ends_on"],
    ).astype({"starts_on": "datetime64[ns]", "ends_on": "datetime64[ns]"})
    clashes = pd.Series("", index=frame.index, dtype=object)
    others = pd.concat([frame[["year", "starts_on", "ends_on"]], loaded], ignore_index=True)
    for index, row in frame.iterrows():
        if pd.isna(row["starts_on"]) or pd.isna(row["ends_on"]):
            continue
        for other in others.itertuples():
            if other.year != row["year"] and other.starts_on <= row["ends_on"] and row["starts_on"] <= other.ends_on:
                clashes[index] = other.year
                break
    for year in sorted(set(clashes) - {""}):
        yield clashes == year, "starts_on", f"the season's dates overlap those of season {year}"


def position_within_season_rules(frame: pd.DataFrame) -> Rules:
    """A position whose dates fall outside its season's: it would belong to another summer."""
    seasons = Season.objects.values_list("pk", "starts_on", "ends_on")
    season_starts = frame["season"].map({pk: pd.Timestamp(starts) for pk, starts, _ in seasons})
    season_ends = frame["season"].map({pk: pd.Timestamp(ends) for pk, _, ends in seasons})
    known = season_starts.notna() & frame["starts_on"].notna() & frame["ends_on"].notna()
    outside = known & ((frame["starts_on"] < season_starts) | (frame["ends_on"] > season_ends))
    yield outside, "starts_on", "the position's dates lie outside its season's dates"


def point_rules(frame: pd.DataFrame, latitude: str, longitude: str) -> Rules:
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
        yield from season_overlap_rules(frame)


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
        frame[NEIGHBOURHOOD] = point_neighbourhoods(frame["latitude"], frame["longitude"])
        return frame

    def row_rules(self, frame: pd.DataFrame) -> Rules:
        yield from point_rules(frame, "latitude", "longitude")


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
        yield from position_within_season_rules(frame)


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
        Column(PERSON_ID, max_length=20, required=False, personal=True),
        Column(IS_SYNTHETIC, BOOLEAN),
    )

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        frame = super().reshape(frame)
        frame[NEIGHBOURHOOD] = point_neighbourhoods(frame["home_latitude"], frame["home_longitude"])
        return frame

    def row_rules(self, frame: pd.DataFrame) -> Rules:
        yield from point_rules(frame, "home_latitude", "home_longitude")
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


# ---------------------------------------------------------------- Boston's geography


@register_schema
class NeighbourhoodBoundariesSchema(BoundarySchema):
    slug = "youthjobs.neighbourhood_boundaries"
    description = (
        "Boston's 26 neighbourhoods (GeoJSON, Analyze Boston), published in Massachusetts State Plane feet "
        "(EPSG:2249) and kept in longitude/latitude; each area coded and named by its name (Roxbury)."
    )
    layer = NEIGHBOURHOODS_LAYER
    code_property = "Name"
    name_property = "Name"
    source_crs = "EPSG:2249"


@register_schema
class ZipBoundariesSchema(BoundarySchema):
    slug = "youthjobs.zip_boundaries"
    description = "Boston's ZIP code areas (GeoJSON, Analyze Boston); a ZIP published in pieces becomes one area."
    layer = ZIP_CODES_LAYER
    code_property = "ZIP5"
    name_property = "ZIP5"

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        return self.merge_repeated_codes(super().reshape(frame))


# GTFS location_type 0 (or empty): a stop or platform where riders board, not a station's
# shell, entrance, generic node or boarding area.
BOARDING_STOP = ("0", "")


@register_schema
class TransitStopsSchema(DatasetSchema):
    """The MBTA's GTFS stops.txt: each boarding stop becomes a point of the transit stops
    layer (a `cities.Boundary` whose geometry is a Point), for the commute estimate."""

    slug = "youthjobs.transit_stops"
    model = BoundarySchema.model
    description = (
        "MBTA stops (GTFS stops.txt): the stops and platforms where riders board (location_type 0 or empty), "
        "each a point at its stop_lon, stop_lat; stations' shells, entrances and nodes are left out."
    )
    key = BoundarySchema.key
    columns = BoundarySchema.columns

    def file_columns(self, header: list[str]) -> list[str]:
        return ["stop_id", "stop_name", "stop_lat", "stop_lon", "location_type"]

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        boarding = frame[frame["location_type"].str.strip().isin(BOARDING_STOP)]
        latitude = pd.to_numeric(boarding["stop_lat"].str.strip(), errors="coerce").to_numpy(float, na_value=np.nan)
        longitude = pd.to_numeric(boarding["stop_lon"].str.strip(), errors="coerce").to_numpy(float, na_value=np.nan)
        # A point that is not a number is refused by name in its row (an empty geometry).
        points = [
            f'{{"type":"Point","coordinates":[{lon:.6f},{lat:.6f}]}}' if np.isfinite(lon) and np.isfinite(lat) else ""
            for lon, lat in zip(longitude, latitude, strict=True)
        ]
        return pd.DataFrame(
            {
                "layer": TRANSIT_STOPS_LAYER,
                "code": boarding["stop_id"],
                "name": boarding["stop_name"],
                "detail": "",
                GEOMETRY: pd.Series(points, index=boarding.index, dtype=TEXT_DTYPE),
                FILE_ROW: boarding[FILE_ROW],
            }
        ).astype(dict.fromkeys(("layer", "code", "name", "detail"), TEXT_DTYPE))
