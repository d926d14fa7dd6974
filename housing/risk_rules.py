"""Rules-based preservation risk for subsidised housing projects.

Pure pandas and numpy, no Django import: the caller builds the frames below from the
ORM (or from test data) and stores or renders the result. `assess_city` handles the
whole city in vectorised steps and returns frames (every project's level, every flag
raised), which a caller stores in one pass; `assess_projects` gives the same result as
one `Assessment` object per project.

Inputs
------
Frames (extra columns are ignored; "missing" means None, NaN, NaT or, for text, the
empty string Django stores for a blank field). Dates may be `date` objects or
datetime64; a value that is not a date counts as missing.

``projects``: ``project_id`` (str or int, unique: the caller's key for a project, kept
    as given in the result), ``owner_type`` (str, missing allowed),
    ``cluster`` (str such as "Cluster 8", missing allowed), ``source`` and
    ``source_date`` (where the owner type comes from, missing allowed).
``subsidies``: ``project_id``, ``subsidy_id`` (unique within a project),
    ``program`` (str), ``active`` (bool; missing counts as inactive),
    ``affordability_ends_on``, ``starts_on`` (the current term's start),
    ``first_starts_on`` (the start before any renewal), ``source``, ``source_date``.
``inspections``: ``project_id``, ``inspected_on``, ``score`` (0-100), ``source``,
    ``source_date``.
``events``: ``project_id``, ``occurred_on``, ``event_type`` (such as
    "Property sale"), ``description``, ``source``, ``source_date``.

``market`` (`MarketGrowth`) carries each cluster's and the city's median sale price
growth over the same years, with their source.

Rules (`RiskThresholds` holds every number; dates count from `as_of`)
-----------------------------------------------------------------------
A project's affordability end is the LAST known end among its ACTIVE subsidies
(see `housing.expiry`): counted once per project; a renewed subsidy is one subsidy
with its current end; an active subsidy without an end date does not postpone it.

- ``expiry_imminent`` / ``expiry_near`` / ``expiry_watch``: the end is on or after
  `as_of` and on or before `as_of` + 1 / 3 / 5 years (both ends inclusive). Only the
  tightest one is raised.
- ``expiry_passed``: the end is before `as_of` although the subsidy is still recorded
  active; the record needs checking (extended, or lost?).
- ``inspection_severe`` / ``inspection_failing``: the latest inspection on or before
  `as_of` that has a score is below 60 / below 80 (so 60 is failing, 80 is not
  flagged). Only the latest counts: a later good score clears an old bad one. Two
  inspections on the same day: the lower score counts.
- ``recent_sale_or_notice``: an event of one of `recent_event_types` on a day from
  `as_of` - 2 years to `as_of`, both inclusive (types compared ignoring case).
- ``for_profit_owner``: the owner type is one of `for_profit_owner_types` (ignoring
  case). The catalog's values are "Profit motivated" and "Limited dividend"
  (limited-dividend owners are private investors whose return is capped only while
  the regulatory agreement lasts); "Individual" is not counted because in the
  catalog it comes with no owner name at all and stands for "not recorded".
- ``price_pressure``: the cluster's price growth is positive and greater than the
  city's growth times 1.25. Positive, because with a falling city market "times 1.25" would
  otherwise call a falling cluster under pressure. No flag when either growth is
  missing.

Each flag's `severity` is the level it would give the project on its own.

Level
-----
- **high**: expiry_imminent; or inspection_severe; or expiry_near together with any
  other flag (an owner with a contract ending within 3 years who also has a failing
  property, a recent sale or a rising market is the classic opt-out case).
- **medium**: expiry_near or expiry_watch (within 5 years, time to act); or
  expiry_passed (status unknown, must be checked); or inspection_failing; or at
  least two of the market and ownership flags (recent_sale_or_notice,
  for_profit_owner, price_pressure).
- **low**: anything else, including one market or ownership flag alone.

Missing data never raises and never flags: a project without a known end, score,
owner type, cluster or growth simply lacks that flag.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import numpy as np
import pandas as pd

from housing.expiry import ENDS_ON, active_subsidies, last_affordability_ends, require_columns

Level = Literal["high", "medium", "low"]
# The caller's key for a project: the catalog's id, or the database's primary key.
ProjectKey = str | int

PROJECT_COLUMNS = ("project_id", "owner_type", "cluster", "source", "source_date")
SUBSIDY_COLUMNS = (
    "project_id",
    "subsidy_id",
    "program",
    "active",
    ENDS_ON,
    "starts_on",
    "first_starts_on",
    "source",
    "source_date",
)
INSPECTION_COLUMNS = ("project_id", "inspected_on", "score", "source", "source_date")
EVENT_COLUMNS = ("project_id", "occurred_on", "event_type", "description", "source", "source_date")

EXPIRY_IMMINENT = "expiry_imminent"
EXPIRY_NEAR = "expiry_near"
EXPIRY_WATCH = "expiry_watch"
EXPIRY_PASSED = "expiry_passed"
INSPECTION_SEVERE = "inspection_severe"
INSPECTION_FAILING = "inspection_failing"
RECENT_SALE_OR_NOTICE = "recent_sale_or_notice"
FOR_PROFIT_OWNER = "for_profit_owner"
PRICE_PRESSURE = "price_pressure"
MARKET_AND_OWNERSHIP_CODES = (RECENT_SALE_OR_NOTICE, FOR_PROFIT_OWNER, PRICE_PRESSURE)


@dataclass(frozen=True)
class RiskThresholds:
    """Every number the rules use; the defaults are the portal's published rules."""

    expiry_imminent_years: int = 1
    expiry_near_years: int = 3
    expiry_watch_years: int = 5
    inspection_failing_below: float = 80
    inspection_severe_below: float = 60
    recent_event_years: int = 2
    # The catalog's real-property event types: sales, and the notices and outcomes of
    # foreclosure that precede or amount to a change of owner.
    recent_event_types: tuple[str, ...] = ("Property sale", "Foreclosure notice", "Foreclosure outcome")
    for_profit_owner_types: tuple[str, ...] = ("Profit motivated", "Limited dividend")
    price_pressure_factor: float = 1.25

    def __post_init__(self) -> None:
        if not 0 < self.expiry_imminent_years < self.expiry_near_years < self.expiry_watch_years:
            raise ValueError("expiry years must be positive and increasing: imminent < near < watch")
        if not self.inspection_severe_below < self.inspection_failing_below:
            raise ValueError("inspection_severe_below must be below inspection_failing_below")
        if self.recent_event_years < 0:
            raise ValueError("recent_event_years cannot be negative")
        if self.price_pressure_factor <= 0:
            raise ValueError("price_pressure_factor must be positive")


