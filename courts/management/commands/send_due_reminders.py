"""`manage.py send_due_reminders`: today's court date reminders, sent by hand."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from courts.reminders import court_reminders_send


class Command(BaseCommand):
    help = (
        "Send the court date reminders that are due today (the daily beat job, run by hand: in the "
        "embedded mode the text messages are printed here). Safe to run twice: nothing is sent twice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = court_reminders_send(today=timezone.localdate())
        self.stdout.write(
            f"court reminders: {run.reminders_sent} sent, {run.watches_found} watches found, "
            f"{run.watches_ended} watches ended, {run.subscriptions_deleted} subscriptions deleted"
        )
