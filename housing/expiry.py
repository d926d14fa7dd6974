"""When affordability ends: the expiry timeline and the market's price growth.

Pure pandas, no Django import: the caller builds the frames from the ORM (or from
test data) and renders the results.

A project's **affordability end** is the LAST end date among its ACTIVE subsidies,
so a project counts once, in the year its last active subsidy ends: a project whose
tax credit ends in 2025 and whose Section 8 contract runs to 2030 is still
affordable in 2026 and counts in 2030. A renewed subsidy (first started before its
current term started) is still one subsidy with its current end date, so it counts
once too. Inactive subsidies are ignored. An active subsidy without a recorded end
date (typically public housing, which has none) does not move the project's end:
the end is the last *known* one, as the DC Preservation Catalog's own
`Subsidy_End_Last` computes it, and a project with no known end has no end.

Frames (extra columns are ignored; missing values are allowed where marked):

``subsidies``
    ``project_id`` (str), ``active`` (bool; missing counts as inactive),
    ``affordability_ends_on`` (date or datetime64; missing allowed),
    ``assisted_units`` (number; missing allowed).
``projects``
    ``project_id`` (str, unique), ``assisted_units`` (number; missing allowed).
``prices`` (long table, one row per area and year)
    ``cluster`` (str), ``year`` (int), ``median_price`` (number; a suppressed
    value is missing, or any non-numeric marker such as the source's ``"i"``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd

ENDS_ON = "affordability_ends_on"


@dataclass(frozen=True)
class ExpiryYear:
    """Projects (and their assisted units) whose affordability ends in one year."""

    year: int
    projects: int
    assisted_units: int
    # Counted in `projects` but adding nothing to `assisted_units`: neither the
    # project nor any of its active subsidies records a number of units.
    projects_without_units: int


@dataclass(frozen=True)
class PriceGrowth:
    """Median sale price growth per cluster from `from_year` to `to_year`.

    `by_cluster[c]` is `price[to_year] / price[from_year] - 1`, or None when either
    price is missing (suppressed) or the earlier one is not positive. Both years are
    None when the table has no known price at all.
    """

    from_year: int | None
    to_year: int | None
    by_cluster: dict[str, float | None]


def require_columns(frame: pd.DataFrame, columns: Iterable[str], frame_name: str) -> None:
    """Raise ValueError naming the columns `frame` lacks, so a caller's mistake is loud."""
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{frame_name} lacks the column(s) {', '.join(missing)}")


def active_subsidies(subsidies: pd.DataFrame) -> pd.DataFrame:
    """The active subsidies, with `affordability_ends_on` as datetime64 (NaT when unknown).

    Needs `project_id`, `active` and `affordability_ends_on`; keeps every other column.
    A value that is not a date becomes NaT rather than an error: an unreadable end
    date is an unknown one.
    """
    require_columns(subsidies, ("project_id", "active", ENDS_ON), "subsidies")
    # `eq(True)` keeps only real True values: None, NA and anything else are inactive.
    is_active = subsidies["active"].eq(True).fillna(False).astype(bool)
    active = subsidies.loc[is_active].copy()
    active[ENDS_ON] = pd.to_datetime(active[ENDS_ON], errors="coerce")
    return active


def last_affordability_ends(active: pd.DataFrame) -> pd.Series:
    """Each project's affordability end: the latest known end among its active subsidies.

    `active` is the output of `active_subsidies`. Returns a datetime64 Series indexed
    by `project_id`; projects none of whose active subsidies has a known end are absent.
    """
    known = active.loc[active[ENDS_ON].notna(), ["project_id", ENDS_ON]]
    return known.groupby("project_id", sort=False)[ENDS_ON].max()


