from __future__ import annotations

from datetime import timedelta

from celery import shared_task

from cities.ingestion import ingestion_run_execute
from cities.selectors import ingestion_runs_stale


@shared_task(acks_late=True)
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
    """Send lost runs to a worker again; safe to repeat, executing a run is idempotent."""
    run_ids = ingestion_runs_stale(queued_for=timedelta(minutes=15), running_for=timedelta(hours=2))
    for run_id in run_ids:
        ingestion_run_task.delay(run_id)
    return {"requeued": run_ids}
