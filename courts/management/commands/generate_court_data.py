"""`manage.py generate_court_data`: clearly synthetic St. Louis citations for load tests and demos."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from courts.synthetic import SyntheticDataError, court_data_generate


class Command(BaseCommand):
    help = (
        "Write clearly synthetic St. Louis citations (numbers SYN..., people 'Sample Synthetic...') "
        "on the real courts, municipalities, violations and fine schedule. Needs the demo data "
        "and PostgreSQL. The same seed writes the same rows; running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--citations", type=int, required=True, help="How many citations to write.")
        parser.add_argument("--seed", type=int, default=1, help="The random seed (default 1).")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            counts = court_data_generate(citations=options["citations"], seed=options["seed"])
        except SyntheticDataError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"synthetic St. Louis data (seed {options['seed']}): {counts.citations:,} citations, "
            f"{counts.violations:,} violations, {counts.warrants:,} warrants, {counts.court_dates:,} court dates "
            f"in {time.perf_counter() - started:.1f} s"
        )
