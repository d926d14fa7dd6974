"""The preservation risk rules, on small hand-made frames: every rule and boundary,
the level table, and properties (row order, monotone expiry, inactive subsidies).

No database: `assess_projects` is a pure function over pandas frames.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from housing.risk_rules import (
    DEFAULT_THRESHOLDS,
    EVENT_COLUMNS,
    INSPECTION_COLUMNS,
    PROJECT_COLUMNS,
    SUBSIDY_COLUMNS,
    Assessment,
    Evidence,
    MarketGrowth,
    RiskThresholds,
    assess_projects,
)

AS_OF = date(2025, 11, 25)
LEVEL_RANK = {"low": 0, "medium": 1, "high": 2}


def project(
    project_id: str = "NL1",
    *,
    owner_type: str | None = None,
    cluster: str | None = None,
    source: str | None = "DC Preservation Catalog",
    source_date: date | None = date(2025, 3, 1),
) -> dict[str, Any]:
    return {
        "project_id": project_id,
        "owner_type": owner_type,
        "cluster": cluster,
        "source": source,
        "source_date": source_date,
    }


def subsidy(
    ends_on: Any,
    project_id: str = "NL1",
    subsidy_id: int | str = 1,
    *,
    active: Any = True,
    program: str | None = "Low income housing tax credit",
    starts_on: date | None = date(2005, 1, 1),
    first_starts_on: date | None = date(2005, 1, 1),
    source: str | None = "HUD/LIHTC",
    source_date: date | None = date(2025, 2, 27),
) -> dict[str, Any]:
    return {
        "project_id": project_id,
        "subsidy_id": subsidy_id,
        "program": program,
        "active": active,
        "affordability_ends_on": ends_on,
        "starts_on": starts_on,
        "first_starts_on": first_starts_on,
        "source": source,
        "source_date": source_date,
    }


def inspection(
    inspected_on: Any,
    score: Any,
    project_id: str = "NL1",
    *,
    source: str | None = "HUD REAC",
    source_date: date | None = date(2025, 6, 1),
) -> dict[str, Any]:
    return {
        "project_id": project_id,
        "inspected_on": inspected_on,
        "score": score,
        "source": source,
        "source_date": source_date,
    }


def event(
    occurred_on: Any,
    project_id: str = "NL1",
    *,
    event_type: str | None = "Property sale",
    description: str | None = "OTR: Sold to Parkfair Associates LLC; price: $693,769; sale type: Market.",
    source: str | None = "OTR",
    source_date: date | None = date(2025, 1, 31),
) -> dict[str, Any]:
    return {
        "project_id": project_id,
        "occurred_on": occurred_on,
        "event_type": event_type,
        "description": description,
        "source": source,
        "source_date": source_date,
    }


def assess(
    projects: Iterable[dict[str, Any]] = (),
    subsidies: Iterable[dict[str, Any]] = (),
    inspections: Iterable[dict[str, Any]] = (),
    events: Iterable[dict[str, Any]] = (),
    *,
    cluster_growth: Mapping[str, float | None] | None = None,
    city_growth: float | None = 0.2,
    as_of: date = AS_OF,
    thresholds: RiskThresholds = DEFAULT_THRESHOLDS,
) -> dict[str, Assessment]:
    market = MarketGrowth(
        cluster_growth=cluster_growth or {},
        city_growth=city_growth,
        from_year=2019,
        to_year=2024,
        source="NeighborhoodInfo DC",
        source_date=date(2025, 1, 15),
    )
    return assess_projects(
        projects=pd.DataFrame(list(projects), columns=list(PROJECT_COLUMNS)),
        subsidies=pd.DataFrame(list(subsidies), columns=list(SUBSIDY_COLUMNS)),
        inspections=pd.DataFrame(list(inspections), columns=list(INSPECTION_COLUMNS)),
        events=pd.DataFrame(list(events), columns=list(EVENT_COLUMNS)),
        market=market,
        as_of=as_of,
        thresholds=thresholds,
    )


def codes(assessment: Assessment) -> list[str]:
    return [flag.code for flag in assessment.flags]


def only_flag(assessment: Assessment) -> Any:
    (flag,) = assessment.flags
    return flag


# --- expiry ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ends_on", "expected"),
    [
        (AS_OF - timedelta(days=1), ["expiry_passed"]),
        (AS_OF, ["expiry_imminent"]),
        (date(2026, 11, 25), ["expiry_imminent"]),
        (date(2026, 11, 26), ["expiry_near"]),
        (date(2028, 11, 25), ["expiry_near"]),
        (date(2028, 11, 26), ["expiry_watch"]),
        (date(2030, 11, 25), ["expiry_watch"]),
        (date(2030, 11, 26), []),
    ],
)
def test_expiry_window_boundaries_are_inclusive_and_only_the_tightest_is_raised(
    ends_on: date, expected: list[str]
) -> None:
    assert codes(assess([project()], [subsidy(ends_on)])["NL1"]) == expected


def test_expiry_rule_states_the_threshold_and_the_evidence_names_the_subsidy_and_source() -> None:
    flag = only_flag(assess([project()], [subsidy(date(2027, 3, 1), subsidy_id=2, program="HOME")])["NL1"])

    assert (flag.code, flag.label, flag.severity) == ("expiry_near", "Affordability ends within 3 years", "medium")
    assert flag.rule == "Affordability ends within 3 years (by 2028-11-25)"
    assert flag.evidence == Evidence("Subsidy 2 (HOME) ends 2027-03-01", "HUD/LIHTC", date(2025, 2, 27))


def test_imminent_rule_says_one_year_in_the_singular() -> None:
    flag = only_flag(assess([project()], [subsidy(date(2026, 1, 1))])["NL1"])

    assert (flag.label, flag.rule) == (
        "Affordability ends within 1 year",
        "Affordability ends within 1 year (by 2026-11-25)",
    )


def test_29_february_as_of_counts_a_year_to_28_february() -> None:
    leap_day = date(2024, 2, 29)
    result = assess(
        [project("on-28"), project("on-1-march")],
        [
            subsidy(date(2025, 2, 28), "on-28"),
            subsidy(date(2025, 3, 1), "on-1-march"),
        ],
        as_of=leap_day,
    )

    assert (codes(result["on-28"]), codes(result["on-1-march"])) == (["expiry_imminent"], ["expiry_near"])


def test_project_is_judged_by_the_last_end_among_its_active_subsidies() -> None:
    result = assess([project()], [subsidy(date(2026, 1, 1), subsidy_id=1), subsidy(date(2040, 1, 1), subsidy_id=2)])

    assert codes(result["NL1"]) == []


def test_inactive_subsidies_neither_flag_nor_protect() -> None:
    result = assess(
        [project("inactive-only"), project("inactive-later")],
        [
            subsidy(date(2026, 1, 1), "inactive-only", active=False),
            subsidy(date(2026, 1, 1), "inactive-later", 1),
            subsidy(date(2045, 1, 1), "inactive-later", 2, active=False),
        ],
    )

    assert codes(result["inactive-only"]) == []
    assert codes(result["inactive-later"]) == ["expiry_imminent"]


def test_renewed_subsidy_is_flagged_once_by_its_current_end_and_says_it_was_renewed() -> None:
    renewed = subsidy(
        date(2027, 10, 31),
        subsidy_id=2,
        program="Sec 8 loan management set-aside",
        starts_on=date(2007, 11, 1),
        first_starts_on=date(1987, 11, 1),
    )

    flag = only_flag(assess([project()], [renewed])["NL1"])

    assert flag.evidence.record == (
        "Subsidy 2 (Sec 8 loan management set-aside) ends 2027-10-31; renewed, first started 1987-11-01"
    )


def test_first_start_after_current_start_is_not_called_a_renewal() -> None:
    # 90 rows of the real catalog (mostly HUD-insured mortgages) have poa_start_orig a
    # month after poa_start: a quirk of the source, not a renewal.
    quirk = subsidy(date(2027, 1, 1), starts_on=date(2004, 2, 1), first_starts_on=date(2005, 7, 1))

    assert "renewed" not in only_flag(assess([project()], [quirk])["NL1"]).evidence.record


def test_active_subsidy_without_end_does_not_postpone_and_is_mentioned() -> None:
    result = assess(
        [project()],
        [
            subsidy(None, subsidy_id=1, program="Public housing"),
            subsidy(None, subsidy_id=2, program="HOME"),
            subsidy(date(2026, 6, 1), subsidy_id=3),
        ],
    )

    assert only_flag(result["NL1"]).evidence.record == (
        "Subsidy 3 (Low income housing tax credit) ends 2026-06-01;"
        " 2 other active subsidies without a recorded end, not counted"
    )


def test_two_subsidies_ending_on_the_last_day_give_the_smaller_id_as_evidence() -> None:
    rows = [subsidy(date(2027, 1, 1), subsidy_id=10, program="HOME"), subsidy(date(2027, 1, 1), subsidy_id=3)]

    assert only_flag(assess([project()], rows)["NL1"]).evidence.record.startswith("Subsidy 3 ")
    assert only_flag(assess([project()], rows[::-1])["NL1"]).evidence.record.startswith("Subsidy 3 ")


def test_passed_end_of_an_active_subsidy_asks_for_a_check() -> None:
    flag = only_flag(assess([project()], [subsidy(date(2020, 5, 6))])["NL1"])

    assert (flag.code, flag.severity) == ("expiry_passed", "medium")
    assert "check whether it was extended or lost" in flag.rule


@pytest.mark.parametrize("missing", [None, np.nan, pd.NaT, "not a date"])
def test_unreadable_end_dates_give_no_expiry_flag(missing: Any) -> None:
    assert codes(assess([project()], [subsidy(missing)])["NL1"]) == []


def test_missing_source_is_none_in_the_evidence_and_said_so_in_text() -> None:
    flag = only_flag(assess([project()], [subsidy(date(2026, 1, 1), source=None, source_date=None)])["NL1"])

    assert (flag.evidence.source, flag.evidence.source_date) == (None, None)
    assert str(flag.evidence).endswith("(source not recorded)")


# --- inspections -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (80, []),
        (79, ["inspection_failing"]),
        (60, ["inspection_failing"]),
        (59, ["inspection_severe"]),
        (0, ["inspection_severe"]),
    ],
)
def test_inspection_score_boundaries(score: int, expected: list[str]) -> None:
    assert codes(assess([project()], inspections=[inspection(date(2024, 5, 1), score)])["NL1"]) == expected


def test_inspection_evidence_names_date_score_and_source() -> None:
    flag = only_flag(assess([project()], inspections=[inspection(date(2024, 5, 1), 59.0)])["NL1"])

    assert (flag.severity, flag.rule) == ("high", "Latest inspection score below 60")
    assert flag.evidence == Evidence("Inspection of 2024-05-01: score 59", "HUD REAC", date(2025, 6, 1))


def test_only_the_latest_inspection_counts() -> None:
    improved = [inspection(date(2012, 7, 18), 39), inspection(date(2013, 8, 13), 94)]
    worsened = [inspection(date(2012, 7, 18), 94), inspection(date(2013, 8, 13), 68)]

    result = assess(
        [project("improved"), project("worsened")],
        inspections=[
            *(row | {"project_id": "improved"} for row in improved),
            *(row | {"project_id": "worsened"} for row in worsened),
        ],
    )

    assert (codes(result["improved"]), codes(result["worsened"])) == ([], ["inspection_failing"])


def test_inspections_after_as_of_are_ignored() -> None:
    rows = [inspection(date(2024, 1, 1), 95), inspection(AS_OF + timedelta(days=1), 20)]

    assert codes(assess([project()], inspections=rows)["NL1"]) == []


def test_inspection_without_score_is_skipped_for_the_latest_scored_one() -> None:
    rows = [inspection(date(2023, 1, 1), 55), inspection(date(2024, 1, 1), None), inspection(None, 10)]

    assert codes(assess([project()], inspections=rows)["NL1"]) == ["inspection_severe"]


def test_two_inspections_on_the_same_day_count_the_lower_score() -> None:
    rows = [inspection(date(2024, 1, 1), 90), inspection(date(2024, 1, 1), 75)]

    assert codes(assess([project()], inspections=rows)["NL1"]) == ["inspection_failing"]
    assert codes(assess([project()], inspections=rows[::-1])["NL1"]) == ["inspection_failing"]


# --- sales and notices -------------------------------------------------------------


@pytest.mark.parametrize(
    ("occurred_on", "flagged"),
    [(date(2023, 11, 25), True), (date(2023, 11, 24), False), (AS_OF, True), (AS_OF + timedelta(days=1), False)],
)
def test_recent_event_window_is_two_years_back_to_as_of_inclusive(occurred_on: date, flagged: bool) -> None:
    result = assess([project()], events=[event(occurred_on)])["NL1"]

    assert codes(result) == (["recent_sale_or_notice"] if flagged else [])


def test_recent_event_types_are_matched_ignoring_case_and_others_are_not_counted() -> None:
    result = assess(
        [project("notice"), project("other")],
        events=[
            event(date(2025, 1, 1), "notice", event_type="foreclosure NOTICE "),
            event(date(2025, 1, 1), "other", event_type="Building permit"),
            event(date(2025, 1, 1), "other", event_type=None),
        ],
    )

    assert (codes(result["notice"]), codes(result["other"])) == (["recent_sale_or_notice"], [])


def test_event_evidence_is_the_latest_event_and_counts_the_rest() -> None:
    rows = [
        event(date(2024, 3, 1), description="OTR: Sold to A LLC"),
        event(date(2025, 2, 1), event_type="Foreclosure notice", description="ROD: Notice of foreclosure sale"),
        event(date(2010, 1, 1)),
    ]

    flag = only_flag(assess([project()], events=rows)["NL1"])

    assert flag.rule == "Property sale, Foreclosure notice, Foreclosure outcome within 2 years (since 2023-11-25)"
    assert flag.evidence == Evidence(
        "Foreclosure notice on 2025-02-01: ROD: Notice of foreclosure sale; 1 more in the period",
        "OTR",
        date(2025, 1, 31),
    )


# --- owner -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("owner_type", "flagged"),
    [
        ("Profit motivated", True),
        ("Limited dividend", True),
        ("PROFIT MOTIVATED ", True),
        ("Non-profit", False),
        ("Individual", False),
        ("Public housing authority", False),
        (None, False),
    ],
)
def test_for_profit_owner_types(owner_type: str | None, flagged: bool) -> None:
    assert codes(assess([project(owner_type=owner_type)])["NL1"]) == (["for_profit_owner"] if flagged else [])


def test_owner_evidence_names_the_owner_type_and_the_project_source() -> None:
    flag = only_flag(assess([project(owner_type="Limited dividend")])["NL1"])

    assert flag.evidence == Evidence("Owner type: Limited dividend", "DC Preservation Catalog", date(2025, 3, 1))


# --- neighbourhood prices ----------------------------------------------------------


@pytest.mark.parametrize(
    ("cluster_growth", "city_growth", "flagged"),
    [
        (0.26, 0.2, True),
        (0.2 * 1.25, 0.2, False),
        (0.24, 0.2, False),
        (0.01, 0.0, True),
        (-0.05, -0.10, False),  # above a falling city's bar, but prices fell
        (0.05, -0.10, True),
        (None, 0.2, False),
        (0.9, None, False),
        (0.9, float("nan"), False),
    ],
)
def test_price_pressure_needs_positive_growth_above_the_city_times_the_factor(
    cluster_growth: float | None, city_growth: float | None, flagged: bool
) -> None:
    result = assess(
        [project(cluster="Cluster 8")], cluster_growth={"Cluster 8": cluster_growth}, city_growth=city_growth
    )

    assert codes(result["NL1"]) == (["price_pressure"] if flagged else [])


def test_project_without_cluster_or_with_an_unknown_cluster_has_no_price_flag() -> None:
    result = assess([project("none"), project("unknown", cluster="Cluster 99")], cluster_growth={"Cluster 8": 0.9})

    assert (codes(result["none"]), codes(result["unknown"])) == ([], [])


def test_price_evidence_names_cluster_growth_period_and_market_source() -> None:
    flag = only_flag(assess([project(cluster="Cluster 23")], cluster_growth={"Cluster 23": 0.923})["NL1"])

    assert flag.rule == (
        "Cluster's median sale price growth 2019-2024 is positive and above the city's (+20.0%) times 1.25 = +25.0%"
    )
    assert flag.evidence == Evidence(
        "Cluster 23: median sale price growth 2019-2024 +92.3%", "NeighborhoodInfo DC", date(2025, 1, 15)
    )


# --- level -------------------------------------------------------------------------

EXPIRY_ENDS = {
    None: None,
    "expiry_imminent": AS_OF + timedelta(days=100),
    "expiry_near": date(2028, 1, 1),
    "expiry_watch": date(2030, 1, 1),
    "expiry_passed": date(2024, 1, 1),
}
INSPECTION_SCORES = {None: None, "inspection_failing": 70, "inspection_severe": 50}
MARKET_AND_OWNERSHIP = ("recent_sale_or_notice", "for_profit_owner", "price_pressure")


def documented_level(flags: set[str]) -> str:
    """The table in risk_rules' docstring, restated."""
    market_count = len(flags & set(MARKET_AND_OWNERSHIP))
    others = market_count + len(flags & {"inspection_failing", "inspection_severe"})
    if "expiry_imminent" in flags or "inspection_severe" in flags or ("expiry_near" in flags and others):
        return "high"
    if flags & {"expiry_near", "expiry_watch", "expiry_passed", "inspection_failing"} or market_count >= 2:
        return "medium"
    return "low"


