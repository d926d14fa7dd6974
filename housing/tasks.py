from __future__ import annotations

from celery import shared_task

from housing.risk import risk_assessment_refresh


@shared_task(acks_late=True)
def risk_assessment_refresh_task() -> dict[str, int]:
    """Re-assess every project; sent after each ingestion that changed DC data."""
    return risk_assessment_refresh()
