"""Ingestion through a real Celery worker process and the real Redis, as deployed: the
web process stores the file and sends the run's id; the worker reads the file from the
shared MEDIA_ROOT and writes the rows to the same database.

The worker's broker and results are a Redis database of their own: every test's cache
clearing (conftest.py) empties the suite's REDIS_URL database, and would take queued
messages and results with it if another test process shared the server."""

from __future__ import annotations

import io
import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import yaml
from celery.backends.redis import RedisBackend
from celery.result import AsyncResult, EagerResult
from django.conf import settings
from django.db import connection

from cities.ingestion import ingestion_run_create
from cities.models import Dataset, Grant, IngestionRun
from cities.services import demo_data_load
from cities.tasks import ingestion_run_task
from civicportal.celery import app as celery_app
from tests.processes import REPO, VENV_BIN, Started, database_url, start

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


def redis_database_of_its_own(url: str) -> str:
    parts = urlsplit(url)
    database = 15 if parts.path.strip("/") != "15" else 14
    return urlunsplit(parts._replace(path=f"/{database}"))


@pytest.fixture(scope="module")
def worker(django_db_setup: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worker]:
    """One worker on a queue and a Redis database of its own, so it takes no stray task,
    on the test database (pytest-django has renamed the connection's database by now)
    and a MEDIA_ROOT the tests also store files in."""
    name = f"portal-test-{uuid.uuid4().hex[:12]}"
    media_root = tmp_path_factory.mktemp("worker-media")
    redis_url = redis_database_of_its_own(settings.REDIS_URL)
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MEDIA_ROOT": str(media_root),
    }
    command = [
        str(VENV_BIN / "celery"),
        "-A",
        "civicportal",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=INFO",
        f"--queues={name}",
        f"--hostname=celery@{name}",
    ]
    started = start(command, env=environment, log=media_root.parent / "worker.log", cwd=REPO)
    try:
        started.wait_for(lambda: f"celery@{name} ready." in started.output(), timeout=60, what="worker ready")
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


def send(run: IngestionRun, worker: Worker) -> dict[str, Any]:
    with celery_app.connection_for_write(worker.redis_url) as broker:
        sent = ingestion_run_task.apply_async(args=[run.pk], queue=worker.queue, connection=broker)
    assert not isinstance(sent, EagerResult)
    result = AsyncResult(sent.id, backend=RedisBackend(app=celery_app, url=worker.redis_url), app=celery_app)
    worker.started.wait_for(result.ready, timeout=60, what=f"result of task {result.id}")
    summary = result.get(timeout=1)
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
