"""The DC housing datasets on the ingestion machinery: how the DC Preservation Catalog's and
NeighborhoodInfo DC's real files become rows, each quirk of those files handled by name.

Quirks of the Preservation Catalog (exported by SAS; every one seen in the files of
shared/data/dc, see SOURCES.txt there):
- the project file's header names `Nlihc_id` twice (columns 1 and 42): read once, and a
  row whose two copies differ is refused;
- dates come in three forms: ISO (poa_start), M/D/YYYY with or without leading zeros
  (subsidy_info_source_date, REAC_date) and SAS datetimes such as 04SEP15:08:54:57
  (Update_Dtm), of which the day is kept: the machinery has no datetime kind yet;
- placeholders stand for "no value": "N" (assisted units and owner dates), SAS's missing
  value "." (one subsidy), "0" for both parcel coordinates; each becomes empty where the
  file is known to use it, and nowhere else;
- `poa_end_actual` holds "N" for a subsidy that has not ended and "U" for one that ended on
  an unknown day (every "N" is active, every "U" inactive); both become an empty date, the
  difference being kept by `active`;
- HUD owner and manager types say "Individual" exactly where the name is missing (79 owners,
  230 managers, no exception either way): a default of the export, not a person, so it is
  dropped;
- one published error (`SUBSIDY_ERRATA`) whose end date comes seventy years before its start.

NeighborhoodInfo DC's profile files are wide (one column per indicator and period); they are
made long, one `MarketIndicator` per geography, indicator and period, in `reshape`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import ClassVar

import numpy as np
import pandas as pd
from django.db import connection

from cities.datasets import BoundarySchema
from cities.ingestion import (
    BOOLEAN,
    DATE,
    DECIMAL,
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
from housing.models import (
    WARDS,
    InspectionScore,
    MarketIndicator,
    Parcel,
    Project,
    RealPropertyEvent,
    Subsidy,
)
from housing.programs import PORTFOLIOS, PROGRAM_PORTFOLIOS

PROJECT = Reference(model=Project, by="nlihc_id", noun="project")

# The Catalog's SAS exports are Windows text: the 2016 export's Subsidy.csv writes "Oct 0x92 11"
# with byte 0x92, windows-1252's right quotation mark, which latin-1 would read as an invisible
# control character. The files ingested today are plain ASCII, which cp1252 reads alike.
CATALOG_ENCODING = "cp1252"
# NeighborhoodInfo DC's profile files are plain ASCII; UTF-8 refuses anything else loudly.
PROFILES_ENCODING = "utf-8"

# The text type the machinery reads every value as; columns a reshape makes use it too.
US_DATE = "%m/%d/%Y"
SAS_DATETIME = "%d%b%y:%H:%M:%S"

Rules = Iterable[tuple[pd.Series, str, str]]


def _stripped(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].str.strip()


def _emptied(values: pd.Series, where: pd.Series) -> pd.Series:
    return values.mask(where.fillna(False).astype(bool), "")


def _field_limits(schema: DatasetSchema, frame: pd.DataFrame) -> Rules:
    """What the database would refuse at the write, refused here first with row numbers:
    whole numbers outside the field's range (negative, or too large for a small integer)
    and numbers that are not finite ("inf" reads as a number)."""
    for column in schema.columns:
        if column.references is not None:
            continue
        field = schema.model._meta.get_field(column.model_field)
        if column.kind == INTEGER:
            low, high = connection.ops.integer_field_range(field.get_internal_type())
            values = frame[column.name]
            yield (values < low) | (values > high), column.name, f"the value must lie between {low} and {high}"
        elif column.kind == FLOAT:
            values = frame[column.name]
            yield values.notna() & ~np.isfinite(values.astype(float)), column.name, "the value must be a finite number"


class CatalogSchema(DatasetSchema):
    """A file of the DC Preservation Catalog."""

    encoding = CATALOG_ENCODING
    after_ingestion_task = "housing.tasks.derived_data_refresh_task"

    def row_rules(self, frame: pd.DataFrame) -> Rules:
        yield from _field_limits(self, frame)


@register_schema
class ProjectsSchema(CatalogSchema):
    slug = "housing.projects"
    model = Project
    description = "DC Preservation Catalog projects: one row per subsidised property (Project.csv)."
    key = ("Nlihc_id",)
    repeated_columns = ("Nlihc_id",)
    columns = (
        Column("Nlihc_id", field="nlihc_id", max_length=16),
        Column("Proj_Name", field="name", max_length=200),
        Column("Proj_Addre", field="address", max_length=200),
        Column("Proj_Zip", field="zip_code", max_length=5),
        Column("Status", field="status", choices=tuple(Project.Status.values)),
        Column("Subsidized", BOOLEAN, field="subsidized"),
        Column("Proj_Units_Tot", INTEGER, field="units_total", required=False),
        Column("Proj_Units_Assist_Min", INTEGER, field="units_assisted_min", required=False),
        Column("Proj_Units_Assist_Max", INTEGER, field="units_assisted_max", required=False),
        Column("Hud_Own_Name", field="owner_name", required=False, max_length=200),
        Column("Hud_Own_Type", field="owner_type", required=False, max_length=40),
        Column("Hud_Mgr_Name", field="manager_name", required=False, max_length=200),
        Column("Hud_Mgr_Type", field="manager_type", required=False, max_length=40),
        Column("Ward2012", field="ward", choices=WARDS),
        Column("Anc2012", field="anc", max_length=8),
        Column("Psa2012", field="psa", max_length=8),
        Column("Geo2010", field="census_tract", max_length=16),
        Column("Cluster_tr2000", field="cluster_code", max_length=20),
        Column("Cluster_tr2000_name", field="cluster_name", max_length=200),
        Column("Proj_lat", FLOAT, field="latitude", required=False),
        Column("Proj_lon", FLOAT, field="longitude", required=False),
        Column("Bldg_count", INTEGER, field="building_count"),
        Column("Category_Code", field="category_code", choices=tuple(Project.Category.values)),
        Column("Cat_Expiring", BOOLEAN, field="expiring"),
        Column("Cat_Failing_Insp", BOOLEAN, field="failing_inspection"),
        Column("Cat_At_Risk", BOOLEAN, field="at_risk"),
        Column("Cat_More_Info", BOOLEAN, field="more_info_needed"),
        Column("Cat_Lost", BOOLEAN, field="lost"),
        Column("Cat_Replaced", BOOLEAN, field="replaced"),
        Column("Update_Dtm", DATE, field="source_updated_on", date_format=SAS_DATETIME),
    )

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        # "N" is how the Catalog writes "no assisted units recorded" (12 projects, 8 of them lost).
        for column in ("Proj_Units_Assist_Min", "Proj_Units_Assist_Max"):
            frame[column] = _emptied(frame[column], _stripped(frame, column) == "N")
        for name, kind in (("Hud_Own_Name", "Hud_Own_Type"), ("Hud_Mgr_Name", "Hud_Mgr_Type")):
            default = (_stripped(frame, name) == "") & (_stripped(frame, kind) == "Individual")
            frame[kind] = _emptied(frame[kind], default)
        return frame

    def row_rules(self, frame: pd.DataFrame) -> Rules:
        yield from super().row_rules(frame)
        yield frame["Proj_lat"].abs() > 90, "Proj_lat", "the latitude must lie between -90 and 90"
        yield frame["Proj_lon"].abs() > 180, "Proj_lon", "the longitude must lie between -180 and 180"
        fewer_than_fewest = frame["Proj_Units_Assist_Max"] < frame["Proj_Units_Assist_Min"]
        yield fewer_than_fewest, "Proj_Units_Assist_Max", "the most assisted units are fewer than the fewest"


# Published errors of the Catalog, corrected only while the file still says exactly this:
# (project, subsidy number, column, value as published). NL000315's tax-exempt bond
# (subsidy 1) starts 2009-12-01 and "ends" 1939-12-01, its compliance period likewise; the
# same value is in the 2016 export. Its sibling tax credit ends 2039-12-01, probably what was
# meant, but a guess is not data: the end is stored as unknown.
SUBSIDY_ERRATA = (
    ("NL000315", "1", "poa_end", "1939-12-01"),
    ("NL000315", "1", "compl_end", "1939-12-01"),
)


@register_schema
class SubsidiesSchema(CatalogSchema):
    slug = "housing.subsidies"
    model = Subsidy
    description = "DC Preservation Catalog subsidies: one row per subsidy of a project (Subsidy.csv)."
    key = ("nlihc_id", "subsidy_id")
    columns = (
        Column("nlihc_id", field="project", references=PROJECT),
        Column("subsidy_id", INTEGER),
        Column("units_assist", INTEGER, field="units_assisted", required=False),
        Column("poa_start", DATE, required=False),
        Column("poa_end", DATE, required=False),
        Column("poa_start_orig", DATE, required=False),
        Column("poa_end_prev", DATE, required=False, date_format=US_DATE),
        Column("poa_end_actual", DATE, required=False, date_format=US_DATE),
        Column("compl_end", DATE, required=False),
        Column("contract_number", required=False, max_length=20),
        Column("rent_to_fmr_description", required=False, max_length=40),
        Column("subsidy_active", BOOLEAN, field="active"),
        Column("program", choices=tuple(PROGRAM_PORTFOLIOS), choices_noun="programme of the Catalog"),
        Column("portfolio", choices=PORTFOLIOS, choices_noun="portfolio"),
        Column("agency", required=False, max_length=120),
        Column("subsidy_info_source", field="info_source", max_length=100),
        Column("subsidy_info_source_id", field="info_source_id", required=False, max_length=40),
        Column("subsidy_info_source_date", DATE, field="info_source_date", required=False, date_format=US_DATE),
        Column("update_dtm", DATE, field="source_updated_on", date_format=SAS_DATETIME),
    )

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        # "." is SAS's missing value; no column of this file has it as a real value.
        for name in [column.name for column in self.columns]:
            frame[name] = _emptied(frame[name], _stripped(frame, name) == ".")
        frame["poa_end_actual"] = _emptied(frame["poa_end_actual"], _stripped(frame, "poa_end_actual").isin(["N", "U"]))
        for nlihc_id, subsidy_id, column, published in SUBSIDY_ERRATA:
            erratum = (
                (_stripped(frame, "nlihc_id") == nlihc_id)
                & (_stripped(frame, "subsidy_id") == subsidy_id)
                & (_stripped(frame, column) == published)
            )
            frame[column] = _emptied(frame[column], erratum)
        return frame

    def row_rules(self, frame: pd.DataFrame) -> Rules:
        yield from super().row_rules(frame)
        yield frame["poa_end"] < frame["poa_start"], "poa_end", "the period of affordability ends before it starts"
        catalogued_portfolio = frame["program"].map(PROGRAM_PORTFOLIOS)
        yield (
            catalogued_portfolio.notna()
            & frame["portfolio"].isin(PORTFOLIOS)
            & (frame["portfolio"] != catalogued_portfolio),
            "portfolio",
            "the Catalog files this programme under another portfolio",
        )


@register_schema
class InspectionsSchema(CatalogSchema):
    slug = "housing.inspections"
    model = InspectionScore
    description = "HUD REAC physical inspection scores: one row per project and inspection day (Reac_score.csv)."
    key = ("Nlihc_id", "REAC_date")
    columns = (
        Column("Nlihc_id", field="project", references=PROJECT),
        Column("REAC_date", DATE, field="inspected_on", date_format=US_DATE),
        Column("REAC_score_num", INTEGER, field="score"),
        Column("REAC_score_letter", field="letter", choices=tuple(InspectionScore.Letter.values)),
        Column("REAC_score_star", BOOLEAN, field="smoke_detector_deficiency", required=False),
        # Kept as published, unchecked against the parsed parts: one real row reads "1.c*".
        Column("REAC_score", field="raw_score", max_length=8),
    )

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        star = _stripped(frame, "REAC_score_star")
        frame["REAC_score_star"] = star.mask(star == "*", "true").mask(star == "", "false")
        return frame

    def row_rules(self, frame: pd.DataFrame) -> Rules:
        yield from super().row_rules(frame)
        yield frame["REAC_score_num"] > 100, "REAC_score_num", "the score must be at most 100"


@register_schema
class ParcelsSchema(CatalogSchema):
    slug = "housing.parcels"
    model = Parcel
    description = "Tax parcels of each project with their recorded owner (Parcel.csv); owners may be people."
    # An SSL is not unique in the file: 11 parcels hold two or three Catalog projects each.
    key = ("Nlihc_id", "Ssl")
    columns = (
        Column("Nlihc_id", field="project", references=PROJECT),
        Column("Ssl", field="ssl", max_length=20),
        Column("Parcel_owner_name", field="owner_name", required=False, max_length=200, personal=True),
        Column("Parcel_owner_type", field="owner_type_code", required=False, max_length=3),
        Column("Parcel_owner_date", DATE, field="owner_since", required=False, date_format=US_DATE),
        Column("Parcel_Info_Source_Date", DATE, field="info_source_date", date_format=US_DATE),
        Column("Parcel_x", FLOAT, field="state_plane_x", required=False),
        Column("Parcel_y", FLOAT, field="state_plane_y", required=False),
    )

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        frame["Parcel_owner_date"] = _emptied(frame["Parcel_owner_date"], _stripped(frame, "Parcel_owner_date") == "N")
        # (0, 0) in Maryland State Plane lies far outside the District: the export's "no point"
        # (30 condominium units of one project). Any other coordinate is kept as given.
        nowhere = (_stripped(frame, "Parcel_x") == "0") & (_stripped(frame, "Parcel_y") == "0")
        frame["Parcel_x"] = _emptied(frame["Parcel_x"], nowhere)
        frame["Parcel_y"] = _emptied(frame["Parcel_y"], nowhere)
        return frame


DESCRIPTION_DIGEST = "description_digest"


@register_schema
class PropertyEventsSchema(CatalogSchema):
    slug = "housing.property_events"
    model = RealPropertyEvent
    description = "Sales, foreclosure notices and outcomes per project and parcel (Real_property.csv)."
    # Project, parcel, day and type are not unique (two foreclosure notices of one parcel on
    # 03/27/2009); with the description they are, so its digest completes the key.
    key = ("Nlihc_id", "Ssl", "RP_date", "RP_type", DESCRIPTION_DIGEST)
    columns = (
        Column("Nlihc_id", field="project", references=PROJECT),
        Column("Ssl", field="ssl", max_length=20),
        Column("RP_date", DATE, field="event_date", date_format=US_DATE),
        Column("RP_type", field="event_type", max_length=40),
        Column("RP_desc", field="description", personal=True),
        Column(DESCRIPTION_DIGEST, max_length=64),
    )

    def file_columns(self, header: list[str]) -> list[str]:
        return [column.name for column in self.columns if column.name != DESCRIPTION_DIGEST]

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        digests = [hashlib.sha256(description.encode()).hexdigest() for description in _stripped(frame, "RP_desc")]
        frame[DESCRIPTION_DIGEST] = pd.Series(digests, index=frame.index, dtype=TEXT_DTYPE)
        return frame

    @classmethod
    def documentation(cls) -> list[dict[str, str]]:
        return [row for row in super().documentation() if row["name"] != DESCRIPTION_DIGEST]


# ---------------------------------------------------------------- market indicators

# An indicator column: the indicator's name, "_", then a year (sales_sf_2014) or a span
# whose end is written in two or four digits (PctOwnerOccupiedHsgUnits_2010_14,
# PctChgTotPop_1980_1990). The name is the shortest prefix that leaves such a period.
PERIOD_COLUMN = re.compile(r"(?P<indicator>[A-Za-z][A-Za-z0-9_]*?)_(?P<first>(?:19|20)\d\d)(?:_(?P<last>\d\d|\d{4}))?")
# Changes over the last N years (PctAnnChgRMPriceSf_5yr) name no year: there is no period to
# file them under, so they are not read. Columns without a name (the tract file pads its
# header with eight, empty in every row) are not read either; any other column is refused.
RELATIVE_CHANGE_COLUMN = re.compile(r"[A-Za-z][A-Za-z0-9_]*_\d+yr")
SUPPRESSION_MARKS = tuple(mark for mark in MarketIndicator.Suppression.values if mark)


def period_of(column: str) -> tuple[str, str, int] | None:
    """(indicator, period, the period's last year) of an indicator column, or None when the
    column is not one. A span's two-digit end lies within the century after its start."""
    match = PERIOD_COLUMN.fullmatch(column)
    if match is None:
        return None
    first, last = int(match["first"]), match["last"]
    if last is None:
        year = first
    elif len(last) == 2:
        year = first - first % 100 + int(last)
        year += 100 if year < first else 0
    else:
        year = int(last)
    return match["indicator"], column[len(match["indicator"]) + 1 :], year


class IndicatorsSchema(DatasetSchema):
    """A NeighborhoodInfo DC profile file: one row per geography, one column per indicator
    and period; each cell a number, "s" (suppressed) or "i" (insufficient data)."""

    after_ingestion_task = "housing.tasks.derived_data_refresh_task"

    geography_column: ClassVar[str]
    geography_type: ClassVar[str]
    geography_example: ClassVar[str]
    encoding = PROFILES_ENCODING
    model = MarketIndicator
    key = ("geography_type", "geography_code", "indicator", "period")
    columns = (
        Column("geography_type", choices=tuple(MarketIndicator.GeographyType.values)),
        Column("geography_code", max_length=40),
        Column("indicator", max_length=60),
        Column("period", max_length=9),
        Column("year", INTEGER),
        Column("value", DECIMAL, required=False, decimal_places=1),
        Column("suppression", required=False, choices=SUPPRESSION_MARKS),
    )

    def file_columns(self, header: list[str]) -> list[str]:
        unplaced = [
            name
            for name in header
            if name
            and name != self.geography_column
            and period_of(name) is None
            and not RELATIVE_CHANGE_COLUMN.fullmatch(name)
        ]
        if unplaced:
            raise IngestionError(
                "these columns name no indicator and period (like sales_sf_2014 or "
                "PctOwnerOccupiedHsgUnits_2010_14): " + ", ".join(unplaced)
            )
        return [self.geography_column, *[name for name in header if period_of(name) is not None]]

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        measures = [name for name in frame.columns if name not in (self.geography_column, FILE_ROW)]
        cells = frame[[self.geography_column, *measures]].apply(lambda values: values.str.strip())
        # The exports end with a row of commas only; a row with anything in it is read.
        cells[FILE_ROW] = frame[FILE_ROW]
        cells = cells[(cells[[self.geography_column, *measures]] != "").any(axis=1)]
        long = cells.melt(
            id_vars=[self.geography_column, FILE_ROW], value_vars=measures, var_name="column", value_name="cell"
        )
        # An empty cell publishes nothing, so it makes no row (none of today's files has one).
        long = long[long["cell"] != ""]
        if long.empty:
            raise IngestionError("the file publishes no figures: every row is empty")
        periods = pd.DataFrame(
            [(name, *period) for name in measures if (period := period_of(name))],
            columns=["column", "indicator", "period", "year"],
        ).astype({"year": str})
        long = long.merge(periods, on="column", how="left")
        is_mark = long["cell"].isin(SUPPRESSION_MARKS)
        reshaped = pd.DataFrame(
            {
                "geography_type": self.geography_type,
                "geography_code": long[self.geography_column],
                "indicator": long["indicator"],
                "period": long["period"],
                "year": long["year"],
                "value": long["cell"].mask(is_mark, ""),
                "suppression": long["cell"].where(is_mark, ""),
            },
            dtype=TEXT_DTYPE,
        )
        reshaped[FILE_ROW] = long[FILE_ROW]
        return reshaped

    def row_rules(self, frame: pd.DataFrame) -> Rules:
        yield from _field_limits(self, frame)

    @classmethod
    def documentation(cls) -> list[dict[str, str]]:
        return [
            {
                "name": cls.geography_column,
                "kind": f"{cls.geography_type} as the source names it, e.g. {cls.geography_example}",
                "required": "yes",
                "key": "yes",
            },
            {
                "name": "<indicator>_<year> or <indicator>_<first year>_<last year>",
                "kind": "a number with at most 1 decimal place, s (suppressed) or i (insufficient data)",
                "required": "no",
                "key": "yes",
            },
        ]


@register_schema
class ClusterIndicatorsSchema(IndicatorsSchema):
    slug = "housing.cluster_indicators"
    description = "NeighborhoodInfo DC housing indicators by neighbourhood cluster (nc_housing.csv), made long."
    geography_column = "CLUSTER_TR2000"
    geography_type = MarketIndicator.GeographyType.CLUSTER.value
    geography_example = "Cluster 7"


@register_schema
class TractIndicatorsSchema(IndicatorsSchema):
    slug = "housing.tract_indicators"
    description = "NeighborhoodInfo DC housing indicators by 2010 census tract (housing.csv), made long."
    geography_column = "GEO2010"
    geography_type = MarketIndicator.GeographyType.TRACT.value
    geography_example = "Tract 49.02"


@register_schema
class WardBoundariesSchema(BoundarySchema):
    slug = "housing.ward_boundaries"
    description = "DC ward boundaries (GeoJSON): one area per ward, coded as projects name their ward (Ward 8)."
    layer = "dc-wards"
    code_property = "NAME"
    name_property = "NAME"


@register_schema
class ClusterBoundariesSchema(BoundarySchema):
    slug = "housing.cluster_boundaries"
    description = (
        "DC neighbourhood cluster boundaries (GeoJSON), coded as the Catalog (Cluster 7), with their neighbourhoods."
    )
    layer = "dc-clusters"
    code_property = "NAME"
    name_property = "NAME"
    detail_property = "NBH_NAMES"


@register_schema
class TractBoundariesSchema(BoundarySchema):
    slug = "housing.tract_boundaries"
    description = "DC 2010 census tract boundaries (GeoJSON), coded by tract number (002002) and named by GEOID."
    layer = "dc-tracts"
    code_property = "TRACT"
    name_property = "NAME"


@register_schema
class ZipBoundariesSchema(BoundarySchema):
    slug = "housing.zip_boundaries"
    description = "DC ZIP code areas (GeoJSON), with the name of a ZIP code given to one organisation."
    layer = "dc-zip-codes"
    code_property = "NAME"
    name_property = "NAME"
    detail_property = "PROVIDED_NAME_FIELD"

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        reshaped = super().reshape(frame)
        # The file publishes 20026 twice with one shape (L'Enfant Plaza's post office boxes, and
        # again as a unique ZIP): the same area twice is kept once. Two different shapes under
        # one code stay duplicates, and the file is refused naming both.
        return reshaped[~reshaped.duplicated(subset=["code", GEOMETRY], keep="first")]
