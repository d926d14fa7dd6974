"""Run figures and public suppression on small frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from youthjobs.analytics import FEWER_THAN_SMALL_CELL, commute_distribution, run_figures, suppress_small_cells


def youth_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "neighbourhood": ["Dorchester"] * 12 + ["Roxbury"] * 3 + [""],
            "age": [14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 14, 16, 16, 17, 15],
            "gender": ["female"] * 8 + ["male"] * 8,
            "placed": [True] * 10 + [False] * 2 + [True, False, False, True],
            "score": [8.0] * 10 + [np.nan] * 2 + [6.0, np.nan, np.nan, np.nan],
            "commute_minutes": [10.0] * 9 + [30.0] + [np.nan] * 2 + [20.0, np.nan, np.nan, np.nan],
        }
    )


def test_run_figures_overall_and_by_group() -> None:
    figures = run_figures(youth_frame())

    overall = figures["overall"]
    assert (overall["youth"], overall["placed"]) == (16, 12)
    assert overall["mean_commute_minutes"] == 12.7
    assert overall["p90_commute_minutes"] == 20.0
    groups = {row["group"]: row for row in figures["by_neighbourhood"]}
    assert set(groups) == {"Dorchester", "Roxbury", "Outside Boston"}
    assert groups["Roxbury"]["placement_rate"] == round(1 / 3, 4)
    # A direct hire (placed, no score) counts as placed and stays out of the means.
    assert groups["Outside Boston"]["placed"] == 1 and groups["Outside Boston"]["mean_score"] is None
    assert [row["group"] for row in figures["by_age_band"]] == ["14-15", "16-17", "18-20", "21-24"]


def test_small_groups_show_no_counts_or_rates() -> None:
    rows = suppress_small_cells(
        [
            {"group": "Dorchester", "youth": 12, "placed": 10, "placement_rate": 0.83},
            {"group": "Roxbury", "youth": 12, "placed": 3, "placement_rate": 0.25},
            {"group": "Fenway", "youth": 4, "placed": 1, "placement_rate": 0.25},
        ]
    )

    assert rows[0] == {"group": "Dorchester", "youth": 12, "placed": 10, "placement_rate": 0.83}
    assert rows[1] == {"group": "Roxbury", "youth": 12, "placed": FEWER_THAN_SMALL_CELL, "placement_rate": None}
    assert rows[2] == {
        "group": "Fenway",
        "youth": FEWER_THAN_SMALL_CELL,
        "placed": FEWER_THAN_SMALL_CELL,
        "placement_rate": None,
    }


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=30))
def test_no_shown_count_is_below_ten(counts: list[int]) -> None:
    rows = suppress_small_cells(
        [
            {"group": str(i), "youth": count + 5, "placed": count, "placement_rate": 0.5}
            for i, count in enumerate(counts)
        ]
    )

    for row in rows:
        for field in ("youth", "placed"):
            assert row[field] == FEWER_THAN_SMALL_CELL or row[field] >= 10
        if FEWER_THAN_SMALL_CELL in (row["youth"], row["placed"]):
            assert row["placement_rate"] is None


def test_commute_distribution_counts_each_band() -> None:
    rows = commute_distribution(pd.Series([2.0, 9.9, 10.0, 25.0, 39.9]))

    assert rows == [
        {"group": "0-10 min", "placed": 2},
        {"group": "10-20 min", "placed": 1},
        {"group": "20-30 min", "placed": 1},
        {"group": "30-40 min", "placed": 1},
        {"group": "40-60 min", "placed": 0},
    ]
