"""Preservation risk: builds the rules' inputs from the database, runs `housing.risk_rules`
on every project at once, and stores each project's current assessment.

Thresholds come from settings.HOUSING_RISK_THRESHOLDS (any field of
`housing.risk_rules.RiskThresholds`; the module's docstring states every rule).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any

import numpy as np
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
from housing.models import (
    InspectionScore,
    MarketIndicator,
    Project,
    RealPropertyEvent,
    RiskAssessment,
    RiskRefresh,
    Subsidy,
)
from housing.risk_rules import RULE_COLUMNS, MarketGrowth, RiskThresholds, assess_city

# NeighborhoodInfo DC's inflation-adjusted median sale price of single-family homes.
PRICE_INDICATOR = "r_mprice_sf"
TEXT = pa.string()


def risk_thresholds() -> RiskThresholds:
    return RiskThresholds(**getattr(settings, "HOUSING_RISK_THRESHOLDS", {}))


# The datasets the rules read, and the ingestion run of each a refresh records.
PROJECTS_SCHEMA = "housing.projects"
SUBSIDIES_SCHEMA = "housing.subsidies"
INSPECTIONS_SCHEMA = "housing.inspections"
EVENTS_SCHEMA = "housing.property_events"
MARKET_SCHEMA = "housing.cluster_indicators"
INPUT_SCHEMAS = (PROJECTS_SCHEMA, SUBSIDIES_SCHEMA, INSPECTIONS_SCHEMA, EVENTS_SCHEMA, MARKET_SCHEMA)


def _latest_runs() -> dict[str, IngestionRun | None]:
    """Each input dataset's latest successful ingestion: the version of it the rules read."""
    return {
        schema: IngestionRun.objects.filter(dataset__schema=schema, status=IngestionRun.Status.SUCCEEDED)
        .exclude(finished_at=None)
        .select_related("dataset")
        .order_by("-finished_at")
        .first()
        for schema in INPUT_SCHEMAS
    }


def _source(run: IngestionRun | None) -> tuple[str | None, date | None]:
    """A dataset's title and the day the portal last ingested it successfully: the source
    and source date of the evidence drawn from it."""
    if run is None or run.finished_at is None:
        return None, None
    return run.dataset.title, timezone.localdate(run.finished_at)


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


def _market_growth(run: IngestionRun | None) -> MarketGrowth:
    """Each cluster's 5-year growth of the median price. The source has no citywide row,
    so the city's growth is the median of the clusters' growths (documented with the rule)."""
    prices = _frame(
        MarketIndicator.objects.filter(geography_type="cluster", indicator=PRICE_INDICATOR),
        {"geography_code": ("cluster", TEXT), "year": ("year", pa.int64()), "value": ("median_price", pa.float64())},
    )
    growth = median_price_growth(prices)
    known = [value for value in growth.by_cluster.values() if value is not None]
    source, source_date = _source(run)
    return MarketGrowth(
        cluster_growth=growth.by_cluster,
        city_growth=float(pd.Series(known).median()) if known else None,
        from_year=growth.from_year,
        to_year=growth.to_year,
        source=source,
        source_date=source_date,
    )


def _inputs(runs: dict[str, IngestionRun | None]) -> dict[str, pd.DataFrame]:
    projects_source, projects_date = _source(runs[PROJECTS_SCHEMA])
    inspections_source, inspections_date = _source(runs[INSPECTIONS_SCHEMA])
    events_source, events_date = _source(runs[EVENTS_SCHEMA])
    # The rules key every row by the project's primary key: the records are read by their
    # foreign key, without a join for the catalog's text id (which the rules never show).
    projects = _frame(
        Project.objects.all(),
        {
            "pk": ("project_id", pa.int64()),
            "owner_type": ("owner_type", TEXT),
            "cluster_code": ("cluster", TEXT),
            "units_assisted_max": ("assisted_units", pa.float64()),
        },
    ).assign(source=projects_source, source_date=projects_date)
    # The rules and the affordability end read active subsidies only (`active_subsidies`).
    subsidies = _frame(
        Subsidy.objects.filter(active=True),
        {
            "project_id": ("project_id", pa.int64()),
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
            "project_id": ("project_id", pa.int64()),
            "inspected_on": ("inspected_on", pa.date32()),
            "score": ("score", pa.float64()),
        },
    ).assign(source=inspections_source, source_date=inspections_date)
    # The description names buyers (people among them): the evidence gives type and date only.
    events = _frame(
        RealPropertyEvent.objects.all(),
        {
            "project_id": ("project_id", pa.int64()),
            "event_date": ("occurred_on", pa.date32()),
            "event_type": ("event_type", TEXT),
        },
    ).assign(description="", source=events_source, source_date=events_date)
    return {"projects": projects, "subsidies": subsidies, "inspections": inspections, "events": events}


