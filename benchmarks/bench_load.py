"""Every public page and API answer of the three city apps under concurrent connections: DC
housing at 200,000 projects, St. Louis courts at 2,000,000 citations and Boston's summer jobs
at their demo size, served by gunicorn with 2 workers on loopback.

The data is built once and reused by later runs (on the same DATABASE_URL): the scaled DC
Preservation Catalog of `bench_housing` (its generator and ingestion, then the real
inspections, sales and market figures and the risk refresh), the synthetic citations of
`courts.synthetic` (as `bench_lookup` writes them) and Boston's demo season. Then it starts
`gunicorn civicportal.wsgi:application` with production settings on 127.0.0.1, waits until
it answers, and sends a fixed number of requests from a fixed number of connections at
once (aiohttp, on loopback only), round-robin over a list of addresses built from the data:

- DC housing: the dashboard (no filter, filters, a later page of the table), project pages,
  the map's points and the boundaries (gzip asked for, as a browser does), the expiry
  timeline's CSV, and the API's projects (first page, a later page, a filter, an ordering),
  project, risk assessments, subsidies, inspections, market indicators, expiry timeline (with
  a partner's token) and owners (with a DC staff token: owners may be people);
- St. Louis courts: the courts dashboard, the find-my-ticket page and its search (the form
  sent with its CSRF token, answered by a redirect, then the tickets page), the list of
  courts and a court's page, the stories and the story form, the boundaries, the API's
  lookup (a real citation number and date of birth), courts, municipalities, judges, court
  statistics, and citations (pages, filters) with a token allowed to see defendants;
- Boston: the summer jobs dashboard, the open positions, the file formats, the offer finder,
  the neighbourhoods, and the API's positions, a position, programme figures, seasons, and
  applicants and placements with a summer jobs staff token.

Not measured: the projects' CSV export (a download of the whole filtered table, not a page)
and a youth's offer page (a private link). The connections share one client's cookies.

Each request's time is from sending it to having read the whole answer. Prints p50/p95/p99
per group of addresses and overall; an answer other than the one expected (200, or the
search's redirect) counts as an error and is named. The last line is:
load: connections=C workers=W requests=N p50_ms=A p95_ms=B p99_ms=D slowest=<group> errors=E

    .venv/bin/python benchmarks/bench_load.py [--projects N] [--citations N] [--requests N]
        [--connections C] [--workers W]

Uses DATABASE_URL (default: a `civicportal_bench_load` database on 127.0.0.1, created if
missing) and REDIS_URL / REDIS_CACHE_URL when set (the deployed cache; otherwise each
worker has its own memory cache).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.django_setup import django_on_postgres  # noqa: E402

django_on_postgres("civicportal_bench_load")

# The scaled Catalog's generator and ingestion: one way to build the DC data at scale.
import aiohttp  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402
from yarl import URL  # noqa: E402

from benchmarks.bench_housing import housing_tables_empty, scaled_catalog_write, timed_ingest  # noqa: E402
from cities.models import City  # noqa: E402
from cities.roles import PARTNERS  # noqa: E402
from cities.services import app_demo_data_load, demo_data_load  # noqa: E402
from cities.tokens import api_token_create  # noqa: E402
from courts.models import Citation, Court  # noqa: E402
from courts.roles import ST_LOUIS_DEFENDANT_STAFF  # noqa: E402
from courts.services import courts_demo_data_load  # noqa: E402
from courts.synthetic import court_data_generate  # noqa: E402
from housing.models import Project  # noqa: E402
from housing.roles import DC_STAFF  # noqa: E402
from housing.services import derived_data_refresh, housing_demo_data_load  # noqa: E402
from youthjobs.models import Position  # noqa: E402
from youthjobs.roles import BOSTON_STAFF  # noqa: E402

SEED = 2026
TARGET_P95_MS = 300
READY_TIMEOUT_S = 120
REQUEST_TIMEOUT_S = 120
PROJECT_PAGES = 20
# The DC map's views (`housing.views.map_points`): the whole city, and a closer look.
WHOLE_CITY_VIEW = "bbox=-77.12,38.791,-76.909,38.996&zoom=12.5"
SOUTH_EAST_VIEW = "bbox=-77.04,38.81,-76.96,38.88&zoom=14"
COURT_PAGES = 5
LOOKUPS = 20


@dataclass(frozen=True)
class Request:
    group: str
    method: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    json: dict[str, str] | None = None
    # A page's form, sent with the CSRF token its client was given.
    form: dict[str, str] | None = None
    status: int = 200


# ---------------------------------------------------------------- the data, built once


def housing_data_build(projects: int) -> None:
    """The scaled Catalog and the rules' other inputs, assessed; kept if already there."""
    if Project.objects.count() == projects:
        print(f"DC housing: {projects:,} projects already loaded")
        return
    housing_tables_empty()
    with tempfile.TemporaryDirectory() as folder:
        files = scaled_catalog_write(Path(folder), projects=projects)
        timed_ingest("housing.projects", files.projects)
        timed_ingest("housing.subsidies", files.subsidies)
    housing_demo_data_load(data_dir=settings.CIVIC_DATA_DIR)
    derived_data_refresh()
    print(f"DC housing: {Project.objects.count():,} projects loaded and assessed")


