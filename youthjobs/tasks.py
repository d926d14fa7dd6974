"""Celery tasks of the summer jobs app: ids in, one service call, a small summary out."""

from __future__ import annotations

from celery import shared_task

from cities.jobs import LeasedTask
from youthjobs.eligibility import eligibility_refresh
from youthjobs.models import Placement
from youthjobs.offers import offer_messages_send, offers_expire, offers_send
from youthjobs.services import match_run_execute


@shared_task(base=LeasedTask)
def eligibility_refresh_task() -> dict[str, int]:
    """Decide every applicant's eligibility afresh; sent after each ingestion of applicants or seasons."""
    return eligibility_refresh()


@shared_task(base=LeasedTask)
def match_run_task(run_id: int) -> dict[str, object]:
    """Solve a queued match run; a redelivered task finds it finished and changes nothing."""
    run = match_run_execute(run_id=run_id)
    return {"run": run.pk, "status": run.status, "placed": run.summary.get("overall", {}).get("placed", 0)}


@shared_task(base=LeasedTask)
def offers_expire_task() -> int:
    """Expire every offer past its deadline (scheduled by beat)."""
    return offers_expire()


@shared_task(base=LeasedTask)
def offers_send_task(run_id: int) -> dict[str, int]:
    """Send the open offers of an approved run; a redelivered task sends nothing twice."""
    return offers_send(run_id=run_id)


@shared_task(acks_late=True)
def offer_resend_task(placement_id: int, sending: int) -> dict[str, int]:
    """Send one offer again at staff's request (the `sending`-th time); a redelivered task sends nothing twice."""
    placement = Placement.objects.select_related("applicant", "position__site").get(pk=placement_id)
    return offer_messages_send(placement=placement, sending=sending)