@dataclass(frozen=True)
class AssessmentWrites:
    """How many assessments a refresh created and changed; the others it left alone."""

    created: int
    changed: int


# What an assessment says: a refresh rewrites a row only when one of these changes.
COMPARED_COLUMNS = ("level", "flags", ENDS_ON, "assisted_units_at_risk")


@transaction.atomic
def risk_assessment_refresh(*, as_of: date | None = None) -> dict[str, int]:
    """Assess every project as of `as_of` (today by default) and store the result, one
    current assessment per project. Only new projects' assessments and those whose content
    (`COMPARED_COLUMNS`) changed are written: an unchanged one keeps its `assessed_at` and
    `as_of`, which so say since when it holds. A rule's text that differs only in the days
    it counts from `as_of` ("by 2031-12-07") is not a change: the flag stands as worded on
    the assessment's own day. An assessment of a later day than `as_of` (a refresh of the
    past) is rewritten. A project's `level_changed_at` moves only
    when its level changes. Records the run as a `RiskRefresh` (as of which day, when, what
    it changed, which ingestions it read). Returns how many projects are at each level.

    Every ingestion of DC data ends with this refresh, so once it commits it starts a new
    version of the data (`cities.data_cache`): the public pages' cached reads are read again."""
    started_at = timezone.now()
    as_of = as_of or timezone.localdate()
    runs = _latest_runs()
    inputs = _inputs(runs)
    city = assess_city(**inputs, market=_market_growth(runs[MARKET_SCHEMA]), as_of=as_of, thresholds=risk_thresholds())
    projects = inputs["projects"]
    status = affordability_status(projects=projects, subsidies=inputs["subsidies"])
    # One row per project, keyed by its primary key, in the order of `projects`.
    assessed = pd.DataFrame(
        {
            "project_id": projects["project_id"].to_numpy(),
            "level": city.levels.to_numpy(),
            ENDS_ON: status[ENDS_ON].reset_index(drop=True),
            "assisted_units_at_risk": status["assisted_units"].round().astype("Int64").reset_index(drop=True),
        }
    )
    assessed["content_digest"] = content_digests(assessed=assessed, rules=city.rules, flags=city.flags)
    store = _store_postgresql if connection.vendor == "postgresql" else _store_with_orm
    writes = store(assessed=assessed, rules=city.rules, flags=city.flags, as_of=as_of, now=started_at)
    refresh = RiskRefresh.objects.create(
        as_of=as_of,
        started_at=started_at,
        finished_at=timezone.now(),
        projects_assessed=len(assessed),
        assessments_created=writes.created,
        assessments_changed=writes.changed,
    )
    refresh.ingestion_runs.set([run for run in runs.values() if run is not None])
    transaction.on_commit(partial(data_version_bump, "housing"))
    counts = dict.fromkeys(RiskAssessment.Level.values, 0)
    counts.update(city.levels.value_counts().to_dict())
    return counts


ISO_DAY = r"\d{4}-\d{2}-\d{2}"


def content_digests(*, assessed: pd.DataFrame, rules: pd.DataFrame, flags: pd.DataFrame) -> np.ndarray:
    """One 64-bit digest (int64) per row of `assessed` of everything its assessment stores:
    the level, the end, the units and each flag's code, label, rule (but for the days it
    names), severity and evidence. A refresh compares it with the stored one instead of the
    flags' JSON.

    Pandas' hashing with its fixed key: the same in every process. A project's flags are
    added up, since their order follows from their codes (one flag per rule)."""
    # A rule's text names the days its window reaches from the refresh's day ("by 2031-12-07"):
    # a later day's refresh that finds the same flags leaves the assessment, its day and its
    # words as they were, rather than rewriting every flagged project each day.
    rules = rules.assign(rule=rules["rule"].str.replace(ISO_DAY, "", regex=True))
    rule_digests = pd.Series(_row_digests(rules[list(RULE_COLUMNS)]), index=rules["code"].to_numpy())
    flag_digests = _row_digests(
        pd.DataFrame(
            {
                "rule": rule_digests.reindex(flags["code"].to_numpy()).to_numpy(),
                "record": _hashed_texts(flags["record"]),
                "source": _hashed_texts(flags["source"]),
                "source_date": _days(flags["source_date"]),
            }
        )
    )
    flags_of_project = np.zeros(len(assessed), dtype=np.uint64)
    position = pd.Index(assessed["project_id"].to_numpy()).get_indexer(flags["project_id"].to_numpy())
    np.add.at(flags_of_project, position[position >= 0], flag_digests[position >= 0])
    digests = _row_digests(
        pd.DataFrame(
            {
                "level": _hashed_texts(assessed["level"]),
                ENDS_ON: _days(assessed[ENDS_ON]),
                "assisted_units_at_risk": assessed["assisted_units_at_risk"].fillna(-1).to_numpy(dtype=np.int64),
                "flags": flags_of_project,
            }
        )
    )
    return digests.view(np.int64)


