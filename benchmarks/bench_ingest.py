"""Ingestion throughput on PostgreSQL against a bare COPY of the same rows.

Generates a seeded 200,000-row, 10-column CSV, loads it once with a bare COPY into a
plain table of the same columns (the physical limit of this machine), then through the
portal's machinery (read, validate every row, resolve the city references, COPY into
staging, one upsert), then again (every row unchanged).

    .venv/bin/python benchmarks/bench_ingest.py [--rows N]

Uses DATABASE_URL (default: a `civicportal_bench` database on 127.0.0.1, created if
missing). The last line is the summary:
ingest: rows=N copy_rows_per_s=A portal_rows_per_s=B ratio=R reimport_rows_per_s=C
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from benchmarks.django_setup import django_on_postgres  # noqa: E402

django_on_postgres("civicportal_bench")

from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402

from cities.ingestion import (  # noqa: E402  # noqa: E402
    BOOLEAN,
    DATE,
    DECIMAL,
    FLOAT,
    INTEGER,
    Column,
    DatasetSchema,
    Reference,
    copy_in,
    ingest_path,
    register_schema,
)
from cities.models import City, Dataset, IngestionRun  # noqa: E402
from cities.services import demo_data_load  # noqa: E402

CATEGORIES = ("permit", "inspection", "complaint", "license", "citation")


class BenchRecord(models.Model):
    """A ten-column record of a made-up city dataset, only for this benchmark."""

    record_id = models.CharField(max_length=20, unique=True)
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=20)
    title = models.CharField(max_length=120)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    quantity = models.IntegerField()
    recorded_on = models.DateField()
    is_active = models.BooleanField()
    score = models.FloatField(null=True)
    notes = models.TextField(blank=True)

    class Meta:
        app_label = "cities"
        db_table = "bench_ingest_record"

    def __str__(self) -> str:
        return self.record_id


@register_schema
class BenchRecordsSchema(DatasetSchema):
    slug = "benchmarks.records"
    model = BenchRecord
    key = ("record_id",)
    columns = (
        Column("record_id", max_length=20),
        Column("city", references=Reference(model=City, by="slug", noun="city")),
        Column("category", choices=CATEGORIES),
        Column("title", max_length=120),
        Column("amount", kind=DECIMAL),
        Column("quantity", kind=INTEGER),
        Column("recorded_on", kind=DATE),
        Column("is_active", kind=BOOLEAN),
        Column("score", kind=FLOAT, required=False),
        Column("notes", required=False),
    )


def synthetic_csv(path: Path, rows: int, seed: int = 20161001) -> None:
    rng = np.random.default_rng(seed)
    slugs = np.array(list(City.objects.values_list("slug", flat=True)))
    days = rng.integers(0, 3650, rows)
    frame = pd.DataFrame(
        {
            "record_id": [f"R{number:09d}" for number in range(rows)],
            "city": slugs[rng.integers(0, len(slugs), rows)],
            "category": np.array(CATEGORIES)[rng.integers(0, len(CATEGORIES), rows)],
            "title": [f"Record {number} of the benchmark" for number in range(rows)],
            "amount": (rng.integers(0, 10_000_000, rows) / 100).round(2),
            "quantity": rng.integers(-1000, 1000, rows),
            "recorded_on": (pd.Timestamp("2015-01-01") + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d"),
            "is_active": np.where(rng.random(rows) < 0.7, "true", "false"),
            "score": np.where(rng.random(rows) < 0.1, np.nan, rng.random(rows).round(6)),
            "notes": np.where(rng.random(rows) < 0.5, "", "checked, with a comma"),
        }
    )
    frame.to_csv(path, index=False, float_format="%.6g")


def bare_copy_seconds(path: Path, *, like_target: bool) -> float:
    """COPY the file as it is, with no processing at all.

    `like_target`: into a table with the target's keys and constraints (primary key,
    unique natural key, indexed foreign key to the cities, by slug since that is what the
    file holds): the physical limit of loading these rows into such a table, the baseline.
    Otherwise into a plain table with no index or constraint: the disk's limit, shown
    for information.
    """
    constraints = (
        (
            "id bigserial PRIMARY KEY, record_id varchar(20) NOT NULL UNIQUE, "
            "city varchar(60) NOT NULL REFERENCES cities_city (slug) DEFERRABLE INITIALLY DEFERRED"
        )
        if like_target
        else "record_id varchar(20), city varchar(60)"
    )
    columns = "record_id, city, category, title, amount, quantity, recorded_on, is_active, score, notes"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare_copy")
        cursor.execute(
            f"CREATE TABLE bench_bare_copy ({constraints}, category varchar(20) NOT NULL, "
            "title varchar(120) NOT NULL, amount numeric(12, 2) NOT NULL, quantity integer NOT NULL, "
            "recorded_on date NOT NULL, is_active boolean NOT NULL, score double precision, notes text NOT NULL)"
        )
        if like_target:
            cursor.execute("CREATE INDEX bench_bare_copy_city ON bench_bare_copy (city)")
        started = time.perf_counter()
        with path.open() as stream:
            copy_in(
                cursor,
                statement=f"COPY bench_bare_copy ({columns}) FROM STDIN "
                "WITH (FORMAT csv, HEADER true, FORCE_NOT_NULL (notes))",
                stream=stream,
            )
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_bare_copy")
    return elapsed


def timed_ingest(dataset: Dataset, path: Path) -> tuple[float, IngestionRun]:
    started = time.perf_counter()
    run = ingest_path(dataset=dataset, path=path)
    elapsed = time.perf_counter() - started
    if run.status != IngestionRun.Status.SUCCEEDED:
        raise SystemExit(f"the benchmark file was refused: {run.errors[:5]}")
    return elapsed, run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    rows = parser.parse_args().rows

    call_command("migrate", verbosity=0)
    demo_data_load()
    with connection.schema_editor() as editor:
        editor.execute("DROP TABLE IF EXISTS bench_ingest_record")
        editor.create_model(BenchRecord)
    dataset, _ = Dataset.objects.update_or_create(
        slug="benchmark-records",
        defaults={"title": "Benchmark records", "schema": BenchRecordsSchema.slug, "source": "benchmarks/"},
    )

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "records.csv"
        synthetic_csv(path, rows)
        size_mb = path.stat().st_size / 1024 / 1024
        print(f"file: {rows} rows, 10 columns, {size_mb:.1f} MB")

        plain_s = bare_copy_seconds(path, like_target=False)
        print(f"bare COPY, no index:    {plain_s:6.2f} s  {rows / plain_s:10,.0f} rows/s  (for information)")
        copy_s = bare_copy_seconds(path, like_target=True)
        print(f"bare COPY, keys and FK: {copy_s:6.2f} s  {rows / copy_s:10,.0f} rows/s  (the baseline)")
        portal_s, first = timed_ingest(dataset, path)
        created = first.rows_created
        print(f"portal, first load:     {portal_s:6.2f} s  {rows / portal_s:10,.0f} rows/s  (created {created})")
        reimport_s, again = timed_ingest(dataset, path)
        print(
            f"portal, same file:      {reimport_s:6.2f} s  {rows / reimport_s:10,.0f} rows/s  "
            f"(unchanged {again.rows_unchanged}, updated {again.rows_updated})"
        )
    assert first.rows_created == rows and again.rows_unchanged == rows
    with connection.schema_editor() as editor:
        editor.delete_model(BenchRecord)

    copy_rate, portal_rate, reimport_rate = rows / copy_s, rows / portal_s, rows / reimport_s
    print(
        f"ingest: rows={rows} copy_rows_per_s={copy_rate:.0f} portal_rows_per_s={portal_rate:.0f} "
        f"ratio={portal_rate / copy_rate:.2f} reimport_rows_per_s={reimport_rate:.0f}"
    )


if __name__ == "__main__":
    main()
