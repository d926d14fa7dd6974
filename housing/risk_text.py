"""The preservation risk rules of `housing.risk_rules` in words a resident reads, in their
language: each level's rules as the dashboard's explanation lists them, and each flag's
name. The rules' numbers come from the thresholds in force, so the words cannot drift
from what the rules count.

Stored assessments keep each flag's English label, rule and record (the API and the
admin show them as recorded); pages name a flag by its code through `flag_label`.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from housing.models import RiskAssessment
from housing.risk_rules import (
    EXPIRY_IMMINENT,
    EXPIRY_NEAR,
    EXPIRY_PASSED,
    EXPIRY_WATCH,
    FOR_PROFIT_OWNER,
    INSPECTION_FAILING,
    INSPECTION_SEVERE,
    PRICE_PRESSURE,
    RECENT_SALE_OR_NOTICE,
    Level,
    RiskThresholds,
)


def _number(value: float) -> str:
    """1.25 as "1.25" in English and "1,25" in Spanish; 80.0 as "80"."""
    return number_format(Decimal(f"{value:g}"))


def _within_years(years: int) -> str:
    return ngettext("Affordability ends within %(years)d year", "Affordability ends within %(years)d years", years) % {
        "years": years
    }


def flag_label(code: str, *, recorded: str, thresholds: RiskThresholds) -> str:
    """A flag's name in the active language; `recorded` (its stored label) for a code these
    rules no longer know."""
    labels = {
        EXPIRY_PASSED: gettext("Recorded affordability end has passed"),
        EXPIRY_IMMINENT: _within_years(thresholds.expiry_imminent_years),
        EXPIRY_NEAR: _within_years(thresholds.expiry_near_years),
        EXPIRY_WATCH: _within_years(thresholds.expiry_watch_years),
        INSPECTION_SEVERE: gettext("Severe inspection score"),
        INSPECTION_FAILING: gettext("Failing inspection score"),
        RECENT_SALE_OR_NOTICE: gettext("Recent sale or notice"),
        FOR_PROFIT_OWNER: gettext("For-profit owner"),
        PRICE_PRESSURE: gettext("Neighbourhood price pressure"),
    }
    return labels.get(code, recorded)


def level_label(level: str) -> str:
    """A risk level's name ("High") in the active language."""
    return str(RiskAssessment.Level(level).label)


def level_rules(thresholds: RiskThresholds) -> list[tuple[Level, str, list[str]]]:
    """Every rule of each level with `thresholds`' numbers, highest level first, as
    (level, its name, its rules): what the dashboard's explanation lists. States the rules
    of `housing.risk_rules`' docstring."""
    t = thresholds
    numbers = {
        "imminent": t.expiry_imminent_years,
        "near": t.expiry_near_years,
        "watch": t.expiry_watch_years,
        "severe": _number(t.inspection_severe_below),
        "failing": _number(t.inspection_failing_below),
        "event_years": t.recent_event_years,
        "owner_types": gettext(" or ").join(t.for_profit_owner_types).lower(),
        "factor": _number(t.price_pressure_factor),
    }
    signs = (
        gettext(
            "a sale or foreclosure notice in the last %(event_years)d years, a for-profit owner (%(owner_types)s), "
            "or sale prices in its neighbourhood cluster rising more than %(factor)s times as fast as the city's"
        )
        % numbers
    )
    return [
        (
            "high",
            level_label("high"),
            [
                ngettext(
                    "affordability ends within %(imminent)d year",
                    "affordability ends within %(imminent)d years",
                    t.expiry_imminent_years,
                )
                % numbers,
                gettext("the latest inspection scored below %(severe)s out of 100") % numbers,
                gettext(
                    "affordability ends within %(near)d years and another warning sign is present "
                    "(a failing inspection, or one of the signs listed under medium)"
                )
                % numbers,
            ],
        ),
        (
            "medium",
            level_label("medium"),
            [
                gettext("affordability ends within %(watch)d years") % numbers,
                gettext(
                    "the date affordability ends has already passed, yet the Catalog still lists the subsidy as "
                    "active: it may have been renewed without the Catalog knowing, or the homes may have been lost"
                ),
                gettext("the latest inspection scored below %(failing)s out of 100") % numbers,
                gettext("at least two of these signs come together: %(signs)s") % {"signs": signs},
            ],
        ),
        (
            "low",
            level_label("low"),
            [gettext("none of the above; one of the signs above on its own still counts as low")],
        ),
    ]
