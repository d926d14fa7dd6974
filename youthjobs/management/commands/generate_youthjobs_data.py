"""`manage.py generate_youthjobs_data`: a synthetic Boston season on Boston's real geography."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cities.services import DemoDataError
from youthjobs.services import DEMO_SEED, DEMO_YOUTH, synthetic_data_load


class Command(BaseCommand):
    help = (
        "Generate a synthetic Boston summer jobs season (youth, about youth/8 sites, one seat per youth) "
        "on Boston's real geography and ingest it: `manage.py generate_youthjobs_data --youth 8000 --seed 1`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--youth", type=int, default=DEMO_YOUTH, help=f"applicants to make (default {DEMO_YOUTH})")
        parser.add_argument("--seed", type=int, default=DEMO_SEED, help=f"the random seed (default {DEMO_SEED})")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["youth"] < 10:
            raise CommandError("--youth must be at least 10")
        try:
            runs = synthetic_data_load(youth=options["youth"], seed=options["seed"], data_dir=settings.CIVIC_DATA_DIR)
        except DemoDataError as error:
            raise CommandError(str(error)) from None
        for run in runs:
            self.stdout.write(
                f"{run.dataset.slug}: {run.rows_read} rows read, {run.rows_created} created, "
                f"{run.rows_updated} updated, {run.rows_unchanged} unchanged"
            )
