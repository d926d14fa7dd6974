"""`manage.py ingest <dataset> <file>`: one file through the ingestion machinery, from a shell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cities.ingestion import IngestionError, ingest_path
from cities.models import Dataset, IngestionRun


class Command(BaseCommand):
    help = "Ingest a CSV file into a dataset: `manage.py ingest <dataset-slug> <file>`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dataset", help="the dataset's slug, as in /datasets/<slug>/")
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            dataset = Dataset.objects.get(slug=options["dataset"])
        except Dataset.DoesNotExist:
            raise CommandError(f"no dataset is called {options['dataset']!r}") from None
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        try:
            run = ingest_path(dataset=dataset, path=path)
        except IngestionError as error:
            raise CommandError(str(error)) from None
        if run.status != IngestionRun.Status.SUCCEEDED:
            for row_error in run.errors:
                where = f"row {row_error['row']}" if row_error["row"] else "file"
                column = f", {row_error['column']}" if row_error["column"] else ""
                self.stderr.write(f"{where}{column}: {row_error['message']}")
            raise CommandError(f"run {run.pk} failed; nothing was changed ({run.error_count} errors)")
        self.stdout.write(
            f"run {run.pk}: {run.rows_read} rows read, {run.rows_created} created, "
            f"{run.rows_updated} updated, {run.rows_unchanged} unchanged"
        )
