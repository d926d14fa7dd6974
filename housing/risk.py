"""Preservation risk: builds the rules' inputs from the database, runs `housing.risk_rules`
on every project at once, and stores each project's current assessment.

Thresholds come from settings.HOUSING_RISK_THRESHOLDS (any field of
`housing.risk_rules.RiskThresholds`; the module's docstring states every rule).
"""

from __future__ import annotations

import io
from datetime import date, datetime
from functools import partial
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from cities.data_cache import data_version_bump
from cities.ingestion import arrow_csv, copy_in, copy_out
from cities.models import IngestionRun
from housing.expiry import ENDS_ON, affordability_status, median_price_growth
from housing.models import InspectionScore, MarketIndicator, Project, RealPropertyEvent, RiskAssessment, Subsidy
from housing.risk_rules import MarketGrowth, RiskThresholds, assess_city

# NeighborhoodInfo DC's inflation-adjusted median sale price of single-family homes.
PRICE_INDICATOR = "r_mprice_sf"
TEXT = pa.string()


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


def _frame(rows: QuerySet[Any], columns: dict[str, tuple[str, pa.DataType]]) -> pd.DataFrame:
    """The queryset's values of `columns` (ORM path: the rules' name and type) as a frame.
    On PostgreSQL by COPY into Arrow, column-wise: no Python object per value, which is
    what took most of the refresh's time at 200,000 projects."""
    values = rows.order_by().values_list(*columns)
    names = [name for name, _ in columns.values()]
    if connection.vendor != "postgresql":
        return pd.DataFrame.from_records(list(values), columns=names)
    sql, params = values.query.sql_with_params()
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        copy_out(cursor, query=sql, params=params, stream=buffer)
    buffer.seek(0)
    # Arrow reads no column from no bytes: no rows is the empty table of these columns.
    table = (
        pa.schema(list(columns.values())).empty_table()
        if not buffer.getbuffer().nbytes
        else _csv_table(buffer, columns)
    )
    frame = table.to_pandas(date_as_object=False)
    # Python strings: pandas looks Arrow-backed ones up (isin, reindex, groupby keys)
    # several times slower, and the rules do little else with them.
    texts = [name for name, kind in columns.values() if kind == TEXT]
    return frame.astype(dict.fromkeys(texts, object))


def _csv_table(buffer: io.BytesIO, columns: dict[str, tuple[str, pa.DataType]]) -> pa.Table:
    names = [name for name, _ in columns.values()]
    return pa_csv.read_csv(
        buffer,
        read_options=pa_csv.ReadOptions(column_names=names),
        # COPY writes NULL unquoted and empty, an empty text quoted: keep the two apart.
        convert_options=pa_csv.ConvertOptions(
            column_types=dict(columns.values()),
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
            true_values=["t"],
            false_values=["f"],
        ),
    )


def _market_growth() -> MarketGrowth:
    """Each cluster's 5-year growth of the median price. The source has no citywide row,
    so the city's growth is the median of the clusters' growths (documented with the rule)."""
    prices = _frame(
        MarketIndicator.objects.filter(geography_type="cluster", indicator=PRICE_INDICATOR),
        {"geography_code": ("cluster", TEXT), "year": ("year", pa.int64()), "value": ("median_price", pa.float64())},
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
            "pk": ("pk", pa.int64()),
            "nlihc_id": ("project_id", TEXT),
            "owner_type": ("owner_type", TEXT),
            "cluster_code": ("cluster", TEXT),
            "units_assisted_max": ("assisted_units", pa.float64()),
        },
    ).assign(source=projects_source, source_date=projects_date)
    subsidies = _frame(
        Subsidy.objects.all(),
        {
            "project__nlihc_id": ("project_id", TEXT),
            "subsidy_id": ("subsidy_id", pa.int64()),
            "program": ("program", TEXT),
            "active": ("active", pa.bool_()),
            "poa_end": ("affordability_ends_on", pa.date32()),
            "units_assisted": ("assisted_units", pa.float64()),
            "poa_start": ("starts_on", pa.date32()),
            "poa_start_orig": ("first_starts_on", pa.date32()),
            "info_source": ("source", TEXT),
            "info_source_date": ("source_date", pa.date32()),
        },
    )
    inspections = _frame(
        InspectionScore.objects.all(),
        {
            "project__nlihc_id": ("project_id", TEXT),
            "inspected_on": ("inspected_on", pa.date32()),
            "score": ("score", pa.float64()),
        },
    ).assign(source=inspections_source, source_date=inspections_date)
    # The description names buyers (people among them): the evidence gives type and date only.
    events = _frame(
        RealPropertyEvent.objects.all(),
        {
            "project__nlihc_id": ("project_id", TEXT),
            "event_date": ("occurred_on", pa.date32()),
            "event_type": ("event_type", TEXT),
        },
    ).assign(description="", source=events_source, source_date=events_date)
    return {"projects": projects, "subsidies": subsidies, "inspections": inspections, "events": events}


