"""The DC housing Celery task: bring the owners and every project's risk assessment up to date with
the ingested files."""

from __future__ import annotations

from celery import shared_task

from cities.jobs import LeasedTask
from housing.services import derived_data_refresh


@shared_task(base=LeasedTask)
def derived_data_refresh_task() -> dict[str, int]:
    """Re-derive owners and re-assess every project; sent after each ingestion that changed DC data."""
    return derived_data_refresh()
