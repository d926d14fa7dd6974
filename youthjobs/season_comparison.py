"""Seasons compared: each season's figures side by side and over the years, for staff
(every count) and for the public (aggregates with small cells suppressed), and what the
comparison says to change next season.

A season's placement figures exist once a match run of it is approved: before that, asking
for them raises `SeasonFiguresError` with a message saying so (its applicants and seats are
known, and shown). "Placed" counts youth holding a seat from an approved run (offered,
accepted, started, completed, ended early); "completed" those who finished their job.
A returning youth applied in an earlier season too (the same person id).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.db.models import QuerySet

from youthjobs import analytics
from youthjobs.eligibility import ages_on
from youthjobs.figures_version import figures_cached
from youthjobs.models import SEAT_HOLDING_STATES, Applicant, MatchRun, Placement, PlacementState, Position, Season


class SeasonFiguresError(LookupError):
    """Figures asked for that do not exist; the message says why."""


@dataclass(frozen=True)
class SeasonFrames:
    """One query's worth of each: every applicant, placement held and position of the seasons."""

    applicants: pd.DataFrame
    placements: pd.DataFrame
    positions: pd.DataFrame
    approved: set[int]


APPLICANT_COLUMNS = ["pk", "season", "person_id", "neighbourhood", "date_of_birth", "gender", "first_interest"]
PLACEMENT_COLUMNS = [
    "applicant",
    "applicant__person_id",
    "run__season",
    "state",
    "commute_minutes",
    "position__category",
    "position__site__name",
]
POSITION_COLUMNS = ["season", "seats", "category", "site", "site__neighbourhood"]


def seasons_in_order() -> QuerySet[Season]:
    return Season.objects.order_by("year")


def season_frames(seasons: list[Season]) -> SeasonFrames:
    ids = [season.pk for season in seasons]
    applicants = pd.DataFrame.from_records(
        Applicant.objects.filter(season__in=ids).values(*APPLICANT_COLUMNS, "eligibility__eligible"),
        columns=[*APPLICANT_COLUMNS, "eligibility__eligible"],
    )
    placements = pd.DataFrame.from_records(
        Placement.objects.filter(
            run__season__in=ids, run__approved_at__isnull=False, state__in=SEAT_HOLDING_STATES
        ).values(*PLACEMENT_COLUMNS),
        columns=PLACEMENT_COLUMNS,
    )
    positions = pd.DataFrame.from_records(
        Position.objects.filter(season__in=ids).values(*POSITION_COLUMNS), columns=POSITION_COLUMNS
    )
    approved = set(MatchRun.objects.filter(season__in=ids, approved_at__isnull=False).values_list("season", flat=True))
    applicants["age"] = 0
    for season in seasons:
        mine = applicants["season"] == season.pk
        if mine.any():
            applicants.loc[mine, "age"] = ages_on(born=applicants.loc[mine, "date_of_birth"], day=season.starts_on)
    applicants["age_band"] = analytics.age_bands(applicants["age"])
    applicants["neighbourhood"] = applicants["neighbourhood"].replace("", "Outside Boston")
    applicants["eligible"] = applicants["eligibility__eligible"].fillna(False).astype(bool)
    applicants["placed"] = applicants["pk"].isin(placements["applicant"])
    completed = placements.loc[placements["state"] == PlacementState.COMPLETED, "applicant"]
    applicants["completed"] = applicants["pk"].isin(completed)
    return SeasonFrames(applicants=applicants, placements=placements, positions=positions, approved=approved)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _groups(rows: pd.DataFrame, column: str) -> list[dict[str, Any]]:
    grouped = rows.groupby(column, sort=True).agg(youth=("pk", "size"), placed=("placed", "sum"))
    return [
        {
            "group": str(group),
            "youth": int(row.youth),
            "placed": int(row.placed),
            "placement_rate": _rate(int(row.placed), int(row.youth)),
        }
        for group, row in grouped.iterrows()
    ]


def _returning(season: Season, frames: SeasonFrames, earlier_ids: list[int]) -> dict[str, int]:
    """This season's returning youth and how they progressed since their latest earlier season."""
    applicants = frames.applicants
    mine = applicants[applicants["season"] == season.pk]
    earlier = applicants[applicants["season"].isin(earlier_ids)]
    returning = mine[mine["person_id"].isin(earlier["person_id"])]
    placements = frames.placements
    now = placements[placements["run__season"] == season.pk].set_index("applicant__person_id")
    before = (
        placements[placements["run__season"].isin(earlier_ids)]
        .merge(earlier[["pk", "season"]].rename(columns={"pk": "applicant"}), on="applicant")
        .sort_values("season")
        .drop_duplicates("applicant__person_id", keep="last")
        .set_index("applicant__person_id")
    )
    both = now.index.intersection(before.index)
    return {
        "returning": len(returning),
        "returning_placed": int(returning["placed"].sum()),
        "placed_both_seasons": len(both),
        "same_employer": int((now.loc[both, "position__site__name"] == before.loc[both, "position__site__name"]).sum()),
        "different_category": int(
            (now.loc[both, "position__category"] != before.loc[both, "position__category"]).sum()
        ),
        "completed_again": int(
            (
                (now.loc[both, "state"] == PlacementState.COMPLETED)
                & (before.loc[both, "state"] == PlacementState.COMPLETED)
            ).sum()
        ),
    }


