"""Reads for the public DC housing pages: the dashboard of a filtered set of projects, the
points its map draws and a project's page.

Each page's reads are a fixed, small number of queries whatever the number of rows.
Nothing here reads a property event's description or a parcel's owner: both may name
people, and no public page shows them.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, IntegerField, Max, QuerySet, Sum, Value, When
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cities.csv_export import CSVExportWriter
from cities.data_cache import data_cached, data_etag
from cities.models import Dataset
from housing import map_grid
from housing.expiry import ExpiryYear, median_price_growth
from housing.filters import ProjectFilter, cluster_choices, expires_within, owner_type_choices, program_choices
from housing.map_grid import BoundingBox
from housing.models import InspectionScore, MarketIndicator, Project, RiskAssessment, RiskRefresh, Subsidy
from housing.risk import PRICE_INDICATOR, risk_thresholds
from housing.risk_rules import RiskFlag, RiskThresholds
from housing.risk_text import flag_label, level_label
from housing.selectors import expiry_timeline_for

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

# The datasets the dashboard's figures come from, linked as its sources.
SOURCE_SCHEMAS = ("housing.projects", "housing.subsidies", "housing.inspections", "housing.cluster_indicators")
PROJECTS_PER_PAGE = 25
TIMELINE_YEARS = 10
# The headline's "ending soon" is the risk rules' widest expiry window (`expiry_watch`).
ENDING_SOON_YEARS = 5
PRICE_GROWTH_YEARS = 5

# NeighborhoodInfo DC's indicator names, in plain words, with how to show their values.
INDICATORS: dict[str, tuple[_StrOrPromise, str]] = {
    PRICE_INDICATOR: (_("Median sale price of a single-family home (inflation-adjusted)"), "usd"),
    "sales_sf": (_("Single-family homes sold"), "count"),
    "MedianMrtgInc1_4m_adj": (_("Median income of home buyers taking a mortgage (inflation-adjusted)"), "usd"),
    "NumMrtgOrigHomePurchPerUnit": (_("Home-purchase mortgages per 1,000 housing units"), "number"),
    "NumOccupiedHsgUnits": (_("Occupied homes"), "count"),
    "PctOwnerOccupiedHsgUnits": (_("Homes lived in by their owner"), "percent"),
    "PctSameHouse5YearsAgo": (_("Residents in the same home five years before"), "percent"),
    "PctSubprimeConvOrigHomePur": (_("Home-purchase loans that were subprime"), "percent"),
    "PctVacantHsgUnitsForRent": (_("Rental homes standing vacant"), "percent"),
}

# About a metre: finer than the map ever shows.
POINT_DECIMALS = 5
NOT_ASSESSED = _("Not assessed")
# Why a market figure is missing, in words.
NOT_PUBLISHED = _("not published")
MISSING_REASONS = {
    MarketIndicator.Suppression.SUPPRESSED: _("suppressed"),
    MarketIndicator.Suppression.INSUFFICIENT: _("insufficient data"),
}
# The map's answers' rows (see `map_view_gzip`): a project's, a cluster's.
MAP_PROJECT_COLUMNS = ("id", "name", "lat", "lng", "level", "units")
MAP_CLUSTER_COLUMNS = ("lat", "lng", "projects", "units", "by_level")
# The levels in the order of their codes in `MapPoints.level` (as `_level_rank` ranks them), not assessed last.
MAP_LEVELS = (*RiskAssessment.Level.values, "")
# Stands for a project's id in the address of its page, once for every point.
_PROJECT_ID_PLACEHOLDER = "PROJECTID"

# ---------------------------------------------------------------- values shown


@dataclass(frozen=True)
class MarketValue:
    """A published figure, or why there is none ("suppressed", "insufficient data",
    "not published"). Never a zero standing in for a missing value."""

    value: Decimal | float | None
    missing_reason: _StrOrPromise = ""

    @classmethod
    def of(cls, row: tuple[Decimal | None, str] | None) -> MarketValue:
        if row is None:
            return cls(None, NOT_PUBLISHED)
        value, suppression = row
        if suppression:
            return cls(None, MISSING_REASONS[MarketIndicator.Suppression(suppression)])
        return cls(value)


@dataclass(frozen=True)
class ClusterMarket:
    code: str
    name: str
    projects: int
    latest_price: MarketValue
    growth: MarketValue


@dataclass(frozen=True)
class MarketContext:
    price_year: int | None
    growth_from_year: int | None
    clusters: list[ClusterMarket]


@dataclass(frozen=True)
class Headline:
    projects: int
    assisted_units: int
    projects_ending_soon: int
    units_ending_soon: int
    ending_soon_years: int
    catalog_updated_on: date | None


@dataclass(frozen=True)
class TimelineTotal:
    projects: int
    assisted_units: int
    projects_without_units: int


@dataclass(frozen=True)
class Dashboard:
    headline: Headline
    timeline: list[ExpiryYear]
    timeline_total: TimelineTotal
    projects_page: Page[Project]
    market: MarketContext
    sources: list[Dataset]


# ---------------------------------------------------------------- the dashboard


def dashboard(*, projects: QuerySet[Project], today: date, page_number: str | int | None) -> Dashboard:
    """Everything the dashboard shows about `projects` (a filtered set of projects):
    headline figures, the expiry timeline of the `TIMELINE_YEARS` years from `today`, one
    page of the projects' table and their clusters' market. The map's points are read
    apart (`map_points_gzip`): the page only names their address."""
    names_by_cluster, projects_per_cluster = _clusters_of(projects)
    timeline = expiry_timeline(projects=projects, today=today)
    return Dashboard(
        headline=_headline(projects),
        timeline=timeline,
        timeline_total=TimelineTotal(
            projects=sum(year.projects for year in timeline),
            assisted_units=sum(year.assisted_units for year in timeline),
            projects_without_units=sum(year.projects_without_units for year in timeline),
        ),
        projects_page=Paginator(project_rows(projects), PROJECTS_PER_PAGE).get_page(page_number),
        market=market_context(clusters=names_by_cluster, projects_per_cluster=projects_per_cluster),
        sources=list(Dataset.objects.filter(schema__in=SOURCE_SCHEMAS).order_by("title")),
    )


def dashboard_cached(*, filterset: ProjectFilter, today: date, page_number: str | int | None) -> Dashboard:
    """`dashboard` of a valid `filterset`'s projects, kept in the cache for the current
    version of the data (each filter combination, day and page of the table apart).

    At 200,000 projects a page takes a second or more to compute; the data cache computes a
    missing one in one process at a time while the others wait for it. The refresh after
    each ingestion computes the default view before anyone asks (`dashboard_warm`)."""
    page = _page_number(page_number)
    name = f"dashboard:{today:%Y%m%d}:{_selection_key(filterset)}:{page}"
    return data_cached(
        "housing", name, lambda: _storable(dashboard(projects=filterset.qs, today=today, page_number=page))
    )


def dashboard_warm(*, today: date) -> Dashboard:
    """Compute the dashboard's default view (every project, the table's first page), the
    points of its map and what every request of the page reads (the filters' choices, the clusters' names) for
    the current version of the data, so that the first visitor after an ingestion is
    served from the cache."""
    cluster_choices()
    program_choices()
    owner_type_choices()
    cluster_names()
    every_project = ProjectFilter(queryset=Project.objects.all())
    map_points(filterset=every_project, today=today)
    return dashboard_cached(filterset=every_project, today=today, page_number=1)


def _page_number(page_number: str | int | None) -> int:
    """The table's page asked for, as `Paginator.get_page` reads it: 1 unless a positive number."""
    try:
        number = int(page_number or 1)
    except (TypeError, ValueError):
        return 1
    return max(number, 1)


