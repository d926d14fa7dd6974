"""Operations of the core that span models: offering files, demo data, the embedded staff login."""

from __future__ import annotations

import io
import secrets
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.db import transaction

from cities.enqueue import enqueue_on_commit
from cities.ingestion import ingest_path, ingestion_run_create, ingestion_run_execute
from cities.models import Dataset, IngestionRun
from cities.registry import DemoFile, portal_apps

# Named, not imported: tasks call services, never the reverse (`cities.enqueue`).
INGESTION_RUN_TASK = "cities.tasks.ingestion_run_task"

DEMO_DIR = Path(__file__).resolve().parent / "demo"
DEMO_SOURCE = "Civic Portal demo data"

# Order matters: each file names rows of the ones before it.
CORE_DEMO_FILES = tuple(
    DemoFile(dataset=slug, schema=f"cities.{slug}", path=DEMO_DIR / f"{slug}.csv", title=slug.capitalize())
    for slug in ("cities", "organizations", "partnerships", "grants", "datasets")
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
    enqueue_on_commit(INGESTION_RUN_TASK, run.pk)
    return run


def _demo_dataset(demo_file: DemoFile) -> Dataset:
    if demo_file.title:
        dataset, _ = Dataset.objects.get_or_create(
            slug=demo_file.dataset,
            defaults={"title": demo_file.title, "schema": demo_file.schema, "source": demo_file.source or DEMO_SOURCE},
        )
        return dataset
    catalogued = Dataset.objects.filter(slug=demo_file.dataset).first()
    if catalogued is None or catalogued.schema != demo_file.schema:
        raise DemoDataError(
            f"the catalogue has no dataset {demo_file.dataset!r} read with {demo_file.schema}; "
            "load the core's data first"
        )
    return catalogued


def demo_files_load(files: Iterable[DemoFile]) -> list[IngestionRun]:
    """Ingest demo files through the ingestion machinery, in the order given, as a partner
    would offer them: the one loop behind every app's demo data.

    Raises DemoDataError at the first refused file (or one whose dataset the catalogue lacks),
    naming it and its errors; the files before it stay loaded. Rows are upserted by their
    keys: the same files a second time change nothing."""
    runs = []
    for demo_file in files:
        dataset = _demo_dataset(demo_file)
        if demo_file.content is None:
            run = ingest_path(dataset=dataset, path=demo_file.path)
        else:
            stream = io.BytesIO(demo_file.content)
            created = ingestion_run_create(dataset=dataset, stream=stream, file_name=demo_file.path.name)
            run = ingestion_run_execute(run_id=created.pk)
        if run.status != IngestionRun.Status.SUCCEEDED:
            raise DemoDataError(f"demo file {demo_file.path.name} was refused ({demo_file.schema}): {run.errors}")
        runs.append(run)
    return runs


def demo_data_load() -> list[IngestionRun]:
    """Load the core's own data, then every registered app's rows of the dataset catalogue.
    Idempotent: a second load finds every row unchanged."""
    catalogues = [
        DemoFile(dataset="datasets", schema="cities.datasets", path=app.demo.catalogue)
        for app in portal_apps()
        if app.demo is not None and app.demo.catalogue is not None
    ]
    return demo_files_load([*CORE_DEMO_FILES, *catalogues])


def app_demo_data_load(*, data_dir: Path, labels: Collection[str] | None = None) -> list[IngestionRun]:
    """Every registered app's demo data (or only the apps `labels` names), in the apps' demo
    order: its files read from `data_dir` (settings.CIVIC_DATA_DIR), then its `after` step.
    Needs the core's demo data (`demo_data_load`) first, whose catalogue names the datasets."""
    runs = []
    demos = [(app.demo, app.label) for app in portal_apps() if app.demo is not None]
    for demo, label in sorted(demos, key=lambda entry: entry[0].order):
        if labels is not None and label not in labels:
            continue
        runs += demo_files_load(demo.files(data_dir))
        if demo.after is not None:
            demo.after()
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
