"""Preservation risk: builds the rules' inputs from the database, runs `housing.risk_rules`
on every project at once, and stores each project's current assessment.

Thresholds come from settings.HOUSING_RISK_THRESHOLDS (any field of
`housing.risk_rules.RiskThresholds`; the module's docstring states every rule).
"""

from __future__ import annotations

import json
from datetime import date
from functools import partial
from typing import Any

import pandas as pd
import pyarrow as pa
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from cities.data_cache import data_version_bump
from cities.ingestion import arrow_csv, copy_upsert
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


def _flags_json(assessment: Assessment) -> str:
    return json.dumps([flag.as_json() for flag in assessment.flags])


ASSESSMENT_FIELDS = [
    "project_id",
    "level",
    "as_of",
    "assessed_at",
    "flags",
    "previous_level",
    "level_changed_at",
    "affordability_ends_on",
    "assisted_units_at_risk",
]
_ARROW_TYPES = {
    "project_id": pa.int64(),
    "level": pa.string(),
    "as_of": pa.date32(),
    "assessed_at": pa.timestamp("us", tz="UTC"),
    "flags": pa.string(),
    "previous_level": pa.string(),
    "level_changed_at": pa.timestamp("us", tz="UTC"),
    "affordability_ends_on": pa.date32(),
    "assisted_units_at_risk": pa.int64(),
}


@transaction.atomic
def risk_assessment_refresh(*, as_of: date | None = None) -> dict[str, int]:
    """Assess every project as of `as_of` (today by default) and store the result, one
    current assessment per project, in one upsert. Idempotent: the same data gives the same
    rows; a project's `level_changed_at` moves only when its level changes. Returns how
    many projects are at each level.

    Every ingestion of DC data ends with this refresh, so once it commits it starts a new
    version of the data (`cities.data_cache`): the public pages' cached reads are read again."""
    as_of = as_of or timezone.localdate()
    now = timezone.now()
    inputs = _inputs()
    assessments = assess_projects(**inputs, market=_market_growth(), as_of=as_of, thresholds=risk_thresholds())
    status = affordability_status(projects=inputs["projects"], subsidies=inputs["subsidies"])
    ends_on = {key: value.date() for key, value in status[ENDS_ON].dropna().items()}
    units = {key: int(value) for key, value in status["assisted_units"].dropna().items()}
    project_ids = dict(Project.objects.values_list("nlihc_id", "pk"))
    stored = {
        project_id: (level, previous_level, changed_at)
        for project_id, level, previous_level, changed_at in RiskAssessment.objects.values_list(
            "project_id", "level", "previous_level", "level_changed_at"
        )
    }
    columns: dict[str, list[Any]] = {name: [] for name in ASSESSMENT_FIELDS}
    for nlihc_id, assessment in assessments.items():
        project_pk = project_ids[nlihc_id]
        level, previous_level, changed_at = stored.get(project_pk, ("", "", None))
        if level != assessment.level:
            previous_level, changed_at = level, now
        row = (
            project_pk,
            assessment.level,
            as_of,
            now,
            _flags_json(assessment),
            previous_level,
            changed_at,
            ends_on.get(nlihc_id),
            units.get(nlihc_id),
        )
        for name, value in zip(ASSESSMENT_FIELDS, row, strict=True):
            columns[name].append(value)
    _store(columns)
    transaction.on_commit(partial(data_version_bump, "housing"))
    counts = dict.fromkeys(RiskAssessment.Level.values, 0)
    for assessment in assessments.values():
        counts[assessment.level] += 1
    return counts


def _store(columns: dict[str, list[Any]]) -> None:
    """Upsert the assessments: COPY and one statement on PostgreSQL (50,000 rows in well
    under a second), the ORM's bulk upsert elsewhere (the embedded SQLite)."""
    if connection.vendor == "postgresql":
        table = pa.table({name: pa.array(values, type=_ARROW_TYPES[name]) for name, values in columns.items()})
        copy_upsert(
            model=RiskAssessment,
            fields=ASSESSMENT_FIELDS,
            key=["project_id"],
            rows_csv=arrow_csv(table),
            stage_name="risk_assessment_stage",
        )
        return
    rows = [
        RiskAssessment(**dict(zip(ASSESSMENT_FIELDS, values, strict=True)) | {"flags": json.loads(values[4])})
        for values in zip(*columns.values(), strict=True)
    ]
    RiskAssessment.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["project"],
        update_fields=[name for name in ASSESSMENT_FIELDS if name != "project_id"],
    )