def season_figures(season: Season, frames: SeasonFrames, *, earlier: list[Season]) -> dict[str, Any]:
    """Every figure of one season, unsuppressed (for staff). Placement figures are None
    (with `matched` False) until a run of the season is approved."""
    applicants = frames.applicants[frames.applicants["season"] == season.pk]
    positions = frames.positions[frames.positions["season"] == season.pk]
    placements = frames.placements[frames.placements["run__season"] == season.pk]
    matched = season.pk in frames.approved
    placed, completed = int(applicants["placed"].sum()), int(applicants["completed"].sum())
    finished = int(placements["state"].isin([PlacementState.COMPLETED, PlacementState.ENDED_EARLY]).sum())
    seats_by_neighbourhood = (
        positions.assign(neighbourhood=positions["site__neighbourhood"].replace("", "Outside Boston"))
        .groupby("neighbourhood")["seats"]
        .sum()
    )
    neighbourhoods = _groups(applicants, "neighbourhood") if matched else []
    for row in neighbourhoods:
        seats = int(seats_by_neighbourhood.get(row["group"], 0))
        row["seats"] = seats
        row["seats_per_applicant"] = round(seats / row["youth"], 2) if row["youth"] else None
    chosen = applicants.groupby("first_interest").size()
    offered = positions.groupby("category")["seats"].sum()
    placed_in = placements.groupby("position__category").size()
    categories = [
        {
            "group": str(category),
            "seats": int(offered.get(category, 0)),
            "first_choices": int(chosen.get(category, 0)),
            "placed": int(placed_in.get(category, 0)) if matched else None,
        }
        for category in sorted(set(offered.index) | set(chosen.index))
    ]
    commute = placements["commute_minutes"].dropna()
    return {
        "season": season.year,
        "matched": matched,
        "applicants": len(applicants),
        "eligible": int(applicants["eligible"].sum()),
        "positions": len(positions),
        "sites": int(positions["site"].nunique()),
        "seats": int(positions["seats"].sum()),
        "placed": placed if matched else None,
        "placement_rate": _rate(placed, len(applicants)) if matched else None,
        "completed": completed if matched else None,
        "finished": finished if matched else None,
        "completion_rate": _rate(completed, finished) if matched else None,
        "mean_commute_minutes": round(float(commute.mean()), 1) if matched and len(commute) else None,
        "by_neighbourhood": neighbourhoods,
        "by_age_band": _groups(applicants, "age_band") if matched else [],
        "by_gender": _groups(applicants, "gender") if matched else [],
        "categories": categories,
        "commute": analytics.commute_distribution(commute) if matched else [],
        "returning": _returning(season, frames, [other.pk for other in earlier]) if matched else None,
    }


def _public(figures: dict[str, Any]) -> dict[str, Any]:
    """A season's figures as the public may see them: every count under 10 is "fewer than
    10", and what would give it back (a rate, a ratio) is left out."""
    shown = dict(figures)
    for key in ("by_neighbourhood", "by_age_band", "by_gender"):
        shown[key] = analytics.suppress_small_cells(figures[key])
    # Seats are the positions' own figures, public whatever the applicants' counts.
    for row, original in zip(shown["by_neighbourhood"], figures["by_neighbourhood"], strict=True):
        row["seats"] = original["seats"]
    shown["categories"] = analytics.suppress_small_cells(
        [{**row, "placed": 0 if row["placed"] is None else row["placed"]} for row in figures["categories"]],
        count_fields=("first_choices", "placed"),
    )
    for row, original in zip(shown["categories"], figures["categories"], strict=True):
        row["seats"] = original["seats"]
    if not figures["matched"]:
        shown["categories"] = [{**row, "placed": None} for row in shown["categories"]]
    shown["commute"] = analytics.suppress_small_cells(figures["commute"], count_fields=("placed",))
    returning = figures["returning"]
    if returning is not None:
        shown["returning"] = {
            key: analytics.FEWER_THAN_SMALL_CELL if value < analytics.SMALL_CELL else value
            for key, value in returning.items()
        }
    for key, whole in (("completed", "finished"),):
        if figures[key] is not None and figures[whole] < analytics.SMALL_CELL:
            shown[key] = analytics.FEWER_THAN_SMALL_CELL
            shown["completion_rate"] = None
    return shown


def seasons_compared(*, public: bool, seasons: list[Season] | None = None) -> list[dict[str, Any]]:
    """Every season's figures, oldest first (suppressed for the public)."""
    seasons = list(seasons_in_order()) if seasons is None else sorted(seasons, key=lambda season: season.year)
    frames = season_frames(seasons)
    compared = [season_figures(season, frames, earlier=seasons[:number]) for number, season in enumerate(seasons)]
    return [_public(figures) for figures in compared] if public else compared


def public_seasons_compared() -> list[dict[str, Any]]:
    """Every season's public figures, oldest first, read once per version of the summer jobs
    data (`youthjobs.figures_version`)."""
    return figures_cached("seasons-compared:public", lambda: seasons_compared(public=True))


def season_figures_for(year: str, *, public: bool) -> dict[str, Any]:
    """One season's figures by its year, with the seasons before it for returning youth.
    Raises SeasonFiguresError for an unknown season or one with no approved run."""
    seasons = list(seasons_in_order())
    season = next((season for season in seasons if season.year == year), None)
    if season is None:
        known = ", ".join(season.year for season in seasons) or "none yet"
        raise SeasonFiguresError(f"There is no season {year}; the seasons are: {known}.")
    figures = seasons_compared(public=public, seasons=[other for other in seasons if other.year <= year])[-1]
    if not figures["matched"]:
        raise SeasonFiguresError(
            f"Season {year} has no approved match run yet, so it has no placement figures: "
            f"{figures['applicants']} applicants for {figures['seats']} seats so far."
        )
    return figures


def neighbourhood_trend(compared: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of (neighbourhood, season) with the placement rate and seats per applicant, for
    the trend table: one row per neighbourhood and matched season."""
    rows = [{"season": figures["season"], **row} for figures in compared for row in figures["by_neighbourhood"]]
    return sorted(rows, key=lambda row: (row["group"], row["season"]))
