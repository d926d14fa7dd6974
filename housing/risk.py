"""Preservation risk: builds the rules' inputs from the database, runs `housing.risk_rules`
on every project at once, and stores each project's current assessment.

Thresholds come from settings.HOUSING_RISK_THRESHOLDS (any field of
`housing.risk_rules.RiskThresholds`; the module's docstring states every rule).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

import pandas as pd
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cities.models import IngestionRun
from housing.expiry import ENDS_ON, affordability_status, median_price_growth
from housing.models import InspectionScore, MarketIndicator, Project, RealPropertyEvent, RiskAssessment, Subsidy
from housing.risk_rules import Assessment, MarketGrowth, RiskThresholds, assess_projects

# NeighborhoodInfo DC's inflation-adjusted median sale price of single-family homes.
PRICE_INDICATOR = "r_mprice_sf"


def risk_thresholds() -> RiskThresholds:
    return RiskThresholds(**getattr(settings, "HOUSING_RISK_THRESHOLDS", {}))


def _dataset_source(schema: str) -> tuple[str | None, date | None]:
    """A dataset's title and the day the portal last ingested it successfully: the source
    and source date of the evidence drawn from it."""
    latest = (
        IngestionRun.objects.filter(dataset__schema=schema, status=IngestionRun.Status.SUCCEEDED)
        .select_related("dataset")
        .order_by("-finished_at")
        .first()
    )
    if latest is None or latest.finished_at is None:
        return None, None
    return latest.dataset.title, timezone.localdate(latest.finished_at)


def _frame(rows: Any, columns: dict[str, str]) -> pd.DataFrame:
    """A frame of ORM `values()` rows, renamed to the rules' column names."""
    return pd.DataFrame.from_records(list(rows.values(*columns)), columns=list(columns)).rename(columns=columns)


def _market_growth() -> MarketGrowth:
    """Each cluster's 5-year growth of the median price. The source has no citywide row,
    so the city's growth is the median of the clusters' growths (documented with the rule)."""
    prices = _frame(
        MarketIndicator.objects.filter(geography_type="cluster", indicator=PRICE_INDICATOR),
        {"geography_code": "cluster", "year": "year", "value": "median_price"},
    )
    growth = median_price_growth(prices)
    known = [value for value in growth.by_cluster.values() if value is not None]
    source, source_date = _dataset_source("housing.cluster_indicators")
    return MarketGrowth(
        cluster_growth=growth.by_cluster,
        city_growth=float(pd.Series(known).median()) if known else None,
        from_year=growth.from_year,
        to_year=growth.to_year,
        source=source,
        source_date=source_date,
    )


def _inputs() -> dict[str, pd.DataFrame]:
    projects_source, projects_date = _dataset_source("housing.projects")
    inspections_source, inspections_date = _dataset_source("housing.inspections")
    events_source, events_date = _dataset_source("housing.property_events")
    projects = _frame(
        Project.objects.all(),
        {
            "nlihc_id": "project_id",
            "owner_type": "owner_type",
            "cluster_code": "cluster",
            "units_assisted_max": "assisted_units",
        },
    ).assign(source=projects_source, source_date=projects_date)
    subsidies = _frame(
        Subsidy.objects.all(),
        {
            "project__nlihc_id": "project_id",
            "subsidy_id": "subsidy_id",
            "program": "program",
            "active": "active",
            "poa_end": "affordability_ends_on",
            "units_assisted": "assisted_units",
            "poa_start": "starts_on",
            "poa_start_orig": "first_starts_on",
            "info_source": "source",
            "info_source_date": "source_date",
        },
    )
    inspections = _frame(
        InspectionScore.objects.all(),
        {"project__nlihc_id": "project_id", "inspected_on": "inspected_on", "score": "score"},
    ).assign(source=inspections_source, source_date=inspections_date)
    # The description names buyers (people among them): the evidence gives type and date only.
    events = _frame(
        RealPropertyEvent.objects.all(),
        {"project__nlihc_id": "project_id", "event_date": "occurred_on", "event_type": "event_type"},
    ).assign(description="", source=events_source, source_date=events_date)
    return {"projects": projects, "subsidies": subsidies, "inspections": inspections, "events": events}


def _flags_json(assessment: Assessment) -> list[dict[str, Any]]:
    flags = []
    for flag in assessment.flags:
        as_dict = asdict(flag)
        source_date = flag.evidence.source_date
        as_dict["evidence"]["source_date"] = source_date.isoformat() if source_date else None
        flags.append(as_dict)
    return flags


def _previous_level(current: RiskAssessment | None, changed: bool) -> str:
    if current is None:
        return ""
    return current.level if changed else current.previous_level


@transaction.atomic
def risk_assessment_refresh(*, as_of: date | None = None) -> dict[str, int]:
    """Assess every project as of `as_of` (today by default) and store the result, one
    current assessment per project. Idempotent: the same data gives the same rows; a
    project's `level_changed_at` moves only when its level changes. Returns how many
    projects are at each level."""
    as_of = as_of or timezone.localdate()
    now = timezone.now()
    inputs = _inputs()
    assessments = assess_projects(**inputs, market=_market_growth(), as_of=as_of, thresholds=risk_thresholds())
    status = affordability_status(projects=inputs["projects"], subsidies=inputs["subsidies"])
    ends_on = {key: value.date() for key, value in status[ENDS_ON].dropna().items()}
    units = {key: int(value) for key, value in status["assisted_units"].dropna().items()}
    project_ids = dict(Project.objects.values_list("nlihc_id", "pk"))
    stored = {row.project_id: row for row in RiskAssessment.objects.all()}
    rows = []
    for nlihc_id, assessment in assessments.items():
        project_pk = project_ids[nlihc_id]
        current = stored.get(project_pk)
        changed = current is None or current.level != assessment.level
        rows.append(
            RiskAssessment(
                project_id=project_pk,
                level=assessment.level,
                as_of=as_of,
                assessed_at=now,
                flags=_flags_json(assessment),
                previous_level=_previous_level(current, changed),
                level_changed_at=now if changed or current is None else current.level_changed_at,
                affordability_ends_on=ends_on.get(nlihc_id),
                assisted_units_at_risk=units.get(nlihc_id),
            )
        )
    RiskAssessment.objects.exclude(project_id__in=project_ids.values()).delete()
    RiskAssessment.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["project"],
        update_fields=[
            "level",
            "as_of",
            "assessed_at",
            "flags",
            "previous_level",
            "level_changed_at",
            "affordability_ends_on",
            "assisted_units_at_risk",
        ],
    )
    counts = dict.fromkeys(RiskAssessment.Level.values, 0)
    for assessment in assessments.values():
        counts[assessment.level] += 1
    return counts
