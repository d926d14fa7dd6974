"""The public St. Louis court operations dashboard: aggregates only, small cells suppressed.

Every figure counts citations, violations or warrants, which are about people: a figure
resting on fewer than `SMALL_CELL` citations is shown as "fewer than 10" (money too, as a
total over a handful of tickets tells about those people). Populations are not in the data
yet: a rate per 1,000 residents appears only where a municipality's population is known.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Count, DecimalField, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from cities.data_cache import data_cached, data_version_bump
from cities.single_flight import single_flight
from courts.models import Citation, Court, CourtSurvey, DashboardSnapshot, Municipality, Violation

SMALL_CELL = 10
TOP_VIOLATIONS = 10
ZERO = Decimal("0.00")
SNAPSHOT_LOCK = "courts:dashboard-snapshot"
# Computing the figures takes seconds at county scale; should the process computing them
# die, its lock is released after this long.
LOCK_HOLD_SECONDS = 120


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
        # Kept in English in the snapshot; the page translates them as it shows them.
        "docket_listed": gettext_noop("Court dates and place published"),
        "clerk_phone_listed": gettext_noop("Clerk's phone number published"),
        "fine_schedule_listed": gettext_noop("Fine schedule published"),
        "dress_code_mentioned": gettext_noop("Dress code published"),
        "directions_listed": gettext_noop("Directions to court published"),
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
    """The dashboard's figures as last computed: from the data cache (`cities.data_cache`),
    else from their snapshot. A visit never computes them while a snapshot exists: each
    ingestion that changes St. Louis data does (`dashboard_refresh`), which at county scale
    (2 M citations) takes seconds. Only before the first computation does a visit compute
    them, one process at a time."""
    return data_cached("courts", "dashboard", _dashboard_stored)


def _dashboard_stored() -> Dashboard:
    snapshot = DashboardSnapshot.objects.order_by("-computed_at").first()
    if snapshot is None:
        return dashboard_refresh(unless_stored=True)
    return _dashboard_from_json(snapshot.figures)


def dashboard_refresh(*, unless_stored: bool = False) -> Dashboard:
    """Compute the figures and store them as the snapshot; once that is committed, the
    cached figures are stale (`data_version_bump`).

    One computation at a time across processes (`cities.single_flight`): a caller that
    finds another computing waits for it to finish, then computes the figures again (an
    ingestion's refresh must count its own rows), or, with ``unless_stored`` (a visit
    that found no snapshot), uses the snapshot the other stored."""
    with single_flight(SNAPSHOT_LOCK, hold_seconds=LOCK_HOLD_SECONDS, wait_seconds=LOCK_HOLD_SECONDS):
        snapshot = DashboardSnapshot.objects.order_by("-computed_at").first() if unless_stored else None
        if snapshot is not None:
            return _dashboard_from_json(snapshot.figures)
        started = time.perf_counter()
        figures = dashboard()
        with transaction.atomic():
            DashboardSnapshot.objects.all().delete()
            DashboardSnapshot.objects.create(
                figures=_dashboard_json(figures),
                computed_at=timezone.now(),
                compute_seconds=round(time.perf_counter() - started, 3),
            )
            transaction.on_commit(partial(data_version_bump, "courts"))
    return figures


def _value_json(cell: Cell) -> int | str | None:
    # Amounts as text, so that cents survive JSON exactly.
    return str(cell.value) if isinstance(cell.value, Decimal) else cell.value


def _dashboard_json(figures: Dashboard) -> dict[str, Any]:
    """The figures as JSON: courts and municipalities by id, amounts as text."""
    return {
        "citations": figures.citations,
        "synthetic_citations": figures.synthetic_citations,
        "violations": figures.violations,
        "warrants": figures.warrants,
        "courts": [
            {
                "court": row.court.pk,
                "citations": row.citations.value,
                "violations": row.violations.value,
                "fines": _value_json(row.fines),
                "court_costs": _value_json(row.court_costs),
                "warrants": row.warrants.value,
                "warrant_share": row.warrant_share,
            }
            for row in figures.courts
        ],
        "municipalities": [
            {
                "municipality": row.municipality.pk,
                "citations": row.citations.value,
                "per_thousand_residents": row.per_thousand_residents,
            }
            for row in figures.municipalities
        ],
        "statuses": [[label, cell.value] for label, cell in figures.statuses],
        "common_violations": [[description, cell.value] for description, cell in figures.common_violations],
        "survey": [asdict(measure) for measure in figures.survey],
        "surveyed": figures.surveyed,
    }


def _amount(value: str | None) -> Cell:
    return Cell(None if value is None else Decimal(value))


def _dashboard_from_json(figures: dict[str, Any]) -> Dashboard:
    """The figures of `_dashboard_json`, with their courts and municipalities read (two
    queries); a row whose court or municipality is gone is left out."""
    courts = Court.objects.in_bulk([row["court"] for row in figures["courts"]])
    municipalities = Municipality.objects.in_bulk([row["municipality"] for row in figures["municipalities"]])
    return Dashboard(
        citations=figures["citations"],
        synthetic_citations=figures["synthetic_citations"],
        violations=figures["violations"],
        warrants=figures["warrants"],
        courts=[
            CourtRow(
                court=courts[row["court"]],
                citations=Cell(row["citations"]),
                violations=Cell(row["violations"]),
                fines=_amount(row["fines"]),
                court_costs=_amount(row["court_costs"]),
                warrants=Cell(row["warrants"]),
                warrant_share=row["warrant_share"],
            )
            for row in figures["courts"]
            if row["court"] in courts
        ],
        municipalities=[
            MunicipalityRow(
                municipality=municipalities[row["municipality"]],
                citations=Cell(row["citations"]),
                per_thousand_residents=row["per_thousand_residents"],
            )
            for row in figures["municipalities"]
            if row["municipality"] in municipalities
        ],
        statuses=[(label, Cell(value)) for label, value in figures["statuses"]],
        common_violations=[(description, Cell(value)) for description, value in figures["common_violations"]],
        survey=[SurveyMeasure(**measure) for measure in figures["survey"]],
        surveyed=figures["surveyed"],
    )


def dashboard() -> Dashboard:
    """Every figure of the dashboard in a handful of grouped queries (none per row)."""
    totals = Citation.objects.aggregate(citations=Count("pk"), synthetic=Count("pk", filter=Q(synthetic=True)))
    violations = Violation.objects.aggregate(violations=Count("pk"), warrants=Count("warrant"))
    # The labels in English (the msgids), as the snapshot keeps them; the page translates them.
    with translation.override(None):
        status_labels = {code: str(label) for code, label in Violation.Status.choices}
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