def _storable(figures: Dashboard) -> Dashboard:
    """The figures with the table's page as its rows and the total count only: a page of
    a paginated queryset would hold (and pickle) every project of the selection."""
    page = figures.projects_page
    rows = list(page.object_list)
    paginator = Paginator(rows, PROJECTS_PER_PAGE)
    # The selection's size, which the page's rows alone do not tell.
    paginator.count = page.paginator.count
    return replace(figures, projects_page=Page(rows, page.number, paginator))


def _headline(projects: QuerySet[Project]) -> Headline:
    """One pass over the projects joined to their assessments, the "ending soon" ones
    counted with a FILTER on the same join (a subquery of them took a second at 200,000)."""
    # The filter's own window, so the figure equals what filtering by that many years shows.
    is_ending_soon = expires_within(ENDING_SOON_YEARS)
    units = "risk_assessment__assisted_units_at_risk"
    figures = projects.order_by().aggregate(
        projects=Count("pk"),
        assisted_units=Sum(units),
        projects_ending_soon=Count("pk", filter=is_ending_soon),
        units_ending_soon=Sum(units, filter=is_ending_soon),
        catalog_updated_on=Max("source_updated_on"),
    )
    return Headline(
        projects=figures["projects"],
        assisted_units=figures["assisted_units"] or 0,
        projects_ending_soon=figures["projects_ending_soon"],
        units_ending_soon=figures["units_ending_soon"] or 0,
        ending_soon_years=ENDING_SOON_YEARS,
        catalog_updated_on=figures["catalog_updated_on"],
    )