def courts_data_build(citations: int) -> None:
    """The real St. Louis files and synthetic citations up to `citations`; kept if there."""
    courts_demo_data_load(data_dir=settings.CIVIC_DATA_DIR)
    synthetic = Citation.objects.filter(synthetic=True).count()
    if synthetic < citations:
        court_data_generate(citations=citations, seed=SEED)
    with connection.cursor() as cursor:
        for table in ("courts_citation", "courts_violation", "courts_warrant", "courts_courtdate"):
            cursor.execute(f"ANALYZE {table}")
    print(f"St. Louis courts: {Citation.objects.count():,} citations")


def data_build(*, projects: int, citations: int) -> None:
    call_command("migrate", verbosity=0)
    if not City.objects.exists():
        demo_data_load()
    housing_data_build(projects)
    courts_data_build(citations)
    if not Position.objects.exists():
        app_demo_data_load(data_dir=settings.CIVIC_DATA_DIR, labels={"youthjobs"})
    print(f"Boston summer jobs: {Position.objects.count():,} positions")


def api_token_for(username: str, *groups: str) -> str:
    """An API token of a user in `groups` (the roles the migrations ship), as partners and
    staff are given one (a fresh one each run)."""
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.groups.set(Group.objects.filter(name__in=groups))
    return api_token_create(user=user)[1]


# ---------------------------------------------------------------- the addresses


@dataclass(frozen=True)
class Tokens:
    """`partner`: a partner's (public data); `personal`: one granted the personal data, DC's
    owners, St. Louis's defendants and Boston's applicants and placements."""

    partner: str
    personal: str

    def header(self, key: str) -> tuple[tuple[str, str], ...]:
        return (("Authorization", f"Token {key}"),)


