"""The expiry timeline and the price growth helper, on small hand-made frames.

No database: these are pure functions over pandas frames.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from housing.expiry import ExpiryYear, expiry_timeline, median_price_growth

AS_OF = date(2025, 11, 25)


def subsidy(project_id: str, ends_on: date | None, *, units: float | None = 10, active: Any = True) -> dict[str, Any]:
    return {"project_id": project_id, "affordability_ends_on": ends_on, "assisted_units": units, "active": active}


def timeline(
    projects: dict[str, float | None], subsidies: list[dict[str, Any]], *, as_of: date = AS_OF, years: int = 10
) -> list[ExpiryYear]:
    project_frame = pd.DataFrame(
        {"project_id": list(projects), "assisted_units": list(projects.values())},
        columns=["project_id", "assisted_units"],
    )
    subsidy_frame = pd.DataFrame(subsidies, columns=["project_id", "affordability_ends_on", "assisted_units", "active"])
    return expiry_timeline(projects=project_frame, subsidies=subsidy_frame, as_of=as_of, years=years)


def counts_by_year(result: list[ExpiryYear]) -> dict[int, tuple[int, int]]:
    """Only the years with something ending, as (projects, assisted units)."""
    return {year.year: (year.projects, year.assisted_units) for year in result if year.projects}


def test_window_lists_every_year_from_as_of_year_with_zeros() -> None:
    result = timeline({}, [], years=3)

    assert result == [ExpiryYear(year, 0, 0, 0) for year in (2025, 2026, 2027)]


def test_project_counts_once_in_the_year_of_its_last_active_subsidy_with_its_own_units() -> None:
    result = timeline(
        {"NL1": 120},
        [subsidy("NL1", date(2025, 12, 31), units=50), subsidy("NL1", date(2030, 6, 1), units=80)],
    )

    assert counts_by_year(result) == {2030: (1, 120)}


def test_inactive_subsidy_neither_extends_nor_sets_the_end() -> None:
    result = timeline(
        {"NL1": 10, "NL2": 20},
        [
            subsidy("NL1", date(2027, 1, 1)),
            subsidy("NL1", date(2033, 1, 1), active=False),
            subsidy("NL2", date(2028, 1, 1), active=False),
        ],
    )

    assert counts_by_year(result) == {2027: (1, 10)}


@pytest.mark.parametrize("active", [None, np.nan, "Yes"])
def test_active_that_is_not_true_counts_as_inactive(active: Any) -> None:
    assert counts_by_year(timeline({"NL1": 10}, [subsidy("NL1", date(2027, 1, 1), active=active)])) == {}


def test_active_subsidy_without_end_does_not_postpone_the_known_end() -> None:
    # Public housing records no end; the catalog's own Subsidy_End_Last ignores it too.
    result = timeline({"NL1": 100}, [subsidy("NL1", None, units=100), subsidy("NL1", date(2028, 5, 1), units=40)])

    assert counts_by_year(result) == {2028: (1, 100)}


def test_project_whose_only_subsidy_has_no_readable_end_is_not_counted() -> None:
    result = timeline({"NL1": 10, "NL2": 10}, [subsidy("NL1", None), subsidy("NL2", "not a date")])  # type: ignore[arg-type]

    assert counts_by_year(result) == {}


def test_renewed_subsidy_is_one_subsidy_counted_by_its_current_end() -> None:
    renewed = subsidy("NL1", date(2034, 6, 24)) | {"starts_on": date(2015, 6, 25), "first_starts_on": date(1983, 4, 6)}

    assert counts_by_year(timeline({"NL1": 94}, [renewed])) == {2034: (1, 94)}


def test_end_on_as_of_counts_and_an_end_earlier_in_the_same_year_is_past() -> None:
    result = timeline(
        {"ends-today": 1, "ended-in-march": 2, "ends-new-year-eve": 4},
        [
            subsidy("ends-today", AS_OF),
            subsidy("ended-in-march", date(2025, 3, 1)),
            subsidy("ends-new-year-eve", date(2025, 12, 31)),
        ],
    )

    assert counts_by_year(result) == {2025: (2, 5)}


def test_end_after_the_last_year_of_the_window_is_excluded() -> None:
    result = timeline(
        {"last-day": 1, "too-late": 2},
        [subsidy("last-day", date(2034, 12, 31)), subsidy("too-late", date(2035, 1, 1))],
        years=10,
    )

    assert counts_by_year(result) == {2034: (1, 1)}


def test_units_fall_back_to_the_largest_active_subsidy_not_their_sum() -> None:
    result = timeline(
        {"NL1": None},
        [
            subsidy("NL1", date(2027, 1, 1), units=40),
            subsidy("NL1", date(2026, 1, 1), units=60),
            subsidy("NL1", date(2020, 1, 1), units=500, active=False),
        ],
    )

    assert counts_by_year(result) == {2027: (1, 60)}


def test_project_with_no_units_anywhere_counts_as_a_project_without_units() -> None:
    result = timeline(
        {"NL1": None, "NL2": 30}, [subsidy("NL1", date(2027, 1, 1), units=None), subsidy("NL2", date(2027, 2, 1))]
    )

    (year_2027,) = [year for year in result if year.year == 2027]
    assert year_2027 == ExpiryYear(2027, projects=2, assisted_units=30, projects_without_units=1)


def test_subsidies_of_projects_not_listed_are_ignored() -> None:
    assert counts_by_year(timeline({"NL1": 5}, [subsidy("NL9", date(2027, 1, 1))])) == {}


def test_dates_as_datetime64_give_the_same_timeline_as_date_objects() -> None:
    rows = [subsidy("NL1", date(2027, 1, 1)), subsidy("NL2", date(2031, 7, 4))]
    projects = pd.DataFrame({"project_id": ["NL1", "NL2"], "assisted_units": [3, 4]})
    as_dates = pd.DataFrame(rows)
    as_datetime64 = as_dates.assign(affordability_ends_on=pd.to_datetime(as_dates["affordability_ends_on"]))

    assert expiry_timeline(projects=projects, subsidies=as_dates, as_of=AS_OF) == expiry_timeline(
        projects=projects, subsidies=as_datetime64, as_of=AS_OF
    )


def test_years_below_one_are_rejected() -> None:
    with pytest.raises(ValueError, match="years must be at least 1"):
        timeline({}, [], years=0)


def test_repeated_project_ids_are_rejected() -> None:
    projects = pd.DataFrame({"project_id": ["NL1", "NL1"], "assisted_units": [1, 2]})
    subsidies = pd.DataFrame([subsidy("NL1", date(2027, 1, 1))])

    with pytest.raises(ValueError, match="duplicated project_id"):
        expiry_timeline(projects=projects, subsidies=subsidies, as_of=AS_OF)


def test_missing_column_is_named() -> None:
    projects = pd.DataFrame({"project_id": ["NL1"], "assisted_units": [1]})
    subsidies = pd.DataFrame({"project_id": ["NL1"], "active": [True], "assisted_units": [1]})

    with pytest.raises(ValueError, match="subsidies lacks the column\\(s\\) affordability_ends_on"):
        expiry_timeline(projects=projects, subsidies=subsidies, as_of=AS_OF)


# --- properties --------------------------------------------------------------------

PROJECT_IDS = [f"NL{number:03d}" for number in range(8)]

project_units = st.dictionaries(
    st.sampled_from(PROJECT_IDS), st.one_of(st.none(), st.integers(min_value=0, max_value=500)), min_size=1
)
subsidy_rows = st.lists(
    st.builds(
        subsidy,
        st.sampled_from(PROJECT_IDS),
        st.one_of(st.none(), st.dates(min_value=date(2015, 1, 1), max_value=date(2045, 12, 31))),
        units=st.one_of(st.none(), st.integers(min_value=1, max_value=500)),
        active=st.booleans(),
    ),
    max_size=25,
)


def reference_timeline(
    projects: dict[str, float | None], subsidies: list[dict[str, Any]], as_of: date, years: int
) -> dict[int, tuple[int, int]]:
    """The documented rule, one project at a time."""
    counts: dict[int, tuple[int, int]] = {}
    for project_id, units in projects.items():
        active = [row for row in subsidies if row["project_id"] == project_id and row["active"]]
        ends = [row["affordability_ends_on"] for row in active if row["affordability_ends_on"] is not None]
        if not ends or not as_of <= max(ends) or max(ends).year >= as_of.year + years:
            continue
        if units is None:
            known = [row["assisted_units"] for row in active if row["assisted_units"] is not None]
            units = max(known, default=0)
        projects_so_far, units_so_far = counts.get(max(ends).year, (0, 0))
        counts[max(ends).year] = (projects_so_far + 1, units_so_far + int(units))
    return counts


@settings(deadline=None, max_examples=150)
@given(
    projects=project_units,
    subsidies=subsidy_rows,
    as_of=st.dates(min_value=date(2016, 1, 1), max_value=date(2035, 12, 31)),
    years=st.integers(min_value=1, max_value=15),
)
def test_timeline_matches_the_rule_applied_project_by_project(
    projects: dict[str, float | None], subsidies: list[dict[str, Any]], as_of: date, years: int
) -> None:
    result = timeline(projects, subsidies, as_of=as_of, years=years)

    assert [year.year for year in result] == list(range(as_of.year, as_of.year + years))
    assert counts_by_year(result) == reference_timeline(projects, subsidies, as_of, years)


@settings(deadline=None, max_examples=100)
@given(
    units=st.dictionaries(st.sampled_from(PROJECT_IDS), st.integers(min_value=0, max_value=500), min_size=1),
    subsidies=subsidy_rows,
)
def test_each_project_counts_at_most_once_and_units_never_exceed_the_projects_assisted_units(
    units: dict[str, float | None], subsidies: list[dict[str, Any]]
) -> None:
    result = timeline(units, subsidies, as_of=date(2016, 1, 1), years=30)

    assert sum(year.projects for year in result) <= len(units)
    assert sum(year.assisted_units for year in result) <= sum(value or 0 for value in units.values())


@settings(deadline=None, max_examples=100)
@given(projects=project_units, subsidies=subsidy_rows, seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_timeline_does_not_depend_on_row_order(
    projects: dict[str, float | None], subsidies: list[dict[str, Any]], seed: int
) -> None:
    shuffled_projects = dict(sorted(projects.items(), key=lambda _: np.random.default_rng(seed).random()))
    shuffled_subsidies = [subsidies[i] for i in np.random.default_rng(seed).permutation(len(subsidies))]

    assert timeline(projects, subsidies) == timeline(shuffled_projects, shuffled_subsidies)


# --- price growth ------------------------------------------------------------------


def prices(rows: list[tuple[str | None, int, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["cluster", "year", "median_price"])


def test_growth_is_the_last_year_over_five_years_earlier() -> None:
    # Cluster 2 in NeighborhoodInfo DC: $513,000 in 2010, $707,000 in 2015; the source
    # publishes +6.6% a year over those five years, i.e. about +37.6% in all.
    table = prices(
        [
            ("Cluster 2", year, price)
            for year, price in zip(range(2010, 2016), [513, 506, 539, 601, 646, 707], strict=True)
        ]
    )

    growth = median_price_growth(table)

    cluster_2 = growth.by_cluster["Cluster 2"]
    assert (growth.from_year, growth.to_year) == (2010, 2015)
    assert cluster_2 is not None
    assert cluster_2 == pytest.approx(707 / 513 - 1)
    assert (1 + cluster_2) ** (1 / 5) - 1 == pytest.approx(0.066, abs=0.0005)


@pytest.mark.parametrize("suppressed", [None, np.nan, "i"])
def test_suppressed_price_in_either_year_gives_none(suppressed: Any) -> None:
    table = prices(
        [
            ("Cluster 5", 2010, suppressed),
            ("Cluster 5", 2015, 819),
            ("Cluster 14", 2010, 903),
            ("Cluster 14", 2015, suppressed),
            ("Cluster 2", 2010, 100),
            ("Cluster 2", 2015, 150),
        ]
    )

    assert median_price_growth(table).by_cluster == {"Cluster 5": None, "Cluster 14": None, "Cluster 2": 0.5}


def test_last_year_is_the_latest_with_any_known_price() -> None:
    table = prices([("A", 2010, 100), ("A", 2015, 120), ("A", 2016, None), ("B", 2016, "i")])

    growth = median_price_growth(table)

    assert (growth.from_year, growth.to_year) == (2010, 2015)
    assert growth.by_cluster == {"A": pytest.approx(0.2), "B": None}


def test_a_cluster_is_not_measured_over_a_shorter_span_when_its_latest_price_is_missing() -> None:
    table = prices([("A", 2010, 100), ("A", 2014, 150), ("A", 2015, None), ("B", 2010, 100), ("B", 2015, 110)])

    assert median_price_growth(table).by_cluster["A"] is None


def test_year_span_earlier_than_the_table_gives_none() -> None:
    growth = median_price_growth(prices([("A", 2013, 100), ("A", 2015, 150)]))

    assert (growth.from_year, growth.by_cluster) == (2010, {"A": None})


def test_earlier_price_of_zero_gives_none() -> None:
    assert median_price_growth(prices([("A", 2010, 0), ("A", 2015, 150)])).by_cluster == {"A": None}


def test_span_years_is_honoured() -> None:
    growth = median_price_growth(prices([("A", 2012, 100), ("A", 2015, 130)]), span_years=3)

    assert (growth.from_year, growth.by_cluster["A"]) == (2012, pytest.approx(0.3))


def test_table_with_no_known_price_gives_no_years_and_none_everywhere() -> None:
    growth = median_price_growth(prices([("A", 2015, "i"), ("B", 2015, None)]))

    assert (growth.from_year, growth.to_year, growth.by_cluster) == (None, None, {"A": None, "B": None})


def test_rows_without_a_cluster_are_ignored() -> None:
    growth = median_price_growth(prices([("A", 2010, 100), ("A", 2015, 120), (None, 2020, 5)]))

    assert (growth.to_year, growth.by_cluster) == (2015, {"A": pytest.approx(0.2)})


def test_repeated_cluster_year_is_rejected() -> None:
    with pytest.raises(ValueError, match="more than one row"):
        median_price_growth(prices([("A", 2015, 100), ("A", 2015, 120)]))
