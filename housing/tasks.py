"""The DC housing Celery task: bring the owners and every project's risk assessment up to date with
the ingested files."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from cities.jobs import LeasedTask
from housing.dashboard import dashboard_warm
from housing.services import derived_data_refresh


@shared_task(base=LeasedTask)
def derived_data_refresh_task() -> dict[str, int]:
    """Re-derive owners and re-assess every project; sent after each ingestion that changed DC data.
    Once that is committed (a new version of the data), compute the dashboard's default view."""
    counts = derived_data_refresh()
    dashboard_warm(today=timezone.localdate())
    return counts