@pytest.mark.parametrize(
    ("expiry", "inspection_flag", "market_flags"),
    [
        (expiry, inspection_flag, market_flags)
        for expiry in EXPIRY_ENDS
        for inspection_flag in INSPECTION_SCORES
        for size in range(len(MARKET_AND_OWNERSHIP) + 1)
        for market_flags in itertools.combinations(MARKET_AND_OWNERSHIP, size)
    ],
)
def test_level_of_every_combination_of_flags_follows_the_documented_table(
    expiry: str | None, inspection_flag: str | None, market_flags: tuple[str, ...]
) -> None:
    ends_on, score = EXPIRY_ENDS[expiry], INSPECTION_SCORES[inspection_flag]
    result = assess(
        [
            project(
                owner_type="Profit motivated" if "for_profit_owner" in market_flags else "Non-profit",
                cluster="Cluster 8",
            )
        ],
        subsidies=[subsidy(ends_on)] if ends_on else [],
        inspections=[inspection(date(2025, 1, 1), score)] if score is not None else [],
        events=[event(date(2025, 1, 1))] if "recent_sale_or_notice" in market_flags else [],
        cluster_growth={"Cluster 8": 0.9 if "price_pressure" in market_flags else 0.1},
    )["NL1"]

    expected_flags = {code for code in (expiry, inspection_flag, *market_flags) if code}
    assert set(codes(result)) == expected_flags
    assert result.level == documented_level(expected_flags)