DEFAULT_THRESHOLDS = RiskThresholds()


@dataclass(frozen=True)
class MarketGrowth:
    """Median sale price growth per cluster and for the city, over the same years."""

    cluster_growth: Mapping[str, float | None]
    city_growth: float | None
    from_year: int | None = None
    to_year: int | None = None
    source: str | None = None
    source_date: date | None = None


@dataclass(frozen=True)
class Evidence:
    """The record a flag rests on, where it comes from and how current that source is."""

    record: str
    source: str | None
    source_date: date | None

    def __str__(self) -> str:
        source = self.source or "source not recorded"
        return f"{self.record} ({source}, {self.source_date})" if self.source_date else f"{self.record} ({source})"


@dataclass(frozen=True)
class RiskFlag:
    """One rule a project meets: `rule` states it with its threshold in plain language."""

    code: str
    label: str
    rule: str
    severity: Level
    evidence: Evidence

    def as_json(self) -> dict[str, Any]:
        """The flag as stored with its assessment (`RiskAssessment.flags`): dates as ISO text."""
        return {
            "code": self.code,
            "label": self.label,
            "rule": self.rule,
            "severity": self.severity,
            "evidence": {
                "record": self.evidence.record,
                "source": self.evidence.source,
                "source_date": self.evidence.source_date.isoformat() if self.evidence.source_date else None,
            },
        }

    @classmethod
    def from_json(cls, stored: Mapping[str, Any]) -> RiskFlag:
        """A flag as `as_json` stored it."""
        evidence = stored.get("evidence") or {}
        source_date = evidence.get("source_date")
        return cls(
            code=stored["code"],
            label=stored["label"],
            rule=stored["rule"],
            severity=stored["severity"],
            evidence=Evidence(
                record=evidence.get("record", ""),
                source=evidence.get("source") or None,
                source_date=date.fromisoformat(source_date) if source_date else None,
            ),
        )