def expiry_timeline(*, projects: QuerySet[Project], today: date) -> list[ExpiryYear]:
    """The dashboard's expiry timeline: also its CSV download, which must equal the table."""
    return expiry_timeline_for(projects, as_of=today, years=TIMELINE_YEARS)


def expiry_timeline_cached(*, filterset: ProjectFilter, today: date) -> list[ExpiryYear]:
    """`expiry_timeline` of a valid `filterset`'s projects (the CSV download's), kept in the
    cache for the current version of the data."""
    name = f"expiry-timeline:{today:%Y%m%d}:{_selection_key(filterset)}"
    return data_cached("housing", name, lambda: expiry_timeline(projects=filterset.qs, today=today))


def _level_rank() -> Case:
    """0 for a high risk, 1 for medium, 2 for low, 3 for a project not assessed."""
    return Case(
        *(When(risk_assessment__level=level, then=Value(rank)) for rank, level in enumerate(RiskAssessment.Level)),
        default=Value(len(RiskAssessment.Level)),
        output_field=IntegerField(),
    )


PROJECT_ROW_FIELDS = (
    "nlihc_id",
    "name",
    "ward",
    "cluster_code",
    "cluster_name",
    "risk_assessment__level",
    "risk_assessment__affordability_ends_on",
    "risk_assessment__assisted_units_at_risk",
)


def project_rows(projects: QuerySet[Project]) -> QuerySet[Project]:
    """The projects' table: the riskiest first, then the soonest end of affordability."""
    return (
        projects.select_related("risk_assessment")
        .only(*PROJECT_ROW_FIELDS)
        .annotate(level_rank=_level_rank())
        .order_by("level_rank", F("risk_assessment__affordability_ends_on").asc(nulls_last=True), "name", "pk")
    )


# The filtered project list's CSV: every project of the selection, in the table's order.
PROJECT_CSV_COLUMNS = (
    "NLIHC id",
    "Project",
    "Address",
    "Ward",
    "Neighbourhood cluster",
    "Assisted homes",
    "Risk level",
    "Affordability ends",
    "End already passed",
    "Page",
)


def project_list_csv(*, projects: QuerySet[Project], today: date, page_url: Callable[[str], str]) -> str:
    """Every project of `projects` (filtered) as the dashboard's table lists them, as CSV;
    `page_url(nlihc_id)` is each project's page. Text from the data never runs as a formula.
    In English whatever the page's language: programs read it."""
    with translation.override("en"):
        return _project_list_csv(projects=projects, today=today, page_url=page_url)


def _project_list_csv(*, projects: QuerySet[Project], today: date, page_url: Callable[[str], str]) -> str:
    buffer = io.StringIO()
    writer = CSVExportWriter(buffer)
    writer.writerow(PROJECT_CSV_COLUMNS)
    for project in project_rows(projects).only(*PROJECT_ROW_FIELDS, "address").iterator(chunk_size=2000):
        assessment = getattr(project, "risk_assessment", None)
        ends_on = assessment.affordability_ends_on if assessment else None
        writer.writerow(
            [
                project.nlihc_id,
                project.name,
                project.address,
                project.ward,
                f"{project.cluster_code} {project.cluster_name}".strip(),
                assessment.assisted_units_at_risk if assessment else None,
                assessment.get_level_display() if assessment and assessment.level else str(NOT_ASSESSED),
                ends_on.isoformat() if ends_on else "",
                "yes" if ends_on and ends_on < today else "no",
                page_url(project.nlihc_id),
            ]
        )
    return buffer.getvalue()


