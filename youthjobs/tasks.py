from __future__ import annotations

from celery import shared_task

from youthjobs.eligibility import eligibility_refresh


@shared_task(acks_late=True)
def eligibility_refresh_task() -> dict[str, int]:
    """Decide every applicant's eligibility afresh; sent after each ingestion of applicants or seasons."""
    return eligibility_refresh()
