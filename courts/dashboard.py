"""The public St. Louis court operations dashboard: aggregates only, small cells suppressed.

Every figure counts citations, violations or warrants, which are about people: a figure
resting on fewer than `SMALL_CELL` citations is shown as "fewer than 10" (money too, as a
total over a handful of tickets tells about those people). Populations are not in the data
yet: a rate per 1,000 residents appears only where a municipality's population is known.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, DecimalField, Q, Sum
from django.db.models.functions import Coalesce

from courts.models import Citation, Court, CourtSurvey, Municipality, Violation

SMALL_CELL = 10
TOP_VIOLATIONS = 10
ZERO = Decimal("0.00")
DASHBOARD_CACHE_KEY = "courts:dashboard"


@dataclass(frozen=True)
class Cell:
    """A count or an amount, or None where it rests on fewer than SMALL_CELL citations."""

    value: int | Decimal | None

    @property
    def suppressed(self) -> bool:
        return self.value is None


def _cell(value: int | Decimal, citations: int) -> Cell:
    return Cell(value if citations >= SMALL_CELL else None)


@dataclass(frozen=True)
class CourtRow:
    court: Court
    citations: Cell
    violations: Cell
    fines: Cell
    court_costs: Cell
    warrants: Cell
    warrant_share: float | None


@dataclass(frozen=True)
class MunicipalityRow:
    municipality: Municipality
    citations: Cell
    per_thousand_residents: float | None


@dataclass(frozen=True)
class SurveyMeasure:
    label: str
    yes: int
    no: int
    unknown: int


@dataclass(frozen=True)
class Dashboard:
    citations: int
    synthetic_citations: int
    violations: int
    warrants: int
    courts: list[CourtRow]
    municipalities: list[MunicipalityRow]
    statuses: list[tuple[str, Cell]]
    common_violations: list[tuple[str, Cell]]
    survey: list[SurveyMeasure]
    surveyed: int

    @property
    def warrant_share(self) -> float | None:
        return self.warrants / self.violations if self.violations else None


def _court_rows() -> list[CourtRow]:
    """Two GROUP BYs (citations by court, violations by their citation's court) rather than
    one query joining courts, citations, violations and warrants, which PostgreSQL answers
    several times slower at county scale."""
    money = DecimalField(max_digits=14, decimal_places=2)
    citations = dict(
        Citation.objects.filter(court__isnull=False)
        .values("court")
        .annotate(count=Count("pk"))
        .values_list("court", "count")
    )
    violations: dict[int, dict[str, Any]] = {
        row["citation__court"]: dict(row)
        for row in Violation.objects.filter(citation__court__isnull=False)
        .values("citation__court")
        .annotate(
            count=Count("pk"),
            fines=Coalesce(Sum("fine_amount"), ZERO, output_field=money),
            costs=Coalesce(Sum("court_cost"), ZERO, output_field=money),
            warrants=Count("warrant"),
        )
    }
    rows = []
    for court in Court.objects.order_by("name"):
        counted = citations.get(court.pk, 0)
        charges: dict[str, Any] = violations.get(court.pk, {"count": 0, "fines": ZERO, "costs": ZERO, "warrants": 0})
        shown = counted >= SMALL_CELL
        rows.append(
            CourtRow(
                court=court,
                citations=_cell(counted, counted),
                violations=_cell(charges["count"], counted),
                fines=_cell(charges["fines"], counted),
                court_costs=_cell(charges["costs"], counted),
                warrants=_cell(charges["warrants"], counted),
                warrant_share=charges["warrants"] / charges["count"] if shown and charges["count"] else None,
            )
        )
    rows.sort(key=lambda row: -(citations.get(row.court.pk, 0)))
    return rows


def _municipality_rows() -> list[MunicipalityRow]:
    municipalities = Municipality.objects.annotate(citation_count=Count("citations")).order_by("name")
    rows = []
    for municipality in municipalities:
        counted = municipality.citation_count
        rate = None
        if municipality.population and counted >= SMALL_CELL:
            rate = counted / municipality.population * 1000
        rows.append(
            MunicipalityRow(municipality=municipality, citations=_cell(counted, counted), per_thousand_residents=rate)
        )
    return rows


def _survey() -> tuple[list[SurveyMeasure], int]:
    fields = {
        "docket_listed": "Court dates and place published",
        "clerk_phone_listed": "Clerk's phone number published",
        "fine_schedule_listed": "Fine schedule published",
        "dress_code_mentioned": "Dress code published",
        "directions_listed": "Directions to court published",
    }
    counts = CourtSurvey.objects.aggregate(
        surveyed=Count("pk"),
        **{
            f"{name}_{answer}": Count("pk", filter=Q(**{name: value}))
            for name in fields
            for answer, value in (("yes", True), ("no", False))
        },
    )
    measures = [
        SurveyMeasure(
            label=label,
            yes=counts[f"{name}_yes"],
            no=counts[f"{name}_no"],
            unknown=counts["surveyed"] - counts[f"{name}_yes"] - counts[f"{name}_no"],
        )
        for name, label in fields.items()
    ]
    return measures, counts["surveyed"]


def dashboard_cached() -> Dashboard:
    """`dashboard()`, kept in the cache for COURTS_DASHBOARD_CACHE_SECONDS: at county scale
    (500,000 citations) its grouped queries take about 2.5 s, too long for every visit. Each
    ingestion that changes St. Louis data refreshes it (`dashboard_refresh`)."""
    cached = cache.get(DASHBOARD_CACHE_KEY)
    if isinstance(cached, Dashboard):
        return cached
    return dashboard_refresh()


def dashboard_refresh() -> Dashboard:
    """Recompute the dashboard's figures and keep them in the cache."""
    figures = dashboard()
    cache.set(DASHBOARD_CACHE_KEY, figures, timeout=settings.COURTS_DASHBOARD_CACHE_SECONDS)
    return figures


def dashboard() -> Dashboard:
    """Every figure of the dashboard in a handful of grouped queries (none per row)."""
    totals = Citation.objects.aggregate(citations=Count("pk"), synthetic=Count("pk", filter=Q(synthetic=True)))
    violations = Violation.objects.aggregate(violations=Count("pk"), warrants=Count("warrant"))
    status_labels = dict(Violation.Status.choices)
    by_status = Violation.objects.values("status").annotate(
        count=Count("pk"), citations=Count("citation", distinct=True)
    )
    common = (
        Violation.objects.values("description")
        .annotate(count=Count("pk"), citations=Count("citation", distinct=True))
        .order_by("-count", "description")[:TOP_VIOLATIONS]
    )
    survey, surveyed = _survey()
    return Dashboard(
        citations=totals["citations"],
        synthetic_citations=totals["synthetic"],
        violations=violations["violations"],
        warrants=violations["warrants"],
        courts=_court_rows(),
        municipalities=_municipality_rows(),
        statuses=sorted(
            (
                (status_labels.get(row["status"], row["status"]), _cell(row["count"], row["citations"]))
                for row in by_status
            ),
            key=lambda status: status[0],
        ),
        common_violations=[(row["description"], _cell(row["count"], row["citations"])) for row in common],
        survey=survey,
        surveyed=surveyed,
    )


def map_counts(rows: list[MunicipalityRow]) -> dict[str, int | None]:
    """Citations by municipality name in upper case, as the boundaries file names them
    (None where suppressed), for the map."""
    return {
        row.municipality.name.upper(): (int(row.citations.value) if row.citations.value is not None else None)
        for row in rows
    }