def _clusters_of(projects: QuerySet[Project]) -> tuple[dict[str, str], dict[str, int]]:
    """The projects' clusters: each one's name, and how many of the projects it holds."""
    names: dict[str, str] = {}
    counts: dict[str, int] = {}
    for row in projects.order_by().values("cluster_code").annotate(name=Max("cluster_name"), projects=Count("pk")):
        names[row["cluster_code"]] = row["name"]
        counts[row["cluster_code"]] = row["projects"]
    return names, counts


@dataclass(frozen=True)
class MapPoints:
    """A selection's projects that have coordinates, as arrays in drawing order (what matters
    most last, on top: the riskier projects after the others, within a level the smaller
    after the larger): primary key, position (single precision: under a metre), level (its
    index in `MAP_LEVELS`) and assisted units (-1 when unknown). 21 bytes a project, 4 MB at
    200,000: kept in the cache per version of the data."""

    pk: npt.NDArray[np.int64]
    latitude: npt.NDArray[np.float32]
    longitude: npt.NDArray[np.float32]
    level: npt.NDArray[np.int8]
    units: npt.NDArray[np.int32]

    @property
    def extent(self) -> list[float] | None:
        """[south, west, north, east] around every point, or None when there is none."""
        if not len(self.pk):
            return None
        return [
            _point_coordinate(float(self.latitude.min())),
            _point_coordinate(float(self.longitude.min())),
            _point_coordinate(float(self.latitude.max())),
            _point_coordinate(float(self.longitude.max())),
        ]


def map_view_etag(*, filterset: ProjectFilter, today: date, box: BoundingBox, zoom: float) -> str:
    """The ETag of `map_view_gzip` for the same arguments, known without reading anything:
    it changes when the filters, the view, the day or the version of the data do. Weak, as
    it stands for the answer gzipped or not."""
    return data_etag("housing", _map_view_cache_name(filterset=filterset, today=today, box=box, zoom=zoom))


def map_view_gzip(*, filterset: ProjectFilter, today: date, box: BoundingBox, zoom: float) -> bytes:
    """What the map draws of `box` at `zoom` for `filterset`'s projects (valid), as compact
    JSON, gzipped (what the cache keeps and browsers take), cached for the version of the data.
    Either the projects in the box, when they are at most `map_grid.MAX_POINTS`:

        {"kind": "projects", "total": 3120, "in_view": 812, "extent": [south, west, north, east],
         "levels": {"high": "High", …, "": "Not assessed"}, "project_url": "/…/projects/{id}/",
         "columns": ["id", "name", "lat", "lng", "level", "units"],
         "rows": [["NL000001", "Name", 38.91234, -77.01234, "high", 120], …]}

    in drawing order (the riskier and the smaller on top), `units` null when unknown; or the
    clusters of the grid cells that meet the box (`map_grid.clusters_in`):

        {"kind": "clusters", …, "columns": ["lat", "lng", "projects", "units", "by_level"],
         "level_order": ["high", "medium", "low", ""],
         "rows": [[38.91234, -77.01234, 412, 9120, [40, 120, 200, 52]], …]}

    with each cluster's centre the mean of its projects' positions and `by_level` its projects
    per level in `level_order`. `total` counts the selection's projects on the map, `in_view`
    those of the answer, `extent` bounds the selection (null when empty). Nothing but public
    fields: a project's name, position, level and assisted homes.

    A few hundred kilobytes at most, whatever the view: at most `MAX_POINTS` projects, or at
    most `MAX_CELLS_ACROSS` squared clusters. `today` is the day the filters were read on."""
    name = _map_view_cache_name(filterset=filterset, today=today, box=box, zoom=zoom)

    def read() -> bytes:
        view = _map_view(map_points(filterset=filterset, today=today), box=box, zoom=zoom)
        return gzip.compress(json.dumps(view, separators=(",", ":"), ensure_ascii=False).encode(), mtime=0)

    return data_cached("housing", name, read)


def _map_view_cache_name(*, filterset: ProjectFilter, today: date, box: BoundingBox, zoom: float) -> str:
    edges = ",".join(f"{edge:.{POINT_DECIMALS}f}" for edge in (box.west, box.south, box.east, box.north))
    return f"map-view:{today:%Y%m%d}:{_selection_key(filterset)}:{zoom:g}:{edges}"