def _hashed_texts(values: pd.Series) -> pd.Series:
    """Texts to hash as pandas' own text type hashes them, without building it: converting
    the flags' Python strings into it took half the digests' time. A missing text is NaN, which
    hashes as that type's missing value, so the digests are those stored before."""
    texts = pd.Series(values.to_numpy(dtype=object), dtype=object)
    return texts.where(texts.notna(), np.nan)


def _days(values: pd.Series) -> np.ndarray:
    """Dates as days: the digest hashes a date's number, which depends on its unit, and the
    two stores read dates in different ones."""
    days: np.ndarray = pd.to_datetime(values).to_numpy().astype("datetime64[D]")
    return days


def _row_digests(frame: pd.DataFrame) -> np.ndarray:
    digests: np.ndarray = pd.util.hash_pandas_object(frame, index=False, categorize=False).to_numpy()
    return digests


def _store_postgresql(
    *, assessed: pd.DataFrame, rules: pd.DataFrame, flags: pd.DataFrame, as_of: date, now: datetime
) -> AssessmentWrites:
    """Read the stored digests and keep the assessments whose digest differs (new ones among
    them) or whose stored one is of a later day than `as_of`: a refresh usually finds a few,
    and only they are copied into a staging table, with their flags, and built into JSON
    (in the rules' order). One statement then compares their content (`COMPARED_COLUMNS`)
    with the stored one and upserts the new ones and those that say something else; one
    that says the same under another digest (stored before digests were) gets only its
    digest. A level that changes keeps the one before it and the moment."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [RiskAssessment._meta.db_table])
        # Compared here rather than by joining every assessment in the database: reading two
        # numbers a project takes less than half the time of copying every assessment in to join.
        stored = _frame(
            RiskAssessment.objects.filter(as_of__lte=as_of, content_digest__isnull=False),
            {"project_id": ("project_id", pa.int64()), "content_digest": ("content_digest", pa.int64())},
        )
        # By position, not by reindexing: a missing one would turn the digests into floats,
        # which do not hold 64 bits.
        position = pd.Index(stored["project_id"].to_numpy()).get_indexer(assessed["project_id"].to_numpy())
        found = position >= 0
        unchanged = np.zeros(len(assessed), dtype=bool)
        unchanged[found] = (
            stored["content_digest"].to_numpy()[position[found]] == assessed["content_digest"].to_numpy()[found]
        )
        changed = assessed.loc[~unchanged]
        if changed.empty:
            return AssessmentWrites(created=0, changed=0)
        changed_csv = arrow_csv(
            pa.table(
                {
                    "project_id": pa.array(changed["project_id"], type=pa.int64()),
                    "level": pa.array(changed["level"], type=pa.string()),
                    ENDS_ON: pa.array(changed[ENDS_ON], type=pa.timestamp("ms")).cast(pa.date32()),
                    "assisted_units_at_risk": pa.array(changed["assisted_units_at_risk"], type=pa.int64()),
                    "content_digest": pa.array(changed["content_digest"], type=pa.int64()),
                }
            )
        )
        cursor.execute(
            "CREATE TEMPORARY TABLE risk_changed_stage (project_id bigint, level text,"
            f" {ENDS_ON} date, assisted_units_at_risk bigint, content_digest bigint) ON COMMIT DROP"
        )
        copy_in(cursor, statement="COPY risk_changed_stage FROM STDIN WITH (FORMAT csv)", stream=changed_csv)
        writes = _changed_assessments_write(
            cursor,
            rules=rules,
            flags=flags.loc[flags["project_id"].isin(changed["project_id"].to_numpy())],
            as_of=as_of,
            now=now,
        )
        cursor.execute("DROP TABLE risk_changed_stage")
    return writes


def _changed_assessments_write(
    cursor: Any, *, rules: pd.DataFrame, flags: pd.DataFrame, as_of: date, now: datetime
) -> AssessmentWrites:
    """The writes of `_store_postgresql` for the assessments in `risk_changed_stage`, whose
    flags are `flags`."""
    table = connection.ops.quote_name(RiskAssessment._meta.db_table)
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
    cursor.execute(
        "CREATE TEMPORARY TABLE risk_flag_stage (project_id bigint, code text, record text, source text,"
        " source_date date) ON COMMIT DROP"
    )
    copy_in(cursor, statement="COPY risk_flag_stage FROM STDIN WITH (FORMAT csv)", stream=flags_csv)
    # Their sizes, so that the plan joins them by hashing rather than row by row, with
    # the memory to hash every assessment at once.
    cursor.execute("ANALYZE risk_changed_stage, risk_flag_stage")
    cursor.execute("SET LOCAL work_mem = '128MB'")
    stored, new = (", ".join(f"{row}.{column}" for column in COMPARED_COLUMNS) for row in ("t", "a"))
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
        ),
        assessed AS (
            SELECT s.project_id, s.level, COALESCE(f.flags, '[]'::jsonb) AS flags, s.{ENDS_ON},
                   s.assisted_units_at_risk, s.content_digest
            FROM risk_changed_stage s LEFT JOIN project_flags f USING (project_id)
        ),
        compared AS (
            SELECT a.*, t.project_id IS NULL OR t.as_of > %s OR ({stored}) IS DISTINCT FROM ({new})
                   AS content_changed
            FROM assessed a LEFT JOIN {table} t USING (project_id)
        ),
        redigested AS (
            UPDATE {table} t SET content_digest = c.content_digest FROM compared c
            WHERE t.project_id = c.project_id AND NOT c.content_changed
        ),
        written AS (
            INSERT INTO {table} AS t (project_id, level, as_of, assessed_at, flags, previous_level,
                                      level_changed_at, {ENDS_ON}, assisted_units_at_risk, content_digest)
            SELECT project_id, level, %s, %s, flags, '', %s, {ENDS_ON}, assisted_units_at_risk, content_digest
            FROM compared WHERE content_changed
            ON CONFLICT (project_id) DO UPDATE SET
                level = EXCLUDED.level,
                as_of = EXCLUDED.as_of,
                assessed_at = EXCLUDED.assessed_at,
                flags = EXCLUDED.flags,
                previous_level = CASE WHEN t.level = EXCLUDED.level THEN t.previous_level ELSE t.level END,
                level_changed_at = CASE WHEN t.level = EXCLUDED.level THEN t.level_changed_at
                                        ELSE EXCLUDED.level_changed_at END,
                {ENDS_ON} = EXCLUDED.{ENDS_ON},
                assisted_units_at_risk = EXCLUDED.assisted_units_at_risk,
                content_digest = EXCLUDED.content_digest
            -- A row the statement inserted has no deleting transaction yet (xmax 0); an
            -- updated one has this one's.
            RETURNING t.xmax = 0 AS created
        )
        SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM written
        """,
        [*rule_params, as_of, as_of, now, now],
    )
    created, changed = cursor.fetchone()
    cursor.execute("DROP TABLE risk_flag_stage")
    return AssessmentWrites(created=created, changed=changed)


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
) -> AssessmentWrites:
    """The same writes through the ORM, for the embedded SQLite (the real city's few hundred
    projects): the stored assessments are read and compared in Python, by digest first."""
    documents = _flag_documents(rules, flags)
    stored = {assessment.project_id: assessment for assessment in RiskAssessment.objects.order_by()}
    created, changed, redigested = [], [], []
    for project_id, level, ends_on, units, digest in assessed.itertuples(index=False):
        content = {
            "level": level,
            "flags": documents.get(project_id, []),
            ENDS_ON: None if pd.isna(ends_on) else ends_on.date(),
            "assisted_units_at_risk": None if pd.isna(units) else int(units),
        }
        assessment = stored.get(project_id)
        if assessment is None:
            created.append(
                RiskAssessment(
                    project_id=project_id,
                    as_of=as_of,
                    assessed_at=now,
                    level_changed_at=now,
                    content_digest=digest,
                    **content,
                )
            )
            continue
        if assessment.as_of <= as_of and assessment.content_digest == digest:
            continue
        if assessment.as_of <= as_of and all(
            getattr(assessment, column) == content[column] for column in COMPARED_COLUMNS
        ):
            if assessment.content_digest != digest:
                assessment.content_digest = digest
                redigested.append(assessment)
            continue
        if assessment.level != level:
            assessment.previous_level, assessment.level_changed_at = assessment.level, now
        for column, value in {**content, "as_of": as_of, "assessed_at": now, "content_digest": digest}.items():
            setattr(assessment, column, value)
        changed.append(assessment)
    RiskAssessment.objects.bulk_create(created, batch_size=500)
    RiskAssessment.objects.bulk_update(
        changed,
        [*COMPARED_COLUMNS, "as_of", "assessed_at", "previous_level", "level_changed_at", "content_digest"],
        batch_size=500,
    )
    RiskAssessment.objects.bulk_update(redigested, ["content_digest"], batch_size=500)
    return AssessmentWrites(created=len(created), changed=len(changed))