@transaction.atomic
def risk_assessment_refresh(*, as_of: date | None = None) -> dict[str, int]:
    """Assess every project as of `as_of` (today by default) and store the result, one
    current assessment per project, in one upsert. Idempotent: the same data gives the same
    rows; a project's `level_changed_at` moves only when its level changes. Returns how
    many projects are at each level.

    Every ingestion of DC data ends with this refresh, so once it commits it starts a new
    version of the data (`cities.data_cache`): the public pages' cached reads are read again."""
    as_of = as_of or timezone.localdate()
    inputs = _inputs()
    city = assess_city(**inputs, market=_market_growth(), as_of=as_of, thresholds=risk_thresholds())
    projects = inputs["projects"]
    status = affordability_status(projects=projects, subsidies=inputs["subsidies"])
    # One row per project, keyed by its primary key, in the order of `projects`.
    assessed = pd.DataFrame(
        {
            "project_id": projects["pk"].to_numpy(),
            "level": city.levels.to_numpy(),
            ENDS_ON: status[ENDS_ON].reset_index(drop=True),
            "assisted_units_at_risk": status["assisted_units"].round().astype("Int64").reset_index(drop=True),
        }
    )
    pk_of = pd.Series(projects["pk"].to_numpy(), index=projects["project_id"].astype(str).to_numpy())
    flags = city.flags.assign(project_id=pk_of.reindex(city.flags["project_id"]).to_numpy())
    if connection.vendor == "postgresql":
        _store_postgresql(assessed=assessed, rules=city.rules, flags=flags, as_of=as_of, now=timezone.now())
    else:
        _store_with_orm(assessed=assessed, rules=city.rules, flags=flags, as_of=as_of, now=timezone.now())
    transaction.on_commit(partial(data_version_bump, "housing"))
    counts = dict.fromkeys(RiskAssessment.Level.values, 0)
    counts.update(city.levels.value_counts().to_dict())
    return counts