def map_points(*, filterset: ProjectFilter, today: date) -> MapPoints:
    """`filterset`'s projects (valid) on the map, cached for the version of the data: read
    once per selection, then every view of the map is computed from these arrays."""
    name = f"map-points:{today:%Y%m%d}:{_selection_key(filterset)}"
    return data_cached("housing", name, lambda: _map_points_read(filterset.qs))


def _selection_key(filterset: ProjectFilter) -> str:
    """The filters in force, for a cache key: hashed, as a query string may hold any text."""
    return hashlib.sha256(filterset.canonical_query().encode()).hexdigest()[:32]


def _map_points_read(projects: QuerySet[Project]) -> MapPoints:
    rows = list(
        projects.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by()
        .values_list("pk", "latitude", "longitude", "risk_assessment__level", "risk_assessment__assisted_units_at_risk")
    )
    code = {level: index for index, level in enumerate(MAP_LEVELS)}
    pk = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    latitude = np.fromiter((row[1] for row in rows), dtype=np.float32, count=len(rows))
    longitude = np.fromiter((row[2] for row in rows), dtype=np.float32, count=len(rows))
    level = np.fromiter((code[row[3] or ""] for row in rows), dtype=np.int8, count=len(rows))
    units = np.fromiter((-1 if row[4] is None else row[4] for row in rows), dtype=np.int32, count=len(rows))
    # Drawing order, sorted here rather than by the database (a second at 200,000): the
    # not assessed first, the high risk last; within a level the larger first; then by key.
    order = np.lexsort((pk, -units.astype(np.int64), -level.astype(np.int64)))
    return MapPoints(
        pk=pk[order], latitude=latitude[order], longitude=longitude[order], level=level[order], units=units[order]
    )


def _map_view(points: MapPoints, *, box: BoundingBox, zoom: float) -> dict[str, Any]:
    inside = box.contains(points.latitude, points.longitude)
    in_view = int(inside.sum())
    view: dict[str, Any] = {
        "total": len(points.pk),
        "extent": points.extent,
        "levels": _level_names_in_english(),
        "project_url": reverse("housing:project", kwargs={"nlihc_id": _PROJECT_ID_PLACEHOLDER}).replace(
            _PROJECT_ID_PLACEHOLDER, "{id}"
        ),
    }
    if in_view <= map_grid.MAX_POINTS:
        return view | {
            "kind": "projects",
            "in_view": in_view,
            "columns": MAP_PROJECT_COLUMNS,
            "rows": _map_projects(points, inside),
        }
    clusters = map_grid.clusters_in(
        latitude=points.latitude,
        longitude=points.longitude,
        level=points.level,
        units=np.maximum(points.units, 0),
        levels=len(MAP_LEVELS),
        box=box,
        cell=map_grid.cell_degrees(zoom=zoom, box=box),
    )
    rows = [
        [_point_coordinate(latitude), _point_coordinate(longitude), sum(by_level), units, by_level]
        for latitude, longitude, units, by_level in zip(
            clusters.latitude.tolist(),
            clusters.longitude.tolist(),
            clusters.units.tolist(),
            clusters.by_level.tolist(),
            strict=True,
        )
    ]
    return view | {
        "kind": "clusters",
        "in_view": int(clusters.by_level.sum()),
        "columns": MAP_CLUSTER_COLUMNS,
        "level_order": MAP_LEVELS,
        "rows": rows,
    }


def _map_projects(points: MapPoints, inside: npt.NDArray[np.bool_]) -> list[list[Any]]:
    """The projects of `points` where `inside`, in drawing order, as rows of `MAP_PROJECT_COLUMNS`."""
    pks = points.pk[inside].tolist()
    known = {
        pk: (nlihc_id, name)
        for pk, nlihc_id, name in Project.objects.filter(pk__in=pks).values_list("pk", "nlihc_id", "name")
    }
    return [
        [
            *known[pk],
            _point_coordinate(latitude),
            _point_coordinate(longitude),
            MAP_LEVELS[level],
            None if units < 0 else units,
        ]
        for pk, latitude, longitude, level, units in zip(
            pks,
            points.latitude[inside].tolist(),
            points.longitude[inside].tolist(),
            points.level[inside].tolist(),
            points.units[inside].tolist(),
            strict=True,
        )
        # A project deleted after the arrays were read, before its deletion's new version of
        # the data starts: left off rather than failing the whole answer.
        if pk in known
    ]


