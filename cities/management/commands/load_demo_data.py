"""`manage.py load_demo_data`: the collaborative's and every app's demo data, through ingestion."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from cities.services import app_demo_data_load, demo_data_load


class Command(BaseCommand):
    help = (
        "Load the collaborative's demo data, then each city app's (real files from CIVIC_DATA_DIR), "
        "through the ingestion machinery. Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        runs = demo_data_load() + app_demo_data_load(data_dir=settings.CIVIC_DATA_DIR)
        for run in runs:
            self.stdout.write(
                f"{run.dataset.slug}: {run.rows_read} rows, {run.rows_created} new, "
                f"{run.rows_updated} changed, {run.rows_unchanged} unchanged"
            )