@dataclass(frozen=True)
class Assessment:
    """A project's combined level and the flags behind it, in the order of the rules."""

    project_id: ProjectKey
    level: Level
    flags: tuple[RiskFlag, ...]


# The columns of `CityAssessment.rules` and `CityAssessment.flags`.
RULE_COLUMNS = ("code", "label", "rule", "severity")
FLAG_COLUMNS = ("project_id", "code", "record", "source", "source_date")


@dataclass(frozen=True)
class CityAssessment:
    """Every project's level and every flag raised, as frames.

    `levels`: indexed by project id (as given) in the order of `projects`, "high", "medium" or
    "low". `rules`: one row per rule (`RULE_COLUMNS`), in the rules' order, with the label,
    the rule in plain language (its thresholds and dates filled in) and the severity.
    `flags`: one row per rule a project meets (`FLAG_COLUMNS`: the evidence's record,
    source and source date, None when missing), in the rules' order and, within a rule,
    in no particular order."""

    levels: pd.Series
    rules: pd.DataFrame
    flags: pd.DataFrame


@dataclass(frozen=True)
class _RuleHits:
    """The projects one rule flags: one row per project with its evidence (`FLAG_COLUMNS`
    but the code)."""

    code: str
    label: str
    rule: str
    severity: Level
    flagged: pd.DataFrame


def assess_city(
    *,
    projects: pd.DataFrame,
    subsidies: pd.DataFrame,
    inspections: pd.DataFrame,
    events: pd.DataFrame,
    market: MarketGrowth,
    as_of: date,
    thresholds: RiskThresholds = DEFAULT_THRESHOLDS,
) -> CityAssessment:
    """Assess every project in `projects` as of `as_of` (see the module docstring), in
    vectorised steps whatever the number of projects.

    Rows of the other frames whose project is not in `projects`, and inspections and
    events after `as_of`, are ignored. The result does not depend on row order. Raises
    ValueError when a frame lacks a column, a project id repeats, or a subsidy id repeats
    within a project.
    """
    require_columns(projects, PROJECT_COLUMNS, "projects")
    require_columns(subsidies, SUBSIDY_COLUMNS, "subsidies")
    require_columns(inspections, INSPECTION_COLUMNS, "inspections")
    require_columns(events, EVENT_COLUMNS, "events")
    if projects["project_id"].duplicated().any():
        raise ValueError("projects has duplicated project_id values")
    if subsidies.duplicated(["project_id", "subsidy_id"]).any():
        raise ValueError("subsidies has a subsidy_id repeated within one project")

    rule_hits = [
        *_expiry_hits(subsidies, as_of, thresholds),
        *_inspection_hits(inspections, as_of, thresholds),
        _recent_event_hits(events, as_of, thresholds),
        _for_profit_owner_hits(projects, thresholds),
        _price_pressure_hits(projects, market, thresholds),
    ]
    levels = _levels(projects["project_id"], rule_hits)
    rules = pd.DataFrame(
        [(hits.code, hits.label, hits.rule, hits.severity) for hits in rule_hits], columns=list(RULE_COLUMNS)
    )
    flags = pd.concat([hits.flagged.assign(code=hits.code) for hits in rule_hits], ignore_index=True).reindex(
        columns=list(FLAG_COLUMNS)
    )
    flags = flags.loc[flags["project_id"].isin(levels.index)].reset_index(drop=True)
    return CityAssessment(levels=levels, rules=rules, flags=flags)


