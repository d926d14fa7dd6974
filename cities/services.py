"""Operations of the core that span models: offering files, demo data, the embedded staff login."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.db import transaction

from cities.ingestion import ingest_path, ingestion_run_create
from cities.models import Dataset, IngestionRun
from cities.tasks import ingestion_run_task

DEMO_DIR = Path(__file__).resolve().parent / "demo"

# Order matters: each file names rows of the ones before it.
CORE_DEMO_FILES = (
    ("cities", "cities.cities", "cities.csv"),
    ("organizations", "cities.organizations", "organizations.csv"),
    ("partnerships", "cities.partnerships", "partnerships.csv"),
    ("grants", "cities.grants", "grants.csv"),
    ("datasets", "cities.datasets", "datasets.csv"),
)


class DemoDataError(RuntimeError):
    pass


@transaction.atomic
def ingestion_run_offer(
    *, dataset: Dataset, stream: IO[bytes], file_name: str, requested_by: Any = None
) -> IngestionRun:
    """Store an offered file as a queued run and ingest it in a worker once committed.

    Raises IngestionError, storing nothing, for a dataset without schema or an empty or
    oversized file."""
    run = ingestion_run_create(dataset=dataset, stream=stream, file_name=file_name, requested_by=requested_by)
    transaction.on_commit(lambda: ingestion_run_task.delay(run.pk))
    return run


def demo_data_load() -> list[IngestionRun]:
    """Load the collaborative's own data through the ingestion machinery, as a partner
    would offer it. Idempotent: a second load finds every row unchanged."""
    runs = []
    for slug, schema, file_name in CORE_DEMO_FILES:
        dataset, _ = Dataset.objects.get_or_create(
            slug=slug,
            defaults={
                "title": slug.replace("-", " ").capitalize(),
                "schema": schema,
                "source": "Civic Portal demo data",
            },
        )
        run = ingest_path(dataset=dataset, path=DEMO_DIR / file_name)
        if run.status != IngestionRun.Status.SUCCEEDED:
            raise DemoDataError(f"demo file {file_name} was refused: {run.errors}")
        runs.append(run)
    return runs


# Each city app's loader of its demo data, registered from its AppConfig.ready(): the core
# calls them without importing any app.
AppDemoLoader = Callable[..., list[IngestionRun]]
_app_demo_loaders: dict[str, AppDemoLoader] = {}


def register_app_demo_loader(app_label: str, loader: AppDemoLoader) -> None:
    """`loader(data_dir=...)` loads the app's demo data from the public data folder."""
    _app_demo_loaders[app_label] = loader


def app_demo_data_load(*, data_dir: Path) -> list[IngestionRun]:
    """Every city app's demo data, read from `data_dir` (settings.CIVIC_DATA_DIR), after the
    core's (`demo_data_load`), whose catalogue names the apps' datasets."""
    runs = []
    for app_label in sorted(_app_demo_loaders):
        runs += _app_demo_loaders[app_label](data_dir=data_dir)
    return runs


@transaction.atomic
def demo_staff_login_create(*, username: str = "staff") -> str:
    """Create (or reset) the embedded mode's superuser and return its new random password."""
    password = secrets.token_urlsafe(12)
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.is_staff = True
    user.is_superuser = True
    user.set_password(password)
    user.save()
    return password