def housing_requests(rng: np.random.Generator, tokens: Tokens) -> list[Request]:
    """DC's pages and API answers; not the projects' CSV export, a download of the whole table."""
    api, staff = tokens.header(tokens.partner), tokens.header(tokens.personal)
    gzip = (("Accept-Encoding", "gzip, deflate, br"),)
    dashboard = reverse("housing:home")
    projects = reverse("housing-project-list")
    project_ids = list(Project.objects.order_by("pk").values_list("nlihc_id", flat=True))
    sampled_projects = rng.choice(project_ids, min(PROJECT_PAGES, len(project_ids)), replace=False).tolist()
    ward = "Ward+8"
    map_points = reverse("housing:map-points")
    requests = [
        Request("housing dashboard", "GET", dashboard),
        Request("housing dashboard, filtered", "GET", f"{dashboard}?ward={ward}"),
        Request("housing dashboard, filtered", "GET", f"{dashboard}?risk_level=high"),
        Request("housing dashboard, filtered", "GET", f"{dashboard}?program=Low+income+housing+tax+credit"),
        Request("housing dashboard, filtered", "GET", f"{dashboard}?page=3"),
        # As the map asks when it opens (the whole city) and after zooming into the south-east.
        Request("housing map points", "GET", f"{map_points}?{WHOLE_CITY_VIEW}", gzip),
        Request("housing map points", "GET", f"{map_points}?ward={ward}&{WHOLE_CITY_VIEW}", gzip),
        Request("housing map points", "GET", f"{map_points}?{SOUTH_EAST_VIEW}", gzip),
        Request("housing timeline CSV", "GET", reverse("housing:expiry-timeline-csv")),
        Request("housing boundaries", "GET", reverse("housing:boundaries", args=["wards"]), gzip),
        Request("housing boundaries", "GET", reverse("housing:boundaries", args=["clusters"]), gzip),
        Request("housing API projects", "GET", projects, api),
        Request("housing API projects", "GET", f"{projects}?page=100", api),
        Request("housing API projects", "GET", f"{projects}?ward={ward}", api),
        Request("housing API projects", "GET", f"{projects}?ordering=-affordability_ends_on", api),
        Request("housing API lists", "GET", reverse("housing-riskassessment-list"), api),
        Request("housing API lists", "GET", f"{reverse('housing-riskassessment-list')}?risk_level=high", api),
        Request("housing API lists", "GET", reverse("housing-subsidy-list"), api),
        Request("housing API lists", "GET", f"{reverse('housing-subsidy-list')}?page=100", api),
        Request("housing API lists", "GET", reverse("housing-inspection-list"), api),
        Request("housing API lists", "GET", reverse("housing-marketindicator-list"), api),
        Request("housing API lists", "GET", reverse("housing-owner-list"), staff),
        Request("housing API lists", "GET", f"{reverse('housing-owner-list')}?page=3", staff),
        Request("housing API timeline", "GET", reverse("housing-expirytimeline-list"), api),
    ]
    for nlihc_id in sampled_projects:
        requests.append(Request("housing project page", "GET", reverse("housing:project", args=[nlihc_id])))
        requests.append(Request("housing API detail", "GET", reverse("housing-project-detail", args=[nlihc_id]), api))
    return requests


def courts_requests(tokens: Tokens) -> list[Request]:
    """St. Louis's pages and API answers, the ticket lookup by its page's form and by the API."""
    api, staff = tokens.header(tokens.partner), tokens.header(tokens.personal)
    courts = list(Court.objects.order_by("pk").values_list("slug", flat=True)[:COURT_PAGES])
    people = list(
        Citation.objects.filter(synthetic=True)
        .order_by("pk")
        .exclude(date_of_birth=None)
        .values_list("citation_number", "date_of_birth")[: LOOKUPS * 100 : 100]
    )
    citations = reverse("courts-citation-list")
    requests = [
        Request("courts dashboard", "GET", reverse("courts:home")),
        Request("courts pages", "GET", reverse("courts:find-ticket")),
        Request("courts pages", "GET", reverse("courts:court-list")),
        Request("courts pages", "GET", reverse("courts:stories")),
        Request("courts pages", "GET", reverse("courts:story-new")),
        Request("courts boundaries", "GET", reverse("courts:boundaries"), (("Accept-Encoding", "gzip"),)),
        Request("courts API lists", "GET", reverse("courts-court-list"), api),
        Request("courts API lists", "GET", reverse("courts-municipality-list"), api),
        Request("courts API lists", "GET", reverse("courts-judge-list"), api),
        Request("courts API lists", "GET", reverse("courts-court-statistics"), api),
        Request("courts API citations", "GET", citations, staff),
        Request("courts API citations", "GET", f"{citations}?page=1000", staff),
        Request("courts API citations", "GET", f"{citations}?court={courts[0]}", staff),
        Request("courts API citations", "GET", f"{citations}?warrant=true", staff),
        Request("courts API citations", "GET", f"{citations}?issued_after=2015-01-01&ordering=-citation_date", staff),
    ]
    requests += [Request("courts court page", "GET", reverse("courts:court", args=[slug])) for slug in courts]
    for number, born in people:
        if born is None:
            continue
        form = {"kind": "citation", "citation_number": number, "date_of_birth": born.isoformat()}
        requests.append(Request("courts API lookup", "POST", reverse("courts-lookup"), json=form))
        # The page's form answers with a redirect to the tickets found, then shows them.
        requests.append(Request("courts lookup page", "POST", reverse("courts:find-ticket"), form=form, status=302))
        requests.append(Request("courts lookup page", "GET", reverse("courts:tickets")))
    return requests