def expiry_timeline(
    *, projects: pd.DataFrame, subsidies: pd.DataFrame, as_of: date, years: int = 10
) -> list[ExpiryYear]:
    """Count, per year, the projects and assisted units whose affordability ends then.

    Covers the `years` calendar years starting with `as_of.year`, one `ExpiryYear`
    each, in order, zeros included. Each project in `projects` counts at most once,
    in the year of its affordability end (see the module docstring). Excluded:
    projects whose end is before `as_of` (already past, even earlier in `as_of`'s
    year), projects whose end is after the window, projects with no known end, and
    subsidies of projects not in `projects`.

    Units: the project's own `assisted_units`, because subsidies on one project
    overlap (tax credits, a Section 8 contract and a bond often cover the same
    apartments) so adding them up would count apartments twice, and the catalog's
    project figure is already the deduplicated one. When the project has none, the
    largest `assisted_units` among its active subsidies stands in: overlapping
    subsidies make it a lower bound, never an overcount. A project with neither
    counts in `projects` and in `projects_without_units`, adding no units.
    """
    if years < 1:
        raise ValueError(f"years must be at least 1, not {years}")
    require_columns(projects, ("project_id", "assisted_units"), "projects")
    if projects["project_id"].duplicated().any():
        raise ValueError("projects has duplicated project_id values")

    first_year = as_of.year
    last_year = first_year + years - 1
    status = affordability_status(projects=projects, subsidies=subsidies)
    ends = status[ENDS_ON].dropna()
    ends = ends[(ends >= pd.Timestamp(as_of)) & (ends.dt.year <= last_year)]
    units = status["assisted_units"].reindex(ends.index)

    ending = pd.DataFrame({"year": ends.dt.year, "units": units, "unknown": units.isna()})
    per_year = ending.groupby("year").agg(
        projects=("units", "size"), assisted_units=("units", "sum"), projects_without_units=("unknown", "sum")
    )
    per_year = per_year.reindex(range(first_year, last_year + 1), fill_value=0)
    return [
        ExpiryYear(
            year=int(year),
            projects=int(row.projects),
            assisted_units=round(row.assisted_units),
            projects_without_units=int(row.projects_without_units),
        )
        for year, row in zip(per_year.index, per_year.itertuples(index=False), strict=True)
    ]


def affordability_status(*, projects: pd.DataFrame, subsidies: pd.DataFrame) -> pd.DataFrame:
    """Each project's affordability end and the assisted units that end puts at risk.

    Indexed by `project_id` in the order of `projects`, with `affordability_ends_on`
    (datetime64, NaT when no active subsidy has a known end) and `assisted_units` (float,
    NaN when unknown): the project's own figure, or the largest among its active
    subsidies (see `expiry_timeline` for why never their sum). Subsidies of projects
    not in `projects` are ignored.
    """
    require_columns(projects, ("project_id", "assisted_units"), "projects")
    require_columns(subsidies, ("assisted_units",), "subsidies")
    active = active_subsidies(subsidies)
    project_ids = projects["project_id"]
    ends = last_affordability_ends(active).reindex(project_ids)
    project_units = pd.to_numeric(projects.set_index("project_id")["assisted_units"], errors="coerce")
    largest_subsidy_units = pd.to_numeric(active["assisted_units"], errors="coerce").groupby(active["project_id"]).max()
    units = project_units.reindex(project_ids).fillna(largest_subsidy_units.reindex(project_ids))
    return pd.DataFrame({ENDS_ON: ends, "assisted_units": units}, index=pd.Index(project_ids, name="project_id"))


def median_price_growth(prices: pd.DataFrame, *, span_years: int = 5) -> PriceGrowth:
    """Each cluster's median sale price growth over the last `span_years` of the table.

    `to_year` is the latest year with any known price in the table (so a column that
    is suppressed everywhere does not become the reference), `from_year` is
    `span_years` before it. A cluster whose price is missing in either year (or whose
    earlier price is not positive) gets None rather than a growth measured over another
    span, so every figure covers the same years. Every cluster in the table appears in
    the result; rows without a cluster are ignored. Any area code works the same way,
    e.g. a citywide series. Raises ValueError on a repeated (cluster, year) pair.
    """
    if span_years < 1:
        raise ValueError(f"span_years must be at least 1, not {span_years}")
    require_columns(prices, ("cluster", "year", "median_price"), "prices")
    if prices.duplicated(["cluster", "year"]).any():
        raise ValueError("prices has more than one row for a (cluster, year) pair")

    known = prices.loc[prices["cluster"].notna()]
    known = known.assign(median_price=pd.to_numeric(known["median_price"], errors="coerce"))
    clusters = [str(cluster) for cluster in pd.unique(known["cluster"])]
    known_years = known.loc[known["median_price"].notna(), "year"]
    if known_years.empty:
        return PriceGrowth(from_year=None, to_year=None, by_cluster=dict.fromkeys(clusters))

    to_year = int(known_years.max())
    from_year = to_year - span_years
    by_cluster_year = known.pivot(index="cluster", columns="year", values="median_price").reindex(
        index=clusters, columns=[from_year, to_year]
    )
    earlier = by_cluster_year[from_year]
    growth = by_cluster_year[to_year] / earlier.where(earlier > 0) - 1
    return PriceGrowth(
        from_year=from_year,
        to_year=to_year,
        by_cluster={cluster: None if pd.isna(value) else float(value) for cluster, value in growth.items()},
    )