def assess_projects(
    *,
    projects: pd.DataFrame,
    subsidies: pd.DataFrame,
    inspections: pd.DataFrame,
    events: pd.DataFrame,
    market: MarketGrowth,
    as_of: date,
    thresholds: RiskThresholds = DEFAULT_THRESHOLDS,
) -> dict[ProjectKey, Assessment]:
    """`assess_city`'s result as one `Assessment` per project id (as given), flagged or not,
    in the order of `projects`, each with its flags in the rules' order. For a few
    projects: it builds an object per flag."""
    city = assess_city(
        projects=projects,
        subsidies=subsidies,
        inspections=inspections,
        events=events,
        market=market,
        as_of=as_of,
        thresholds=thresholds,
    )
    rules = {row.code: row for row in city.rules.itertuples(index=False)}
    flags_by_project: dict[ProjectKey, list[RiskFlag]] = {project_id: [] for project_id in city.levels.index}
    for project_id, code, record, source, source_date in city.flags.itertuples(index=False):
        rule = rules[code]
        flags_by_project[project_id].append(
            RiskFlag(code, rule.label, rule.rule, rule.severity, Evidence(record, source, source_date))
        )
    return {
        project_id: Assessment(project_id, level, tuple(flags_by_project[project_id]))
        for project_id, level in city.levels.items()
    }


def _levels(project_ids: pd.Series, rule_hits: list[_RuleHits]) -> pd.Series:
    """Combine the flags into each project's level by the table in the module docstring."""
    index = pd.Index(_keys(project_ids))
    has = {hits.code: index.isin(_keys(hits.flagged["project_id"])) for hits in rule_hits}
    market_and_ownership = sum(has[code].astype(int) for code in MARKET_AND_OWNERSHIP_CODES)
    other_than_expiry = market_and_ownership + has[INSPECTION_SEVERE] + has[INSPECTION_FAILING]
    high = has[EXPIRY_IMMINENT] | has[INSPECTION_SEVERE] | (has[EXPIRY_NEAR] & (other_than_expiry > 0))
    medium = (
        has[EXPIRY_NEAR]
        | has[EXPIRY_WATCH]
        | has[EXPIRY_PASSED]
        | has[INSPECTION_FAILING]
        | (market_and_ownership >= 2)
    )
    levels = np.select([high, medium], ["high", "medium"], default="low")
    return pd.Series(levels, index=index, dtype=object, name="level")


def _keys(project_ids: pd.Series) -> np.ndarray:
    """Project ids as numpy for lookups: integers as they are, anything else as Python
    objects (pandas looks Arrow-backed strings up, in isin or reindex, many times slower)."""
    keys: np.ndarray = project_ids.to_numpy(dtype=None if pd.api.types.is_integer_dtype(project_ids.dtype) else object)
    return keys


