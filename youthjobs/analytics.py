"""Figures of the summer jobs programme, computed with pandas from plain frames (no Django):
a run's results overall and by neighbourhood, age band and gender (the fairness
breakdown), and the suppression of small cells for public views.

A frame of a run has one row per youth the run tried to place: `neighbourhood`, `age`,
`gender`, `placed` (bool), and for placed youth `score` and `commute_minutes`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

# Public views show a count below this as "fewer than 10", and nothing derived from it.
SMALL_CELL = 10
FEWER_THAN_SMALL_CELL = f"fewer than {SMALL_CELL}"
# The neighbourhood group of applicants whose home lies outside the City's boundaries.
OUTSIDE_BOSTON = "Outside Boston"
AGE_BANDS = ((14, 15, "14-15"), (16, 17, "16-17"), (18, 20, "18-20"), (21, 24, "21-24"))
BREAKDOWNS = (("neighbourhood", "by_neighbourhood"), ("age_band", "by_age_band"), ("gender", "by_gender"))
COMMUTE_BINS = (0, 10, 20, 30, 40, 60)


def rate_percent(rate: float | None) -> str | None:
    """A rate (0 to 1) as staff read it: 0.7345 is "73.5%"; None stays None."""
    return None if rate is None else f"{rate * 100:.1f}%"


def age_bands(ages: pd.Series) -> pd.Series:
    """The programme's age band of each age ("other" outside 14-24)."""
    labels = pd.Series("other", index=ages.index, dtype=object)
    for low, high, label in AGE_BANDS:
        labels[ages.between(low, high)] = label
    return labels


def _figures(group: pd.DataFrame) -> dict[str, Any]:
    placed = group[group["placed"]]
    # Direct hires are placed without a scored pair: they count as placed, not in the means.
    scores = placed["score"].dropna()
    commute = placed["commute_minutes"].dropna()
    return {
        "youth": len(group),
        "placed": len(placed),
        "placement_rate": round(len(placed) / len(group), 4) if len(group) else None,
        "mean_score": round(float(scores.mean()), 3) if len(scores) else None,
        "mean_commute_minutes": round(float(commute.mean()), 1) if len(commute) else None,
        "median_commute_minutes": round(float(commute.median()), 1) if len(commute) else None,
        "p90_commute_minutes": round(float(np.percentile(commute, 90)), 1) if len(commute) else None,
    }


def run_figures(youth: pd.DataFrame) -> dict[str, Any]:
    """A run's figures: `overall` and, per breakdown, a list of groups each with `group`,
    youth, placed, placement rate, mean score, mean, median and 90th-percentile commute. Unsuppressed:
    for staff; `suppress_small_cells` makes them public."""
    youth = youth.assign(
        age_band=age_bands(youth["age"]), neighbourhood=youth["neighbourhood"].replace("", OUTSIDE_BOSTON)
    )
    figures: dict[str, Any] = {"overall": _figures(youth)}
    for column, name in BREAKDOWNS:
        figures[name] = [
            {"group": str(group), **_figures(rows)} for group, rows in youth.groupby(column, sort=True) if len(rows)
        ]
    return figures


def suppress_small_cells(
    groups: list[dict[str, Any]], *, count_fields: tuple[str, ...] = ("youth", "placed")
) -> list[dict[str, Any]]:
    """The groups as a public view may show them: each count below SMALL_CELL becomes "fewer
    than 10", and a group with any such count shows no figure derived from its counts
    (a rate times a shown count would give the hidden one back)."""
    shown = []
    for group in groups:
        small = [field for field in count_fields if group[field] < SMALL_CELL]
        row = {
            key: value if key == "group" or key in count_fields or not small else None for key, value in group.items()
        }
        row.update(dict.fromkeys(small, FEWER_THAN_SMALL_CELL))
        shown.append(row)
    return shown


def commute_distribution(minutes: pd.Series) -> list[dict[str, Any]]:
    """How many placed youth commute within each band of minutes (0-10, 10-20, ...)."""
    bins = pd.cut(minutes, bins=list(COMMUTE_BINS), right=False, include_lowest=True)
    counts = bins.value_counts(sort=False)
    return [
        {"group": f"{int(interval.left)}-{int(interval.right)} min", "placed": int(count)}
        for interval, count in counts.items()
    ]