def test_near_expiry_with_a_for_profit_owner_is_high() -> None:
    result = assess([project(owner_type="Profit motivated")], [subsidy(date(2028, 1, 1))])

    assert result["NL1"].level == "high"


def test_one_market_flag_alone_is_low_and_two_are_medium() -> None:
    result = assess(
        [project("one", owner_type="Profit motivated"), project("two", owner_type="Profit motivated", cluster="C")],
        cluster_growth={"C": 0.5},
    )

    assert (result["one"].level, result["two"].level) == ("low", "medium")


def test_flags_come_in_the_order_of_the_rules() -> None:
    result = assess(
        [project(owner_type="Profit motivated", cluster="C")],
        [subsidy(date(2026, 1, 1))],
        [inspection(date(2025, 1, 1), 70)],
        [event(date(2025, 1, 1))],
        cluster_growth={"C": 0.5},
    )

    assert codes(result["NL1"]) == [
        "expiry_imminent",
        "inspection_failing",
        "recent_sale_or_notice",
        "for_profit_owner",
        "price_pressure",
    ]


# --- contract ----------------------------------------------------------------------


def test_project_with_no_records_at_all_is_low_with_no_flags() -> None:
    assert assess([project()]) == {"NL1": Assessment("NL1", "low", ())}


def test_no_projects_give_an_empty_result() -> None:
    assert assess([], [subsidy(date(2026, 1, 1))], [inspection(date(2025, 1, 1), 10)], [event(date(2025, 1, 1))]) == {}


