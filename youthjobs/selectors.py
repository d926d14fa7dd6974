"""Reads of the summer jobs data that cross relations: a run's placements for staff and
their CSV export, two runs side by side, and the public programme figures (aggregates
only, small cells suppressed)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.db.models import QuerySet, Sum

from cities.csv_export import CSVExportWriter
from youthjobs import analytics
from youthjobs.eligibility import ages_on
from youthjobs.models import SEAT_HOLDING_STATES, Applicant, MatchRun, Placement, PlacementState, Position, Season

PLACEMENT_CSV_COLUMNS = (
    "applicant_id",
    "first_name",
    "last_name",
    "neighbourhood",
    "position_id",
    "position_title",
    "category",
    "site_id",
    "site_name",
    "state",
    "direct_hire",
    "commute_minutes",
    "by_transit",
    "travel_points",
    "interest_points",
    "score",
    "explanation",
    "offer_expires_at",
)


def run_placements(run: MatchRun) -> QuerySet[Placement]:
    """A run's placements with their applicant, position and site, in applicant order."""
    return run.placements.select_related("applicant", "position__site").order_by("applicant__applicant_id")


def run_placements_csv(run: MatchRun) -> str:
    """The run's placements as CSV for staff (personal data: names), one row per placement."""
    buffer = io.StringIO()
    writer = CSVExportWriter(buffer)
    writer.writerow(PLACEMENT_CSV_COLUMNS)
    for placement in run_placements(run):
        applicant, position = placement.applicant, placement.position
        writer.writerow(
            [
                applicant.applicant_id,
                applicant.first_name,
                applicant.last_name,
                applicant.neighbourhood,
                position.position_id,
                position.title,
                position.category,
                position.site.site_id,
                position.site.name,
                placement.state,
                "yes" if placement.is_direct_hire else "no",
                "" if placement.commute_minutes is None else placement.commute_minutes,
                "yes" if placement.by_transit else "no",
                placement.travel_points,
                placement.interest_points,
                placement.score,
                placement.explanation,
                placement.offer_expires_at.isoformat() if placement.offer_expires_at else "",
            ]
        )
    return buffer.getvalue()


@dataclass(frozen=True)
class RunComparison:
    first: MatchRun
    second: MatchRun
    figures: list[tuple[str, Any, Any]]
    same_placement: int
    different_placement: int
    placed_only_in_first: int
    placed_only_in_second: int
    by_neighbourhood: list[tuple[str, Any, Any]]


COMPARED_FIGURES = (
    ("youth", "Youth to place"),
    ("placed", "Youth placed"),
    ("direct_hires", "Direct hires"),
    ("seats", "Seats"),
    ("seats_filled", "Seats filled"),
    ("total_score", "Total score"),
    ("mean_score", "Mean score"),
    ("mean_commute_minutes", "Mean commute (min)"),
    ("p90_commute_minutes", "90th-percentile commute (min)"),
    ("blocking_pairs", "Blocking pairs"),
)


def match_runs_compare(*, first: MatchRun, second: MatchRun) -> RunComparison:
    """Two runs side by side: their figures, each neighbourhood's placement rate, and how
    many youth each places where."""
    placed_first = dict(first.placements.values_list("applicant", "position"))
    placed_second = dict(second.placements.values_list("applicant", "position"))
    both = placed_first.keys() & placed_second.keys()
    same = sum(placed_first[applicant] == placed_second[applicant] for applicant in both)
    overall_first, overall_second = first.summary.get("overall", {}), second.summary.get("overall", {})
    rates_first = {row["group"]: row["placement_rate"] for row in first.summary.get("by_neighbourhood", [])}
    rates_second = {row["group"]: row["placement_rate"] for row in second.summary.get("by_neighbourhood", [])}
    return RunComparison(
        first=first,
        second=second,
        figures=[(label, overall_first.get(key), overall_second.get(key)) for key, label in COMPARED_FIGURES],
        same_placement=same,
        different_placement=len(both) - same,
        placed_only_in_first=len(placed_first.keys() - placed_second.keys()),
        placed_only_in_second=len(placed_second.keys() - placed_first.keys()),
        by_neighbourhood=[
            (group, rates_first.get(group), rates_second.get(group)) for group in sorted(rates_first | rates_second)
        ],
    )


# ---------------------------------------------------------------- public figures


def current_season() -> Season | None:
    return Season.objects.order_by("-year").first()


def programme_figures(season: Season) -> dict[str, Any]:
    """The season's public figures, aggregates only with small cells suppressed:
    applicants and placements by neighbourhood, by age band and by category, the placement
    rate, the commute distribution of placed youth and the completion rate. Placements are
    the seats held (offered and later states) of approved runs."""
    applicants = pd.DataFrame.from_records(
        Applicant.objects.filter(season=season).values("pk", "neighbourhood", "date_of_birth", "eligibility__eligible"),
        columns=["pk", "neighbourhood", "date_of_birth", "eligibility__eligible"],
    )
    held = pd.DataFrame.from_records(
        Placement.objects.filter(applicant__season=season, state__in=SEAT_HOLDING_STATES).values(
            "applicant", "state", "commute_minutes", "position__category"
        ),
        columns=["applicant", "state", "commute_minutes", "position__category"],
    )
    if applicants.empty:
        return {"season": season, "applicants": 0}
    applicants["age"] = ages_on(born=applicants["date_of_birth"], day=season.starts_on)
    applicants["age_band"] = analytics.age_bands(applicants["age"])
    applicants["neighbourhood"] = applicants["neighbourhood"].replace("", "Outside Boston")
    applicants["placed"] = applicants["pk"].isin(held["applicant"])

    def by(column: str) -> list[dict[str, Any]]:
        grouped = applicants.groupby(column, sort=True).agg(youth=("pk", "size"), placed=("placed", "sum"))
        rows = [
            {
                "group": str(group),
                "youth": int(row.youth),
                "placed": int(row.placed),
                "placement_rate": round(row.placed / row.youth, 3),
            }
            for group, row in grouped.iterrows()
        ]
        return analytics.suppress_small_cells(rows)

    categories = held.groupby("position__category").size().sort_index()
    finished = held[held["state"].isin([PlacementState.COMPLETED, PlacementState.ENDED_EARLY])]
    completed = int((finished["state"] == PlacementState.COMPLETED).sum())
    category_rows = [{"group": str(category), "placed": int(count)} for category, count in categories.items()]
    commute_rows = analytics.commute_distribution(held["commute_minutes"].dropna())
    return {
        "season": season,
        "applicants": len(applicants),
        "eligible": int(applicants["eligibility__eligible"].fillna(False).sum()),
        "placed": int(applicants["placed"].sum()),
        "placement_rate": round(float(applicants["placed"].mean()), 3),
        "seats": Position.objects.filter(season=season).aggregate(total=Sum("seats"))["total"] or 0,
        "by_neighbourhood": by("neighbourhood"),
        "by_age_band": by("age_band"),
        "by_category": analytics.suppress_small_cells(category_rows, count_fields=("placed",)),
        "commute": analytics.suppress_small_cells(commute_rows, count_fields=("placed",)),
        "finished": len(finished),
        "completion_rate": round(completed / len(finished), 3) if len(finished) >= analytics.SMALL_CELL else None,
    }