def youthjobs_requests(tokens: Tokens) -> list[Request]:
    """Boston's pages and API answers; not a youth's offer, a private link."""
    api, staff = tokens.header(tokens.partner), tokens.header(tokens.personal)
    position = Position.objects.order_by("pk").values_list("position_id", flat=True).first()
    return [
        Request("youthjobs dashboard", "GET", reverse("youthjobs:home")),
        Request("youthjobs pages", "GET", reverse("youthjobs:positions")),
        Request("youthjobs pages", "GET", reverse("youthjobs:file-formats")),
        Request("youthjobs pages", "GET", reverse("youthjobs:offer-find")),
        Request("youthjobs pages", "GET", reverse("youthjobs:neighbourhoods"), (("Accept-Encoding", "gzip"),)),
        Request("youthjobs API", "GET", reverse("youthjobs-position-list"), api),
        Request("youthjobs API", "GET", reverse("youthjobs-position-detail", args=[position]), api),
        Request("youthjobs API", "GET", reverse("youthjobs-figures"), api),
        Request("youthjobs API", "GET", reverse("youthjobs-seasons"), api),
        Request("youthjobs API personal", "GET", reverse("youthjobs-applicant-list"), staff),
        Request("youthjobs API personal", "GET", reverse("youthjobs-placement-list"), staff),
    ]


def requests_of_the_three_apps(tokens: Tokens) -> list[Request]:
    """Every public page and API answer of the three apps, for rows sampled from the data."""
    rng = np.random.default_rng(SEED)
    return housing_requests(rng, tokens) + courts_requests(tokens) + youthjobs_requests(tokens)


# ---------------------------------------------------------------- the server


def gunicorn_start(*, port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    """gunicorn as the Dockerfile runs it, with production settings, on loopback only."""
    static_root = tempfile.mkdtemp(prefix="bench-load-static-")
    env = {
        **os.environ,
        "STATIC_ROOT": static_root,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "false",
        "HTTPS": "false",
        # One client sends every request: the per-client limits are not what is measured.
        "COURTS_LOOKUP_ATTEMPTS": str(10**9),
        "API_THROTTLE_USER": "1000000/minute",
        "API_THROTTLE_ANON": "1000000/minute",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "civicportal.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        str(REQUEST_TIMEOUT_S),
    ]
    with log.open("wb") as output:
        # The project's own server and settings; nothing in the command comes from outside.
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603


async def server_wait(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise SystemExit(f"gunicorn ended with exit code {server.returncode} before answering")
            try:
                async with session.get(f"{base}/") as response:
                    await response.read()
                    return
            except aiohttp.ClientError:
                await asyncio.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer within {READY_TIMEOUT_S} s")


# ---------------------------------------------------------------- the load


async def load_run(
    base: str, requests: list[Request], *, total: int, connections: int
) -> tuple[dict[str, list[float]], list[str]]:
    """Send `total` requests, cycling through `requests`, from `connections` connections at
    once; return each group's times in ms and the errors."""
    queue: asyncio.Queue[Request] = asyncio.Queue()
    for number in range(total):
        queue.put_nowait(requests[number % len(requests)])
    times: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)

    async def connection_loop(session: aiohttp.ClientSession) -> None:
        while not queue.empty():
            request = queue.get_nowait()
            data = None
            if request.form is not None:
                data = {**request.form, "csrfmiddlewaretoken": csrf_token(session)}
            started = time.perf_counter()
            # aiohttp would unzip the map's points itself: the time is the transfer's, either way.
            async with session.request(
                request.method,
                base + request.path,
                headers=dict(request.headers),
                json=request.json,
                data=data,
                allow_redirects=False,
            ) as response:
                await response.read()
                status = response.status
            times[request.group].append(1000 * (time.perf_counter() - started))
            if status != request.status:
                errors.append(f"{request.method} {request.path}: {status}")

    connector = aiohttp.TCPConnector(limit=connections)
    # `unsafe`: the server is an IP address (loopback), whose cookies aiohttp refuses otherwise.
    cookies = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, auto_decompress=False, cookie_jar=cookies
    ) as session:
        # The connections share one client's cookies: its CSRF token, and its session's proven tickets.
        async with session.get(base + reverse("courts:find-ticket")) as response:
            await response.read()
        await asyncio.gather(*(connection_loop(session) for _ in range(connections)))
    return times, errors


