"""Operations of the core that span models: demo data and staff logins for the embedded mode."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from cities.ingestion import ingest_path
from cities.models import Dataset, IngestionRun

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
