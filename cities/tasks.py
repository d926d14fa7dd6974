"""The core's Celery tasks: ingest an offered file, send again runs the broker lost, resume jobs
whose worker stopped and forget old ones."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from cities.ingestion import ingestion_run_execute
from cities.jobs import LeasedTask, jobs_prune, jobs_resume
from cities.selectors import ingestion_runs_stale

# Far longer than the broker's visibility timeout, after which no copy of a job's message is left.
JOBS_KEPT_FOR = timedelta(days=30)


@shared_task(base=LeasedTask)
def ingestion_run_task(run_id: int) -> dict[str, object]:
    run = ingestion_run_execute(run_id=run_id)
    return {
        "run": run.pk,
        "status": run.status,
        "created": run.rows_created,
        "updated": run.rows_updated,
        "unchanged": run.rows_unchanged,
        "rejected": run.rows_rejected,
    }


@shared_task(acks_late=True)
def ingestion_runs_requeue_task() -> dict[str, object]:
    """Send runs whose message the broker lost (never taken by a worker) again; safe to
    repeat, executing a run is idempotent. A run a worker took is resumed by its job's lease."""
    run_ids = ingestion_runs_stale(queued_for=timedelta(minutes=15))
    for run_id in run_ids:
        ingestion_run_task.delay(run_id)
    return {"requeued": run_ids}


@shared_task(acks_late=True)
def jobs_resume_task() -> dict[str, object]:
    """Every minute (beat): send again each job whose worker stopped renewing its lease, and
    forget jobs finished a month ago."""
    pruned = jobs_prune(finished_before=timezone.now() - JOBS_KEPT_FOR)
    return {"resumed": jobs_resume(), "pruned": pruned}
