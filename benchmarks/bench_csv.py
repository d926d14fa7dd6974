"""Every citation through the API, as a partner would fetch it: one CSV download
(`?format=csv`, streamed) against walking every JSON page (`page_size=500`), in the same
process, on the same rows. Citations are the widest list with prefetched relations
(violations, court dates), so they cost the most per row.

After the demo data and the St. Louis sample, `courts.synthetic.court_data_generate` adds
synthetic citations (a seeded generator) up to `--citations`. For each answer it times
`--runs` fetches through Django's test client, deployed settings (DEBUG off), and measures
the peak of Python's allocations (tracemalloc) during one more fetch, the body being read as
a client reads it: the CSV piece by piece, each JSON page whole.

    .venv/bin/python benchmarks/bench_csv.py [--citations N] [--runs R]

Uses DATABASE_URL (default: a `civicportal_bench_csv` database on 127.0.0.1, created if
missing; its citations are replaced). The last line is the summary: rows, median seconds
and peak MB of each, and the ratios (JSON walk / CSV):
csv: rows=N csv_s=A json_walk_s=B time_ratio=B/A csv_peak_mb=C json_walk_peak_mb=D memory_ratio=D/C
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
# A walk of every page is many requests from one client; the limit is not what is measured.
os.environ["API_THROTTLE_USER"] = "1000000/minute"
logging.getLogger("kombu.connection").setLevel(logging.ERROR)

from benchmarks.django_setup import django_on_postgres  # noqa: E402

django_on_postgres("civicportal_bench_csv")

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from cities.services import demo_data_load  # noqa: E402
from courts.models import Citation  # noqa: E402
from courts.services import courts_demo_data_load  # noqa: E402
from courts.synthetic import court_data_generate  # noqa: E402

SEED = 2026
CITATIONS = "/api/v1/courts/citations/"


def csv_download(client: Client) -> int:
    answer = client.get(CITATIONS, {"format": "csv"})
    assert answer.status_code == 200 and answer.streaming, answer
    lines = sum(piece.count(b"\n") for piece in answer)
    return lines - 1


def json_walk(client: Client) -> int:
    rows, page = 0, 1
    while True:
        body = client.get(CITATIONS, {"page_size": 500, "page": page}).json()
        rows += len(body["results"])
        if body["next"] is None:
            return rows
        page += 1


def timed(fetch: Callable[[Client], int], client: Client, runs: int) -> tuple[int, float, float]:
    """Rows, median seconds over `runs`, and the peak MB Python allocated during one more."""
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        rows = fetch(client)
        seconds.append(time.perf_counter() - started)
    tracemalloc.start()
    fetch(client)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return rows, statistics.median(seconds), peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citations", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()

    call_command("migrate", verbosity=0)
    Citation.objects.all().delete()
    demo_data_load()
    courts_demo_data_load(data_dir=settings.CIVIC_DATA_DIR)
    missing = arguments.citations - Citation.objects.count()
    if missing > 0:
        court_data_generate(citations=missing, seed=SEED)
    reader, _ = get_user_model().objects.get_or_create(username="bench-csv-reader", is_superuser=True)
    client = Client()
    client.force_login(reader)

    csv_rows, csv_s, csv_mb = timed(csv_download, client, arguments.runs)
    json_rows, json_s, json_mb = timed(json_walk, client, arguments.runs)
    assert csv_rows == json_rows == Citation.objects.count(), (csv_rows, json_rows)
    print(
        f"csv: rows={csv_rows} csv_s={csv_s:.2f} json_walk_s={json_s:.2f} time_ratio={json_s / csv_s:.2f} "
        f"csv_peak_mb={csv_mb:.1f} json_walk_peak_mb={json_mb:.1f} memory_ratio={json_mb / csv_mb:.1f}"
    )


if __name__ == "__main__":
    main()