def _level_names_in_english() -> dict[str, str]:
    """The levels' names: in English, as the answers are cached for every visitor; the page
    gives the map its own language's names."""
    with translation.override("en"):
        return {level: str(label) for level, label in RiskAssessment.Level.choices} | {"": str(NOT_ASSESSED)}


def _point_coordinate(degrees: float) -> float:
    return round(degrees, POINT_DECIMALS)


def market_context(*, clusters: dict[str, str], projects_per_cluster: dict[str, int]) -> MarketContext:
    """The latest median sale price and its growth (in per cent) over `PRICE_GROWTH_YEARS`
    years for each of `clusters` (code: name), in the clusters' numeric order.

    The years are those of the whole table (the latest year with any published price), so
    every cluster's figures cover the same years whichever clusters a page shows."""
    rows = MarketIndicator.objects.filter(
        geography_type=MarketIndicator.GeographyType.CLUSTER, indicator=PRICE_INDICATOR
    ).values_list("geography_code", "year", "value", "suppression")
    published = {(code, year): (value, suppression) for code, year, value, suppression in rows}
    prices = pd.DataFrame(
        [(code, year, value) for (code, year), (value, _) in published.items()],
        columns=["cluster", "year", "median_price"],
    )
    growth = median_price_growth(prices, span_years=PRICE_GROWTH_YEARS)
    to_year, from_year = growth.to_year, growth.from_year

    def growth_of(code: str) -> MarketValue:
        change = growth.by_cluster.get(code)
        if change is not None:
            return MarketValue(round(100 * change, 1))
        for year in (to_year, from_year):
            missing = MarketValue.of(published.get((code, year)) if year is not None else None)
            if missing.value is None:
                return missing
        return MarketValue(None, "not published")

    return MarketContext(
        price_year=to_year,
        growth_from_year=from_year,
        clusters=[
            ClusterMarket(
                code=code,
                name=clusters[code],
                projects=projects_per_cluster.get(code, 0),
                latest_price=MarketValue.of(published.get((code, to_year)) if to_year is not None else None),
                growth=growth_of(code),
            )
            for code in sorted(clusters, key=cluster_sort_key)
        ],
    )


def cluster_names() -> dict[str, str]:
    """Each cluster's neighbourhoods, as the Catalog names them: {"Cluster 7": "Shaw, Logan Circle"}.
    Read once per version of the data: the filter form labels its clusters with them."""
    return data_cached(
        "housing",
        "cluster-names",
        lambda: dict(
            Project.objects.exclude(cluster_code="").order_by().values_list("cluster_code", "cluster_name").distinct()
        ),
    )


def cluster_sort_key(code: str) -> tuple[int, str]:
    """'Cluster 7' sorts before 'Cluster 10'."""
    number = code.rsplit(" ", 1)[-1]
    return (int(number), code) if number.isdigit() else (10_000, code)


# ---------------------------------------------------------------- a project


@dataclass(frozen=True)
class SubsidyBar:
    """A subsidy on the project's timeline, as percentages of the timeline's width."""

    subsidy: Subsidy
    offset: float
    width: float
    start_known: bool
    end_known: bool


@dataclass(frozen=True)
class SubsidyTimeline:
    first_year: int
    last_year: int
    today_offset: float
    bars: list[SubsidyBar]
    undated: list[Subsidy]


@dataclass(frozen=True)
class FlagShown:
    """A stored flag as the project page shows it: the flag's and its level's names in the
    page's language (the flag's `label` and `rule` are the English the rules recorded)."""

    flag: RiskFlag
    label: str
    severity_label: str

    @classmethod
    def of(cls, flag: RiskFlag, *, thresholds: RiskThresholds) -> FlagShown:
        return cls(
            flag=flag,
            label=flag_label(flag.code, recorded=flag.label, thresholds=thresholds),
            severity_label=level_label(flag.severity),
        )


@dataclass(frozen=True)
class PropertyEvents:
    """Recorded events of one type on one day, over however many of the project's parcels."""

    event_type: str
    event_date: date
    parcels: int


@dataclass(frozen=True)
class IndicatorValue:
    code: str
    label: str
    kind: str
    period: str
    shown: MarketValue


