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
from typing import TYPE_CHECKING

import pandas as pd
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, IntegerField, Max, Q, QuerySet, Sum, Value, When
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cities.csv_export import CSVExportWriter
from cities.data_cache import data_cached, data_etag
from cities.models import Dataset
from housing.expiry import ExpiryYear, median_price_growth
from housing.filters import ProjectFilter, cluster_choices, owner_type_choices, program_choices
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
# Each map point is a row of these, in this order (see `map_points_gzip`).
MAP_POINT_COLUMNS = ("id", "name", "lat", "lng", "level", "units")
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
    """Compute the dashboard's default view (every project, the table's first page) and
    what every request of the page reads (the filters' choices, the clusters' names) for
    the current version of the data, so that the first visitor after an ingestion is
    served from the cache."""
    cluster_choices()
    program_choices()
    owner_type_choices()
    cluster_names()
    return dashboard_cached(filterset=ProjectFilter(queryset=Project.objects.all()), today=today, page_number=1)


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
    # The filter's own window, so the figure equals what filtering by that many years shows.
    ending_soon = ProjectFilter().filter_expires_within_years(
        Project.objects.all(), "expires_within_years", ENDING_SOON_YEARS
    )
    is_ending_soon = Q(pk__in=ending_soon.values("pk"))
    units = "risk_assessment__assisted_units_at_risk"
    figures = projects.aggregate(
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


def map_points_etag(*, filterset: ProjectFilter, today: date) -> str:
    """The ETag of `map_points_gzip` for the same arguments, known without reading the
    points: it changes when the filters, the day or the version of the data do. Weak, as
    it stands for the points gzipped or not."""
    name = _map_points_cache_name(filterset=filterset, today=today)
    return data_etag("housing", name)


def map_points_gzip(*, filterset: ProjectFilter, today: date) -> bytes:
    """The map's point of every project of `filterset` (valid) that has coordinates, as
    compact JSON, gzipped (a tenth of its size; what the cache keeps and browsers take),
    cached for the version of the data:

        {"project_url": "/…/projects/{id}/", "levels": {"high": "High", …, "": "Not assessed"},
         "columns": ["id", "name", "lat", "lng", "level", "units"],
         "points": [["NL000001", "Name", 38.91234, -77.01234, "high", 120], …]}

    `project_url` is the address of a project's page with `{id}` for its id; `level` is a
    key of `levels` ("" when not assessed); `units` the assisted homes, or null. In drawing
    order, so that what matters most is on top: the riskier projects after the others, and
    within a level the smaller after the larger. `today` is the day the filters were read
    on (a filter on years to the end of affordability counts from it)."""
    name = _map_points_cache_name(filterset=filterset, today=today)
    return data_cached("housing", name, lambda: gzip.compress(_map_points_read(filterset.qs), mtime=0))


def _map_points_cache_name(*, filterset: ProjectFilter, today: date) -> str:
    return f"map-points:{today:%Y%m%d}:{_selection_key(filterset)}"


def _selection_key(filterset: ProjectFilter) -> str:
    """The filters in force, for a cache key: hashed, as a query string may hold any text."""
    return hashlib.sha256(filterset.canonical_query().encode()).hexdigest()[:32]


def _map_points_read(projects: QuerySet[Project]) -> bytes:
    rows = (
        projects.filter(latitude__isnull=False, longitude__isnull=False)
        .annotate(level_rank=_level_rank())
        .order_by("-level_rank", F("risk_assessment__assisted_units_at_risk").desc(nulls_last=True), "nlihc_id")
        .values_list(
            "nlihc_id",
            "name",
            "latitude",
            "longitude",
            "risk_assessment__level",
            "risk_assessment__assisted_units_at_risk",
        )
    )
    project_url = reverse("housing:project", kwargs={"nlihc_id": _PROJECT_ID_PLACEHOLDER})
    points = {
        "project_url": project_url.replace(_PROJECT_ID_PLACEHOLDER, "{id}"),
        "levels": _level_names_in_english(),
        "columns": MAP_POINT_COLUMNS,
        "points": [
            [nlihc_id, name, _point_coordinate(latitude), _point_coordinate(longitude), level or "", units]
            for nlihc_id, name, latitude, longitude, level, units in rows
        ],
    }
    return json.dumps(points, separators=(",", ":"), ensure_ascii=False).encode()


def _level_names_in_english() -> dict[str, str]:
    """The points' level names: in English, as the points are cached for every visitor; the
    page gives the map its own language's names."""
    with translation.override("en"):
        return {level: str(label) for level, label in RiskAssessment.Level.choices} | {"": str(NOT_ASSESSED)}


def _point_coordinate(degrees: float | None) -> float | None:
    return None if degrees is None else round(degrees, POINT_DECIMALS)


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