def _expiry_hits(subsidies: pd.DataFrame, as_of: date, thresholds: RiskThresholds) -> list[_RuleHits]:
    """The expiry flags; a project's evidence is the active subsidy that ends last."""
    active = active_subsidies(subsidies)
    ends = last_affordability_ends(active)
    ending_last = active.loc[active[ENDS_ON].to_numpy() == ends.reindex(active["project_id"]).to_numpy()]
    # Two subsidies ending on the same last day: the smallest subsidy_id is the
    # evidence, so that the choice does not depend on row order.
    ending_last = ending_last.sort_values(["project_id", "subsidy_id"], kind="stable").drop_duplicates("project_id")
    # Ends after the widest window raise no flag, so they need no evidence.
    ending_last = ending_last.loc[
        ending_last[ENDS_ON] <= pd.Timestamp(_years_after(as_of, thresholds.expiry_watch_years))
    ]
    unknown_end_counts = active.loc[active[ENDS_ON].isna()].groupby("project_id").size()
    ending_last = ending_last.assign(
        unknown_ends=ending_last["project_id"].map(unknown_end_counts).fillna(0).astype(int)
    )
    evidence = _flagged(_subsidy_records(ending_last), ending_last)

    def hits_where(code: str, label: str, rule: str, severity: Level, flagged: pd.Series) -> _RuleHits:
        return _RuleHits(code, label, rule, severity, evidence.loc[flagged.to_numpy()])

    end = ending_last[ENDS_ON]
    already_flagged = end < pd.Timestamp(as_of)
    hits = [
        hits_where(
            EXPIRY_PASSED,
            "Recorded affordability end has passed",
            f"Affordability end recorded before {as_of} while the subsidy is still marked active:"
            " check whether it was extended or lost",
            "medium",
            already_flagged,
        )
    ]
    tiers: list[tuple[str, int, Level]] = [
        (EXPIRY_IMMINENT, thresholds.expiry_imminent_years, "high"),
        (EXPIRY_NEAR, thresholds.expiry_near_years, "medium"),
        (EXPIRY_WATCH, thresholds.expiry_watch_years, "medium"),
    ]
    # From the tightest window out, each tier takes the ends the tighter ones left.
    for code, years, severity in tiers:
        window_end = _years_after(as_of, years)
        in_window = ~already_flagged & (end <= pd.Timestamp(window_end))
        already_flagged |= in_window
        label = f"Affordability ends within {years} year{'' if years == 1 else 's'}"
        hits.append(hits_where(code, label, f"{label} (by {window_end})", severity, in_window))
    return hits


def _subsidy_records(subsidies: pd.DataFrame) -> list[str]:
    """'Subsidy 2 (Sec 8 loan management set-aside) ends 2024-10-31; renewed, first
    started 2004-10-01; 1 other active subsidy without a recorded end not counted'."""
    starts_on = pd.to_datetime(subsidies["starts_on"], errors="coerce")
    first_starts_on = pd.to_datetime(subsidies["first_starts_on"], errors="coerce")
    # A later current start than the first start means the subsidy was renewed; the
    # opposite (a few HUD-insured mortgages in the catalog) is a data quirk, not a renewal.
    renewed = (first_starts_on < starts_on).tolist()
    records = []
    for subsidy_id, program, ends_on, was_renewed, first_start, unknown_ends in zip(
        subsidies["subsidy_id"].tolist(),
        _texts(subsidies["program"]),
        _days(subsidies[ENDS_ON]),
        renewed,
        _days(first_starts_on),
        subsidies["unknown_ends"].tolist(),
        strict=True,
    ):
        parts = [f"Subsidy {subsidy_id} ({program or 'program not recorded'}) ends {ends_on}"]
        if was_renewed:
            parts.append(f"renewed, first started {first_start}")
        if unknown_ends > 0:
            other_subsidies = "other active subsidy" if unknown_ends == 1 else "other active subsidies"
            parts.append(f"{unknown_ends} {other_subsidies} without a recorded end, not counted")
        records.append("; ".join(parts))
    return records


