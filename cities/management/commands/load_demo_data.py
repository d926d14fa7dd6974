from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cities.services import demo_data_load


class Command(BaseCommand):
    help = "Load the collaborative's demo data (idempotent) through the ingestion machinery."

    def handle(self, *args: Any, **options: Any) -> None:
        for run in demo_data_load():
            self.stdout.write(
                f"{run.dataset.slug}: {run.rows_read} rows, {run.rows_created} new, "
                f"{run.rows_updated} changed, {run.rows_unchanged} unchanged"
            )