def test_records_of_projects_not_listed_are_ignored() -> None:
    result = assess(
        [project("NL1")],
        [subsidy(date(2026, 1, 1), "NL9")],
        [inspection(date(2025, 1, 1), 10, "NL9")],
        [event(date(2025, 1, 1), "NL9")],
    )

    assert result == {"NL1": Assessment("NL1", "low", ())}


def test_missing_values_everywhere_give_no_flag_rather_than_an_error() -> None:
    result = assess(
        [project(owner_type=None, cluster=None, source=None, source_date=None)],
        [subsidy(None, active=None, program=None, starts_on=None, first_starts_on=None, source=None, source_date=None)],
        [inspection(None, None, source=None, source_date=None)],
        [event(None, event_type=None, description=None, source=None, source_date=None)],
        cluster_growth={},
        city_growth=None,
    )

    assert result == {"NL1": Assessment("NL1", "low", ())}


def test_blank_texts_as_django_stores_them_count_as_missing() -> None:
    result = assess(
        [project(owner_type="", cluster="")],
        [subsidy(date(2026, 1, 1), program="", source="")],
        events=[event(date(2025, 1, 1), event_type="")],
        cluster_growth={"": 0.9},
    )

    flag = only_flag(result["NL1"])
    assert (flag.evidence.record, flag.evidence.source) == ("Subsidy 1 (program not recorded) ends 2026-01-01", None)


