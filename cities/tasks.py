from __future__ import annotations

from celery import shared_task

from cities.ingestion import ingestion_run_execute


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