def _store_postgresql(
    *, assessed: pd.DataFrame, rules: pd.DataFrame, flags: pd.DataFrame, as_of: date, now: datetime
) -> None:
    """COPY the levels and the flags into two staging tables, then one statement builds each
    project's flags as JSON (in the rules' order) and upserts every assessment: 200,000
    projects in about a second. A level that changes keeps the one before it and the moment."""
    quote = connection.ops.quote_name
    table = quote(RiskAssessment._meta.db_table)
    levels_csv = arrow_csv(
        pa.table(
            {
                "project_id": pa.array(assessed["project_id"], type=pa.int64()),
                "level": pa.array(assessed["level"], type=pa.string()),
                ENDS_ON: pa.array(assessed[ENDS_ON], type=pa.timestamp("ms")).cast(pa.date32()),
                "assisted_units_at_risk": pa.array(assessed["assisted_units_at_risk"], type=pa.int64()),
            }
        )
    )
    flags_csv = arrow_csv(
        pa.table(
            {
                "project_id": pa.array(flags["project_id"], type=pa.int64()),
                "code": pa.array(flags["code"], type=pa.string()),
                "record": pa.array(flags["record"], type=pa.string()),
                "source": pa.array(flags["source"], type=pa.string()),
                "source_date": pa.array(flags["source_date"], type=pa.date32()),
            }
        )
    )
    # The rules' label, text and severity: the same for every project they flag.
    rule_rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rules))
    rule_params = [value for position, row in enumerate(rules.itertuples(index=False)) for value in (position, *row)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [RiskAssessment._meta.db_table])
        cursor.execute(
            "CREATE TEMPORARY TABLE risk_level_stage (project_id bigint, level text,"
            f" {ENDS_ON} date, assisted_units_at_risk bigint) ON COMMIT DROP"
        )
        copy_in(cursor, statement="COPY risk_level_stage FROM STDIN WITH (FORMAT csv)", stream=levels_csv)
        cursor.execute(
            "CREATE TEMPORARY TABLE risk_flag_stage (project_id bigint, code text, record text, source text,"
            " source_date date) ON COMMIT DROP"
        )
        copy_in(cursor, statement="COPY risk_flag_stage FROM STDIN WITH (FORMAT csv)", stream=flags_csv)
        # Their sizes, so that the plan joins them by hashing rather than row by row.
        cursor.execute("ANALYZE risk_level_stage, risk_flag_stage")
        cursor.execute(
            f"""
            WITH rules (position, code, label, rule, severity) AS (VALUES {rule_rows}),
            project_flags AS (
                SELECT f.project_id, jsonb_agg(
                    jsonb_build_object(
                        'code', r.code, 'label', r.label, 'rule', r.rule, 'severity', r.severity,
                        'evidence', jsonb_build_object('record', f.record, 'source', f.source,
                                                       'source_date', f.source_date)
                    ) ORDER BY r.position
                ) AS flags
                FROM risk_flag_stage f JOIN rules r USING (code)
                GROUP BY f.project_id
            )
            INSERT INTO {table} AS t (project_id, level, as_of, assessed_at, flags, previous_level,
                                      level_changed_at, {ENDS_ON}, assisted_units_at_risk)
            SELECT s.project_id, s.level, %s, %s, COALESCE(f.flags, '[]'::jsonb), '', %s,
                   s.{ENDS_ON}, s.assisted_units_at_risk
            FROM risk_level_stage s LEFT JOIN project_flags f USING (project_id)
            ON CONFLICT (project_id) DO UPDATE SET
                level = EXCLUDED.level,
                as_of = EXCLUDED.as_of,
                assessed_at = EXCLUDED.assessed_at,
                flags = EXCLUDED.flags,
                previous_level = CASE WHEN t.level = EXCLUDED.level THEN t.previous_level ELSE t.level END,
                level_changed_at = CASE WHEN t.level = EXCLUDED.level THEN t.level_changed_at
                                        ELSE EXCLUDED.level_changed_at END,
                {ENDS_ON} = EXCLUDED.{ENDS_ON},
                assisted_units_at_risk = EXCLUDED.assisted_units_at_risk
            """,
            [*rule_params, as_of, now, now],
        )
        cursor.execute("DROP TABLE risk_level_stage, risk_flag_stage")


def _flag_documents(rules: pd.DataFrame, flags: pd.DataFrame) -> dict[int, list[dict[str, Any]]]:
    """Each project's flags as stored (what the PostgreSQL statement builds), in the rules' order."""
    rule_of = {row.code: row for row in rules.itertuples(index=False)}
    documents: dict[int, list[dict[str, Any]]] = {}
    for project_id, code, record, source, source_date in flags.itertuples(index=False):
        rule = rule_of[code]
        documents.setdefault(int(project_id), []).append(
            {
                "code": code,
                "label": rule.label,
                "rule": rule.rule,
                "severity": rule.severity,
                "evidence": {
                    "record": record,
                    "source": source,
                    "source_date": source_date.isoformat() if source_date else None,
                },
            }
        )
    return documents


def _store_with_orm(
    *, assessed: pd.DataFrame, rules: pd.DataFrame, flags: pd.DataFrame, as_of: date, now: datetime
) -> None:
    """The same upsert through the ORM, for the embedded SQLite (the real city's few hundred
    projects)."""
    documents = _flag_documents(rules, flags)
    stored = {
        project_id: (level, previous_level, changed_at)
        for project_id, level, previous_level, changed_at in RiskAssessment.objects.values_list(
            "project_id", "level", "previous_level", "level_changed_at"
        )
    }
    rows = []
    for project_id, level, ends_on, units in assessed.itertuples(index=False):
        stored_level, previous_level, changed_at = stored.get(project_id, ("", "", None))
        if stored_level != level:
            previous_level, changed_at = stored_level, now
        rows.append(
            RiskAssessment(
                project_id=project_id,
                level=level,
                as_of=as_of,
                assessed_at=now,
                flags=documents.get(project_id, []),
                previous_level=previous_level,
                level_changed_at=changed_at,
                affordability_ends_on=None if pd.isna(ends_on) else ends_on.date(),
                assisted_units_at_risk=None if pd.isna(units) else int(units),
            )
        )
    RiskAssessment.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["project"],
        update_fields=[
            "level",
            "as_of",
            "assessed_at",
            "flags",
            "previous_level",
            "level_changed_at",
            ENDS_ON,
            "assisted_units_at_risk",
        ],
    )