def _inspection_hits(inspections: pd.DataFrame, as_of: date, thresholds: RiskThresholds) -> list[_RuleHits]:
    """The inspection flags, judged on each project's latest scored inspection."""
    scored = inspections.assign(
        inspected_on=pd.to_datetime(inspections["inspected_on"], errors="coerce"),
        score=pd.to_numeric(inspections["score"], errors="coerce"),
    )
    scored = scored.loc[scored["score"].notna() & (scored["inspected_on"] <= pd.Timestamp(as_of))]
    latest = _latest_per_project(scored, "inspected_on", ["score", "source", "source_date"])
    severe = latest.loc[latest["score"] < thresholds.inspection_severe_below]
    failing = latest.loc[
        (latest["score"] >= thresholds.inspection_severe_below)
        & (latest["score"] < thresholds.inspection_failing_below)
    ]
    return [
        _RuleHits(
            INSPECTION_SEVERE,
            "Severe inspection score",
            f"Latest inspection score below {thresholds.inspection_severe_below:g}",
            "high",
            _flagged(_inspection_records(severe), severe),
        ),
        _RuleHits(
            INSPECTION_FAILING,
            "Failing inspection score",
            f"Latest inspection score below {thresholds.inspection_failing_below:g}",
            "medium",
            _flagged(_inspection_records(failing), failing),
        ),
    ]


def _inspection_records(inspections: pd.DataFrame) -> list[str]:
    return [
        f"Inspection of {day}: score {score:g}"
        for day, score in zip(_days(inspections["inspected_on"]), inspections["score"].tolist(), strict=True)
    ]


def _recent_event_hits(events: pd.DataFrame, as_of: date, thresholds: RiskThresholds) -> _RuleHits:
    """Sales and notices within the recent window; the latest one is the evidence."""
    since = _years_after(as_of, -thresholds.recent_event_years)
    counted_types = [event_type.casefold() for event_type in thresholds.recent_event_types]
    occurred_on = pd.to_datetime(events["occurred_on"], errors="coerce")
    is_counted_type = events["event_type"].astype("string").str.strip().str.casefold().isin(counted_types)
    recent = events.assign(occurred_on=occurred_on).loc[
        is_counted_type.fillna(False).astype(bool)
        & (occurred_on >= pd.Timestamp(since))
        & (occurred_on <= pd.Timestamp(as_of))
    ]
    latest = _latest_per_project(recent, "occurred_on", ["event_type", "description", "source", "source_date"])
    events_in_window = recent["project_id"].value_counts().to_dict()
    others_in_window = [events_in_window[project_id] - 1 for project_id in latest["project_id"].tolist()]
    records = []
    for event_type, day, description, others in zip(
        _texts(latest["event_type"]),
        _days(latest["occurred_on"]),
        _texts(latest["description"]),
        others_in_window,
        strict=True,
    ):
        record = f"{event_type} on {day}" + (f": {description}" if description else "")
        records.append(f"{record}; {others} more in the period" if others else record)
    return _RuleHits(
        RECENT_SALE_OR_NOTICE,
        "Recent sale or notice",
        f"{', '.join(thresholds.recent_event_types)} within {thresholds.recent_event_years} years (since {since})",
        "low",
        _flagged(records, latest),
    )


def _for_profit_owner_hits(projects: pd.DataFrame, thresholds: RiskThresholds) -> _RuleHits:
    """Projects whose owner type is one of the for-profit types."""
    for_profit_types = [owner_type.casefold() for owner_type in thresholds.for_profit_owner_types]
    is_for_profit = projects["owner_type"].astype("string").str.strip().str.casefold().isin(for_profit_types)
    owned_for_profit = projects.loc[is_for_profit.fillna(False).astype(bool)]
    return _RuleHits(
        FOR_PROFIT_OWNER,
        "For-profit owner",
        f"Owner type is for-profit ({', '.join(thresholds.for_profit_owner_types)})",
        "low",
        _flagged(
            [f"Owner type: {owner_type}" for owner_type in _texts(owned_for_profit["owner_type"])], owned_for_profit
        ),
    )