def csrf_token(session: aiohttp.ClientSession) -> str:
    """The CSRF cookie's secret, which Django takes as the form's token too."""
    cookie = session.cookie_jar.filter_cookies(URL("http://127.0.0.1/")).get(settings.CSRF_COOKIE_NAME)
    if cookie is None:
        raise SystemExit("the find-my-ticket page set no CSRF cookie")
    return cookie.value


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    p50, p95, p99 = np.percentile(samples, [50, 95, 99])
    return float(p50), float(p95), float(p99)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=200_000)
    parser.add_argument("--citations", type=int, default=2_000_000)
    parser.add_argument("--requests", type=int, default=3_000)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    arguments = parser.parse_args()

    data_build(projects=arguments.projects, citations=arguments.citations)
    tokens = Tokens(
        partner=api_token_for("load-benchmark-partner", PARTNERS),
        personal=api_token_for("load-benchmark-staff", DC_STAFF, ST_LOUIS_DEFENDANT_STAFF, BOSTON_STAFF),
    )
    requests = requests_of_the_three_apps(tokens)
    # gunicorn's workers open their own connections.
    connection.close()

    base = f"http://127.0.0.1:{arguments.port}"
    with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
        log = Path(folder) / "gunicorn.log"
        server = gunicorn_start(port=arguments.port, workers=arguments.workers, log=log)
        try:
            asyncio.run(server_wait(base, server))
            # Every address once, so the caches hold what a running site's would.
            asyncio.run(load_run(base, requests, total=len(requests), connections=1))
            started = time.perf_counter()
            times, errors = asyncio.run(
                load_run(base, requests, total=arguments.requests, connections=arguments.connections)
            )
            elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
            gunicorn_output = log.read_text(errors="replace")
    if server.returncode not in (0, -15) and "Traceback" in gunicorn_output:
        print(gunicorn_output[-3000:])

    print(
        f"{arguments.requests:,} requests from {arguments.connections} connections to gunicorn with "
        f"{arguments.workers} workers in {elapsed:.1f} s ({arguments.requests / elapsed:.1f} requests/s); "
        f"{len(requests)} addresses, target p95 <= {TARGET_P95_MS} ms"
    )
    print(f"{'group':<32} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for group, samples in sorted(times.items(), key=lambda item: -percentiles(item[1])[1]):
        p50, p95, p99 = percentiles(samples)
        over = "  over the target" if p95 > TARGET_P95_MS else ""
        print(f"{group:<32} {len(samples):>8} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f}{over}")
    for error in sorted(set(errors))[:20]:
        print(f"error: {error}")
    every = [sample for samples in times.values() for sample in samples]
    p50, p95, p99 = percentiles(every)
    slowest = max(times, key=lambda group: percentiles(times[group])[1])
    print(
        f"load: connections={arguments.connections} workers={arguments.workers} requests={len(every)} "
        f"p50_ms={p50:.1f} p95_ms={p95:.1f} p99_ms={p99:.1f} slowest={slowest.replace(' ', '_')} "
        f"errors={len(errors)}"
    )


if __name__ == "__main__":
    main()