def test_missing_program_and_description_are_said_so_in_the_evidence() -> None:
    result = assess(
        [project()], [subsidy(date(2026, 1, 1), program=None)], events=[event(date(2025, 1, 1), description=None)]
    )

    assert [flag.evidence.record for flag in result["NL1"].flags] == [
        "Subsidy 1 (program not recorded) ends 2026-01-01",
        "Property sale on 2025-01-01",
    ]


def test_custom_thresholds_are_honoured() -> None:
    thresholds = replace(
        DEFAULT_THRESHOLDS,
        expiry_imminent_years=2,
        inspection_failing_below=90,
        recent_event_years=5,
        for_profit_owner_types=("Individual",),
        price_pressure_factor=2.0,
    )

    result = assess(
        [project(owner_type="Individual", cluster="C")],
        [subsidy(date(2027, 6, 1))],
        [inspection(date(2025, 1, 1), 85)],
        [event(date(2021, 1, 1))],
        cluster_growth={"C": 0.39},
        thresholds=thresholds,
    )

    assert codes(result["NL1"]) == [
        "expiry_imminent",
        "inspection_failing",
        "recent_sale_or_notice",
        "for_profit_owner",
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"expiry_imminent_years": 3}, "expiry years"),
        ({"expiry_imminent_years": 0}, "expiry years"),
        ({"expiry_watch_years": 2}, "expiry years"),
        ({"inspection_severe_below": 80}, "inspection_severe_below"),
        ({"recent_event_years": -1}, "recent_event_years"),
        ({"price_pressure_factor": 0}, "price_pressure_factor"),
    ],
)
def test_inconsistent_thresholds_are_rejected(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        replace(DEFAULT_THRESHOLDS, **changes)


def test_missing_column_is_named() -> None:
    with pytest.raises(ValueError, match="inspections lacks the column\\(s\\) score"):
        assess_projects(
            projects=pd.DataFrame([project()]),
            subsidies=pd.DataFrame([subsidy(date(2026, 1, 1))]),
            inspections=pd.DataFrame([inspection(date(2025, 1, 1), 50)]).drop(columns="score"),
            events=pd.DataFrame([event(date(2025, 1, 1))]),
            market=MarketGrowth({}, 0.2),
            as_of=AS_OF,
        )


def test_repeated_project_id_is_rejected() -> None:
    with pytest.raises(ValueError, match="duplicated project_id"):
        assess([project(), project()])


def test_subsidy_id_repeated_within_a_project_is_rejected_but_not_across_projects() -> None:
    with pytest.raises(ValueError, match="subsidy_id repeated"):
        assess([project()], [subsidy(date(2026, 1, 1)), subsidy(date(2027, 1, 1))])

    result = assess([project("A"), project("B")], [subsidy(date(2026, 1, 1), "A"), subsidy(date(2026, 1, 1), "B")])
    assert (codes(result["A"]), codes(result["B"])) == (["expiry_imminent"], ["expiry_imminent"])


# --- properties --------------------------------------------------------------------

PROJECT_IDS = ["NL1", "NL2", "NL3", "NL4"]
# Few distinct values, so that ties (same day, same score) are common.
days_around_as_of = st.dates(min_value=date(2019, 1, 1), max_value=date(2033, 12, 31))
few_days = st.sampled_from([date(2024, 1, 1), date(2025, 1, 1), date(2025, 6, 1)])
sources = st.sampled_from([None, "HUD REAC", "DCHA Document"])

projects_strategy = st.lists(
    st.builds(
        project,
        st.sampled_from(PROJECT_IDS),
        owner_type=st.sampled_from([None, "Profit motivated", "Non-profit", "Limited dividend"]),
        cluster=st.sampled_from([None, "C1", "C2"]),
    ),
    min_size=1,
    unique_by=lambda row: row["project_id"],
)
subsidies_strategy = st.lists(
    st.builds(
        subsidy,
        st.one_of(st.none(), days_around_as_of),
        st.sampled_from(PROJECT_IDS),
        st.integers(min_value=1, max_value=6),
        active=st.booleans(),
        source=sources,
    ),
    unique_by=lambda row: (row["project_id"], row["subsidy_id"]),
)
inspections_strategy = st.lists(
    st.builds(
        inspection,
        few_days,
        st.sampled_from([None, 50, 59, 60, 79, 80, 95]),
        st.sampled_from(PROJECT_IDS),
        source=sources,
    )
)
events_strategy = st.lists(
    st.builds(
        event,
        few_days,
        st.sampled_from(PROJECT_IDS),
        event_type=st.sampled_from(["Property sale", "Foreclosure notice", "Other"]),
        description=st.sampled_from([None, "a", "b"]),
        source=sources,
    )
)
growth_strategy = st.fixed_dictionaries(
    {"C1": st.one_of(st.none(), st.floats(-0.5, 1.0)), "C2": st.one_of(st.none(), st.floats(-0.5, 1.0))}
)


def shuffled(rows: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    return [rows[i] for i in np.random.default_rng(seed).permutation(len(rows))]


@settings(deadline=None, max_examples=80)
@given(
    projects=projects_strategy,
    subsidies=subsidies_strategy,
    inspections=inspections_strategy,
    events=events_strategy,
    growth=growth_strategy,
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_result_does_not_depend_on_row_order(
    projects: list[dict[str, Any]],
    subsidies: list[dict[str, Any]],
    inspections: list[dict[str, Any]],
    events: list[dict[str, Any]],
    growth: dict[str, float | None],
    seed: int,
) -> None:
    in_order = assess(projects, subsidies, inspections, events, cluster_growth=growth)
    reordered = assess(
        shuffled(projects, seed),
        shuffled(subsidies, seed),
        shuffled(inspections, seed),
        shuffled(events, seed),
        cluster_growth=growth,
    )

    assert in_order == reordered
    assert list(in_order) == [row["project_id"] for row in projects]


EXPIRY_TIGHTNESS = {"expiry_imminent": 0, "expiry_near": 1, "expiry_watch": 2}


def expiry_tightness(assessment: Assessment) -> int | None:
    return next((EXPIRY_TIGHTNESS[code] for code in codes(assessment) if code in EXPIRY_TIGHTNESS), None)


@settings(deadline=None, max_examples=100)
@given(
    subsidies=subsidies_strategy,
    first_as_of=days_around_as_of,
    later_by=st.integers(min_value=0, max_value=3000),
)
def test_moving_as_of_later_never_removes_or_loosens_an_expiry_flag_until_the_end_passes(
    subsidies: list[dict[str, Any]], first_as_of: date, later_by: int
) -> None:
    later_as_of = first_as_of + timedelta(days=later_by)
    projects = [project(project_id) for project_id in PROJECT_IDS]
    before = assess(projects, subsidies, as_of=first_as_of)
    after = assess(projects, subsidies, as_of=later_as_of)

    for project_id in PROJECT_IDS:
        ends = [row["affordability_ends_on"] for row in subsidies if row["project_id"] == project_id and row["active"]]
        last_end = max((end for end in ends if end is not None), default=None)
        tightness_before = expiry_tightness(before[project_id])
        if tightness_before is not None and last_end is not None and later_as_of <= last_end:
            tightness_after = expiry_tightness(after[project_id])
            assert tightness_after is not None
            assert tightness_after <= tightness_before


@settings(deadline=None, max_examples=100)
@given(
    projects=projects_strategy,
    subsidies=subsidies_strategy,
    inactive_ends=st.lists(st.one_of(st.none(), days_around_as_of), max_size=6),
)
def test_inactive_subsidies_never_change_the_result(
    projects: list[dict[str, Any]], subsidies: list[dict[str, Any]], inactive_ends: list[date | None]
) -> None:
    inactive = [
        subsidy(ends_on, PROJECT_IDS[number % len(PROJECT_IDS)], f"inactive-{number}", active=False)
        for number, ends_on in enumerate(inactive_ends)
    ]

    assert assess(projects, subsidies + inactive) == assess(projects, subsidies)


@settings(deadline=None, max_examples=100)
@given(
    projects=projects_strategy,
    subsidies=subsidies_strategy,
    inspections=inspections_strategy,
    events=events_strategy,
    growth=growth_strategy,
)
def test_level_is_never_below_any_flag_severity_and_follows_the_table(
    projects: list[dict[str, Any]],
    subsidies: list[dict[str, Any]],
    inspections: list[dict[str, Any]],
    events: list[dict[str, Any]],
    growth: dict[str, float | None],
) -> None:
    for assessment in assess(projects, subsidies, inspections, events, cluster_growth=growth).values():
        assert all(LEVEL_RANK[assessment.level] >= LEVEL_RANK[flag.severity] for flag in assessment.flags)
        assert assessment.level == documented_level(set(codes(assessment)))
        assert len(set(codes(assessment))) == len(assessment.flags)
