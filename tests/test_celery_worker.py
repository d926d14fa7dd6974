"""Ingestion through a real Celery worker process and the real Redis, as deployed: the
web process stores the file and sends the run's id; the worker reads the file from the
shared MEDIA_ROOT and writes the rows to the same database.

The worker's broker and results are a Redis database of their own: every test's cache
clearing (conftest.py) empties the suite's REDIS_URL database, and would take queued
messages and results with it if another test process shared the server."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
import yaml
from celery.backends.redis import RedisBackend
from celery.result import AsyncResult, EagerResult, allow_join_result
from django.conf import settings
from django.db import connection

from cities.ingestion import ingestion_run_create
from cities.models import Dataset, Grant, IngestionRun, Job
from cities.services import demo_data_load
from cities.tasks import ingestion_run_task, jobs_resume_task
from civicportal.celery import app as celery_app
from tests.processes import REPO, VENV_BIN, Started, database_url, start
from tests.redis_databases import redis_spare_url

pytestmark = pytest.mark.services

# One demo grant as it is, one changed (amount and purpose), one new grant.
GRANTS_CSV = b"""reference,funder,city,amount,purpose,starts_on,ends_on
ctdc-2016-boston,living-cities,boston,200000.00,Civic Tech and Data Collaborative: core city grant,2016-10-01,2018-03-31
ctdc-2016-seattle,living-cities,seattle,12500.00,Learning partner grant and its extension,2016-10-01,2018-03-31
worker-test-2025-boston,living-cities,boston,50000.00,Summer jobs matching follow-up,2025-01-01,2025-12-31
"""


@dataclass
class Worker:
    started: Started
    queue: str
    hostname: str
    media_root: Path
    redis_url: str


def worker_start(
    *, name: str, redis_url: str, media_root: Path, log: Path, environment: dict[str, str] | None = None
) -> Started:
    """A real worker (prefork, one child, as deployed) on the test database, a queue and a
    Redis database of its own; returns once it is ready to take tasks."""
    command = [
        str(VENV_BIN / "celery"),
        "-A",
        "civicportal",
        "worker",
        "--concurrency=1",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=INFO",
        f"--queues={name}",
        f"--hostname=celery@{name}",
    ]
    full_environment = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MEDIA_ROOT": str(media_root),
        **(environment or {}),
    }
    started = start(command, env=full_environment, log=log, cwd=REPO)
    try:
        started.wait_for(lambda: f"celery@{name} ready." in started.output(), timeout=60, what="worker ready")
    except BaseException:
        started.stop()
        raise
    return started


@pytest.fixture(scope="module")
def worker(django_db_setup: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worker]:
    """One worker on a queue and a Redis database of its own, so it takes no stray task,
    on the test database (pytest-django has renamed the connection's database by now)
    and a MEDIA_ROOT the tests also store files in."""
    name = f"portal-test-{uuid.uuid4().hex[:12]}"
    media_root = tmp_path_factory.mktemp("worker-media")
    redis_url = redis_spare_url(broker_url=settings.REDIS_URL, cache_url=settings.REDIS_CACHE_URL)
    started = worker_start(name=name, redis_url=redis_url, media_root=media_root, log=media_root.parent / "worker.log")
    try:
        yield Worker(started=started, queue=name, hostname=name, media_root=media_root, redis_url=redis_url)
    finally:
        started.stop()


@pytest.fixture
def sent_through_redis() -> Iterator[None]:
    # The test process runs tasks eagerly (settings); here they must go to the broker.
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = eager


def result_get(result: AsyncResult, *, timeout: float) -> Any:
    """The task's result. Celery keeps "a task is running here, so never block" in one flag of
    the process, set around each eager task and put back after it; eager tasks that ran at
    once in two of the test process's threads (the live server's offers sent after the
    response) can leave it set. This process runs no task now: it may wait."""
    with allow_join_result():
        return result.get(timeout=timeout)


def send(run: IngestionRun, worker: Worker) -> dict[str, Any]:
    with celery_app.connection_for_write(worker.redis_url) as broker:
        sent = ingestion_run_task.apply_async(args=[run.pk], queue=worker.queue, connection=broker)
    assert not isinstance(sent, EagerResult)
    result = AsyncResult(sent.id, backend=RedisBackend(app=celery_app, url=worker.redis_url), app=celery_app)
    worker.started.wait_for(result.ready, timeout=60, what=f"result of task {result.id}")
    summary = result_get(result, timeout=1)
    assert f"Task cities.tasks.ingestion_run_task[{result.id}] succeeded" in worker.started.output()
    return summary


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("sent_through_redis")
def test_worker_ingests_a_run_and_a_redelivery_changes_nothing(worker: Worker, settings) -> None:
    settings.MEDIA_ROOT = worker.media_root
    demo_data_load()
    grants = Dataset.objects.get(slug="grants")
    grant_count = Grant.objects.count()
    run = ingestion_run_create(dataset=grants, stream=io.BytesIO(GRANTS_CSV), file_name="grants-2025.csv")

    summary = send(run, worker)

    assert summary == {
        "run": run.pk,
        "status": "succeeded",
        "created": 1,
        "updated": 1,
        "unchanged": 1,
        "rejected": 0,
    }
    run.refresh_from_db()
    assert run.status == IngestionRun.Status.SUCCEEDED
    assert (run.rows_read, run.rows_created, run.rows_updated, run.rows_unchanged) == (3, 1, 1, 1)
    assert run.error_count == 0
    assert Grant.objects.count() == grant_count + 1
    assert Grant.objects.get(reference="ctdc-2016-seattle").amount == Decimal("12500.00")
    assert Grant.objects.get(reference="worker-test-2025-boston").city.slug == "boston"
    finished_at = run.finished_at

    # The broker delivers the same message again (acks_late after a lost worker).
    assert send(run, worker) == summary
    run.refresh_from_db()
    assert run.finished_at == finished_at
    assert (run.rows_created, run.rows_updated, run.rows_unchanged) == (1, 1, 1)
    assert Grant.objects.count() == grant_count + 1

    # The same file offered again is a new run that finds every row as it is.
    again = ingestion_run_create(dataset=grants, stream=io.BytesIO(GRANTS_CSV), file_name="grants-2025.csv")
    assert send(again, worker) == {
        "run": again.pk,
        "status": "succeeded",
        "created": 0,
        "updated": 0,
        "unchanged": 3,
        "rejected": 0,
    }
    assert Grant.objects.count() == grant_count + 1


def test_worker_answers_the_compose_healthcheck(worker: Worker) -> None:
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    kind, command = compose["services"]["worker"]["healthcheck"]["test"]
    assert kind == "CMD-SHELL"
    environment = {
        **os.environ,
        "REDIS_URL": worker.redis_url,
        "HOSTNAME": worker.hostname,
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}",
    }
    started = time.monotonic()
    result = subprocess.run(
        ["sh", "-c", command.replace("$$", "$")],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"celery@{worker.hostname}: OK" in result.stdout
    assert time.monotonic() - started < 30, "the healthcheck must answer well within its timeout"


def test_celery_is_configured_for_redelivery_from_redis() -> None:
    conf = celery_app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.broker_url == settings.REDIS_URL
    assert conf.result_backend == settings.REDIS_URL
    assert conf.task_serializer == "json"
    assert ingestion_run_task.acks_late is True


def grant_writers_waiting(blocker: Any) -> int:
    with blocker.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'cities_grant'::regclass")
        return int(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("sent_through_redis")
def test_a_killed_workers_ingestion_resumes_on_a_fresh_worker_within_its_lease_exactly_once(
    tmp_path: Path, settings, capsys
) -> None:
    lease_seconds = 3
    name = f"portal-test-{uuid.uuid4().hex[:12]}"
    redis_url = redis_spare_url(broker_url=settings.REDIS_URL, cache_url=settings.REDIS_CACHE_URL)
    settings.MEDIA_ROOT = tmp_path / "media"
    # The broker's own redelivery stays an hour away: only the lease sweep can resume the job.
    environment = {"JOB_LEASE_SECONDS": str(lease_seconds), "CELERY_VISIBILITY_TIMEOUT": "3600"}

    def worker_on_queue(log: str) -> Started:
        return worker_start(
            name=name, redis_url=redis_url, media_root=settings.MEDIA_ROOT, log=tmp_path / log, environment=environment
        )

    demo_data_load()
    grants = Dataset.objects.get(slug="grants")
    grant_count = Grant.objects.count()
    run = ingestion_run_create(dataset=grants, stream=io.BytesIO(GRANTS_CSV), file_name="grants-2025.csv")
    first = worker_on_queue("first-worker.log")
    # A writer holding the grants table keeps the worker mid-ingestion (file read and validated,
    # run locked, rows being written) for as long as the test needs to kill it there.
    blocker = psycopg.connect(database_url(connection.settings_dict))
    try:
        with blocker.cursor() as cursor:
            cursor.execute("LOCK TABLE cities_grant IN EXCLUSIVE MODE")
        with celery_app.connection_for_write(redis_url) as broker:
            task_id = ingestion_run_task.apply_async(args=[run.pk], queue=name, connection=broker).id
        first.wait_for(lambda: grant_writers_waiting(blocker) == 1, timeout=60, what="the worker writing grants")
        os.killpg(first.process.pid, signal.SIGKILL)
        first.process.wait(timeout=15)
        killed_at = time.monotonic()
    finally:
        blocker.close()
        first.stop()

    job = Job.objects.get(task_id=task_id)
    assert (job.status, job.attempts, job.queue) == (Job.Status.RUNNING, 1, name)
    run.refresh_from_db()
    assert run.status == IngestionRun.Status.RUNNING
    assert Grant.objects.count() == grant_count, "the killed worker's transaction wrote nothing"

    fresh = worker_on_queue("fresh-worker.log")
    try:
        sweeps = 0
        with celery_app.connection_for_write(redis_url) as broker:
            # Beat's part, every second instead of every minute: the real sweep task, on the fresh worker.
            while not Job.objects.get(pk=job.pk).is_finished:
                if fresh.process.poll() is not None:
                    fresh.fail("the fresh worker ended")
                assert time.monotonic() - killed_at < lease_seconds + 30, "the lost job was not resumed"
                jobs_resume_task.apply_async(queue=name, connection=broker)
                sweeps += 1
                time.sleep(1)
        resumed_after = time.monotonic() - killed_at

        job.refresh_from_db()
        run.refresh_from_db()
        assert (job.status, job.attempts) == (Job.Status.SUCCEEDED, 2)
        assert run.status == IngestionRun.Status.SUCCEEDED
        assert (run.rows_read, run.rows_created, run.rows_updated, run.rows_unchanged) == (3, 1, 1, 1)
        assert Grant.objects.count() == grant_count + 1
        assert Grant.objects.filter(reference="worker-test-2025-boston").count() == 1
        assert f"Task cities.tasks.ingestion_run_task[{task_id}] succeeded" in fresh.output()

        # The lost message itself, redelivered by the broker at last: the job is finished, nothing runs.
        with celery_app.connection_for_write(redis_url) as broker:
            again = ingestion_run_task.apply_async(args=[run.pk], task_id=task_id, queue=name, connection=broker)
        result = AsyncResult(again.id, backend=RedisBackend(app=celery_app, url=redis_url), app=celery_app)
        finished_at = run.finished_at
        fresh.wait_for(
            lambda: fresh.output().count(f"ingestion_run_task[{task_id}] succeeded") == 2, timeout=60, what=""
        )
        assert result_get(result, timeout=5) == job.result
        job.refresh_from_db()
        run.refresh_from_db()
        assert job.attempts == 2 and run.finished_at == finished_at
        assert Grant.objects.count() == grant_count + 1
    finally:
        fresh.stop()
    with capsys.disabled():
        print(
            f"\nworker lost: lease={lease_seconds}s resumed_after={resumed_after:.1f}s sweeps={sweeps} "
            f"attempts={job.attempts} rows created/updated/unchanged=1/1/1 grants={grant_count}->{grant_count + 1}"
        )
