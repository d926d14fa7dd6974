"""Leases on long Celery tasks, so the work of a worker that died resumes within minutes, once.

Every long task (ingestion, a match run, offers, reminders, refreshes) is declared with
`base=LeasedTask`. When a worker starts it, it claims the task's `Job` row (keyed by the
Celery task id) for `JOB_LEASE_SECONDS` and renews the lease from a thread every third of
it while the task runs. A worker killed with `kill -9` stops renewing; beat's sweep
(`jobs_resume`, every `JOB_SWEEP_SECONDS`) sends each job whose lease ran out again under
the same task id. Worst case from a worker's death to its job being sent again: one lease
plus one sweep interval (2 + 1 minutes by default).

Exactly once: a claim succeeds only for a job that is new, sent again by the sweep, or
whose lease ran out, so two deliveries never run together; a delivery of a finished job
answers the stored summary and does nothing. The broker's own redelivery of the lost
message (after its visibility timeout) is then such a duplicate. A job cut short by its
worker's death leaves nothing half-done because the services it calls are idempotent:
ingestion and match runs write in one transaction, messages are keyed.
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from celery import Task, current_app
from celery.exceptions import Ignore
from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.utils import timezone

from cities.models import Job

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Claim:
    job: Job
    holder: str


def _lease() -> timedelta:
    return timedelta(seconds=settings.JOB_LEASE_SECONDS)


@transaction.atomic
def job_claim(*, task_id: str, task_name: str, args: list[Any], kwargs: dict[str, Any], queue: str) -> Claim | Job:
    """Take the lease on a task's job for this attempt. Returns the Claim, or the Job as it
    is when it has finished or another attempt holds a lease that has not run out."""
    now = timezone.now()
    job, created = Job.objects.select_for_update().get_or_create(
        task_id=task_id, defaults={"task_name": task_name, "args": args, "kwargs": kwargs, "queue": queue}
    )
    if job.is_finished:
        return job
    leased_by_another = job.status == Job.Status.RUNNING and job.lease_expires_at and job.lease_expires_at >= now
    if not created and leased_by_another:
        return job
    job.status = Job.Status.RUNNING
    job.attempts += 1
    job.lease_holder = uuid.uuid4().hex
    job.lease_expires_at = now + _lease()
    job.save(update_fields=["status", "attempts", "lease_holder", "lease_expires_at"])
    return Claim(job=job, holder=job.lease_holder)


def job_lease_renew(*, claim: Claim) -> bool:
    """Extend the lease of an attempt that still holds it; False when it was lost."""
    renewed = Job.objects.filter(pk=claim.job.pk, lease_holder=claim.holder, status=Job.Status.RUNNING).update(
        lease_expires_at=timezone.now() + _lease()
    )
    return renewed == 1


def job_finish(*, claim: Claim, result: Any, error: str = "") -> None:
    """Record the outcome of an attempt that still holds its lease."""
    Job.objects.filter(pk=claim.job.pk, lease_holder=claim.holder).update(
        status=Job.Status.FAILED if error else Job.Status.SUCCEEDED,
        finished_at=timezone.now(),
        lease_expires_at=None,
        result=result,
        error=error[:300],
    )


def jobs_resume() -> list[str]:
    """Send every job whose lease ran out to a worker again, under its own task id and queue.
    The lease is renewed on sending so the next sweep waits for a worker to take it; if
    none has by then, it is sent again (a second copy finds the job claimed or finished).
    Returns the task ids sent."""
    now = timezone.now()
    sent = []
    for job in Job.objects.lease_expired(now=now).order_by("pk"):
        resent = Job.objects.filter(pk=job.pk, lease_expires_at=job.lease_expires_at).update(
            status=Job.Status.QUEUED, lease_holder="", lease_expires_at=now + _lease()
        )
        if not resent:
            continue
        current_app.send_task(
            job.task_name, args=job.args, kwargs=job.kwargs, task_id=job.task_id, queue=job.queue or None
        )
        logger.warning(
            "job %s %s: lease ran out after %s attempts, sent again", job.task_name, job.task_id, job.attempts
        )
        sent.append(job.task_id)
    return sent


def jobs_prune(*, finished_before: datetime) -> int:
    """Forget jobs finished before then (long after any redelivery of theirs could come);
    returns how many."""
    deleted, _ = Job.objects.filter(finished_at__lt=finished_before).delete()
    return deleted


class _LeaseKeeper(threading.Thread):
    """Renews an attempt's lease until stopped; its own database connection, closed at the end."""

    def __init__(self, claim: Claim) -> None:
        super().__init__(name=f"lease-{claim.job.task_id}", daemon=True)
        self.claim = claim
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.JOB_LEASE_SECONDS / 3):
                try:
                    renewed = job_lease_renew(claim=self.claim)
                except DatabaseError as error:
                    # A passing database fault: two more tries are left before the lease runs out.
                    logger.warning("job %s: lease not renewed (%s)", self.claim.job.task_id, type(error).__name__)
                    connection.close()
                    continue
                if not renewed:
                    logger.warning("job %s: lease lost to another attempt", self.claim.job.task_id)
                    return
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join()


class LeasedTask(Task[Any, Any]):
    """A Celery task whose worker holds a lease on its Job while it runs (see the module)."""

    acks_late = True
    reject_on_worker_lost = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.request.is_eager or not self.request.id:
            return super().__call__(*args, **kwargs)
        close_old_connections()
        queue = (self.request.delivery_info or {}).get("routing_key") or ""
        claim = job_claim(task_id=self.request.id, task_name=self.name, args=list(args), kwargs=kwargs, queue=queue)
        if isinstance(claim, Job):
            if claim.is_finished:
                return claim.result
            raise Ignore()
        keeper = _LeaseKeeper(claim)
        keeper.start()
        try:
            result = super().__call__(*args, **kwargs)
        except Exception as error:
            keeper.stop()
            # The class only: an exception's text may quote a row's values.
            job_finish(claim=claim, result=None, error=type(error).__name__)
            raise
        keeper.stop()
        job_finish(claim=claim, result=result)
        return result