@dataclass(frozen=True)
class ProjectPage:
    project: Project
    assessment: RiskAssessment | None
    # When the city's projects were last checked: an assessment's own dates say since when
    # it holds, not when it was last confirmed.
    last_refresh: RiskRefresh | None
    flags: list[FlagShown]
    subsidies: list[Subsidy]
    subsidy_timeline: SubsidyTimeline | None
    inspections: list[InspectionScore]
    property_events: list[PropertyEvents]
    market: MarketContext | None
    cluster_indicators: list[IndicatorValue]


def project_page(*, nlihc_id: str, today: date) -> ProjectPage:
    """A project with its risk flags and their evidence, its subsidies (and their timeline
    up to `today`), inspections, property events (type and date only) and its cluster's
    market. Raises Project.DoesNotExist for an unknown id."""
    project = (
        Project.objects.select_related("risk_assessment").defer("owner_name", "manager_name").get(nlihc_id=nlihc_id)
    )
    assessment = getattr(project, "risk_assessment", None)
    subsidies = list(project.subsidies.order_by("subsidy_id"))
    events = (
        project.property_events.values("event_type", "event_date")
        .annotate(parcels=Count("ssl", distinct=True))
        .order_by("-event_date", "event_type")
    )
    return ProjectPage(
        project=project,
        assessment=assessment,
        last_refresh=RiskRefresh.objects.latest_finished(),
        flags=[FlagShown.of(RiskFlag.from_json(flag), thresholds=risk_thresholds()) for flag in assessment.flags]
        if assessment
        else [],
        subsidies=subsidies,
        subsidy_timeline=subsidy_timeline(subsidies, today=today),
        inspections=list(project.inspection_scores.order_by("-inspected_on")),
        property_events=[PropertyEvents(**event) for event in events],
        market=_cluster_market(project),
        cluster_indicators=_cluster_indicators(project.cluster_code),
    )


def _cluster_market(project: Project) -> MarketContext | None:
    if not project.cluster_code:
        return None
    return market_context(clusters={project.cluster_code: project.cluster_name}, projects_per_cluster={})


def subsidy_timeline(subsidies: list[Subsidy], *, today: date) -> SubsidyTimeline | None:
    """Each dated subsidy as a bar from its start to its end, on a scale of whole years from
    the earliest start to the latest end (or `today`, if later). A missing start or end runs
    the bar to the edge of the scale and says so; a subsidy with neither is left undated."""
    dated = [subsidy for subsidy in subsidies if subsidy.poa_start or subsidy.poa_end]
    if not dated:
        return None
    days = [day for subsidy in dated for day in (subsidy.poa_start, subsidy.poa_end) if day] + [today]
    first = date(min(days).year, 1, 1)
    last = date(max(days).year + 1, 1, 1)
    span = (last - first).days

    def offset(day: date) -> float:
        return round(100 * (day - first).days / span, 2)

    bars = []
    for subsidy in dated:
        start = offset(subsidy.poa_start) if subsidy.poa_start else 0.0
        end = offset(subsidy.poa_end) if subsidy.poa_end else 100.0
        bars.append(
            SubsidyBar(
                subsidy=subsidy,
                offset=start,
                # A subsidy of a few days still shows as a sliver.
                width=max(round(end - start, 2), 0.5),
                start_known=subsidy.poa_start is not None,
                end_known=subsidy.poa_end is not None,
            )
        )
    return SubsidyTimeline(
        first_year=first.year,
        last_year=last.year - 1,
        today_offset=offset(today),
        bars=bars,
        undated=[subsidy for subsidy in subsidies if subsidy not in dated],
    )


def _cluster_indicators(cluster_code: str) -> list[IndicatorValue]:
    """The latest period of each indicator published for the cluster, in `INDICATORS` order."""
    latest: dict[str, MarketIndicator] = {}
    for row in MarketIndicator.objects.filter(
        geography_type=MarketIndicator.GeographyType.CLUSTER, geography_code=cluster_code, indicator__in=INDICATORS
    ).order_by("indicator", "year"):
        latest[row.indicator] = row
    return [
        IndicatorValue(
            code=code,
            label=str(label),
            kind=kind,
            # A span ("2010_14") is written with an en dash, as in print.
            period=latest[code].period.replace("_", "\u2013"),
            shown=MarketValue.of((latest[code].value, latest[code].suppression)),
        )
        for code, (label, kind) in INDICATORS.items()
        if code in latest
    ]
