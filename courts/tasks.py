"""The St. Louis courts' Celery tasks: the daily reminders and the dashboard's refresh."""

from __future__ import annotations

from dataclasses import asdict

from celery import shared_task
from django.utils import timezone

from cities.jobs import LeasedTask
from courts.dashboard import dashboard_refresh
from courts.reminders import court_reminders_send


@shared_task(base=LeasedTask)
def court_reminders_send_task() -> dict[str, int]:
    """Daily: court date reminders, watches, expired subscriptions. Safe to run twice."""
    return asdict(court_reminders_send(today=timezone.localdate()))


@shared_task(base=LeasedTask)
def dashboard_refresh_task() -> dict[str, int]:
    """After an ingestion that changed St. Louis data: the dashboard's figures, recomputed."""
    figures = dashboard_refresh()
    return {"citations": figures.citations, "violations": figures.violations}