def _price_pressure_hits(projects: pd.DataFrame, market: MarketGrowth, thresholds: RiskThresholds) -> _RuleHits:
    """Projects in clusters whose prices rise faster than the city's by the margin."""
    has_period = market.from_year is not None and market.to_year is not None
    period = f" {market.from_year}-{market.to_year}" if has_period else ""
    city_growth = _number_or_none(market.city_growth)
    bar = None if city_growth is None else city_growth * thresholds.price_pressure_factor
    rule = (
        f"Cluster's median sale price growth{period} is positive and above the city's"
        f" ({_percent(city_growth)}) times {thresholds.price_pressure_factor:g}"
    )
    cluster = projects["cluster"].where(projects["cluster"] != "")
    growth = pd.to_numeric(cluster.map(dict(market.cluster_growth)), errors="coerce")
    under_pressure = (growth > 0) & (growth > bar) if bar is not None else pd.Series(False, index=projects.index)
    flagged = projects.loc[under_pressure]
    # One record per cluster, shared by its projects (tens of clusters, thousands of projects).
    record_of = {
        cluster: f"{cluster}: median sale price growth{period} {_percent(cluster_growth)}"
        for cluster, cluster_growth in growth.loc[under_pressure].groupby(flagged["cluster"]).first().items()
    }
    records = flagged["cluster"].map(record_of).tolist()
    return _RuleHits(
        PRICE_PRESSURE,
        "Neighbourhood price pressure",
        f"{rule} = {_percent(bar)}" if bar is not None else rule,
        "low",
        _flagged(records, flagged.assign(source=market.source, source_date=market.source_date)),
    )


def _latest_per_project(frame: pd.DataFrame, date_column: str, tie_breakers: list[str]) -> pd.DataFrame:
    """Each project's latest row by `date_column`; rows of the same day are ordered by
    `tie_breakers` (ascending) so that the choice does not depend on row order."""
    # Only the rows on each project's latest day need the full ordering.
    latest_day = frame.groupby("project_id")[date_column].transform("max")
    candidates = frame.loc[frame[date_column].eq(latest_day)]
    text_keys = {column: "string" for column in tie_breakers if not pd.api.types.is_numeric_dtype(candidates[column])}
    order = (
        candidates[["project_id", *tie_breakers]]
        .astype(text_keys)
        .sort_values(["project_id", *tie_breakers], kind="stable")
        .index
    )
    return candidates.loc[order].drop_duplicates("project_id")


def _years_after(day: date, years: int) -> date:
    """The same calendar day `years` later (earlier when negative); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _flagged(records: list[str], frame: pd.DataFrame) -> pd.DataFrame:
    """The flagged rows of `frame`, one per project: its id, its record and the row's
    source and source date (`FLAG_COLUMNS` but the code)."""
    return pd.DataFrame(
        {
            "project_id": _keys(frame["project_id"]),
            "record": records,
            "source": _texts(frame["source"]),
            "source_date": _dates(frame["source_date"]),
        },
        columns=[column for column in FLAG_COLUMNS if column != "code"],
    )


def _texts(values: pd.Series) -> list[str | None]:
    """Text values with blanks as None: Django stores a blank CharField as ''."""
    texts = values.astype(str).to_numpy(dtype=object, copy=True)
    texts[(values.isna() | values.eq("")).to_numpy()] = None
    texts_list: list[str | None] = texts.tolist()
    return texts_list


def _dates(values: pd.Series) -> list[date | None]:
    # Converted by pandas in one pass: a Python loop over the flags took seconds at 200,000 projects.
    stamps = pd.to_datetime(values, errors="coerce")
    days = stamps.dt.date.to_numpy(dtype=object, copy=True)
    days[stamps.isna().to_numpy()] = None
    days_list: list[date | None] = days.tolist()
    return days_list


def _days(values: pd.Series) -> list[str]:
    """ISO days of a datetime64 Series (missing values become '')."""
    days: list[str] = pd.to_datetime(values, errors="coerce").dt.strftime("%Y-%m-%d").fillna("").tolist()
    return days


def _number_or_none(value: float | None) -> float | None:
    return None if value is None or np.isnan(value) else float(value)


def _percent(value: float | None) -> str:
    return "unknown" if value is None else f"{value:+.1%}"
