"""Leases on long tasks (cities.jobs): who may run a job, and what the sweep sends again.
A real worker killed mid-job is in tests/test_celery_worker.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from cities.jobs import Claim, LeasedTask, job_claim, job_finish, job_lease_renew, jobs_resume
from cities.models import Job
from cities.tasks import jobs_resume_task
from civicportal.celery import app as celery_app

pytestmark = pytest.mark.django_db


def claim(task_id: str = "task-1") -> Claim | Job:
    return job_claim(
        task_id=task_id, task_name="cities.tasks.ingestion_run_task", args=[7], kwargs={}, queue="ingestion"
    )


@pytest.fixture
def sent(monkeypatch) -> list[dict[str, Any]]:
    """What the sweep hands the broker (a real worker taking it is tested with real processes)."""
    messages: list[dict[str, Any]] = []
    monkeypatch.setattr(celery_app, "send_task", lambda name, **options: messages.append({"name": name, **options}))
    return messages


def test_a_second_delivery_of_a_running_job_does_not_run_it(settings):
    settings.JOB_LEASE_SECONDS = 120
    first = claim()

    second = claim()

    assert isinstance(first, Claim)
    assert isinstance(second, Job) and second.status == Job.Status.RUNNING
    job = Job.objects.get(task_id="task-1")
    assert job.attempts == 1
    assert job.lease_expires_at is not None
    assert timedelta(seconds=119) < job.lease_expires_at - timezone.now() <= timedelta(seconds=120)


def test_a_finished_job_answers_its_summary_and_is_not_run_again():
    first = claim()
    assert isinstance(first, Claim)
    job_finish(claim=first, result={"run": 7, "status": "succeeded"})

    again = claim()

    assert isinstance(again, Job)
    assert again.status == Job.Status.SUCCEEDED and again.result == {"run": 7, "status": "succeeded"}
    assert again.attempts == 1 and again.lease_expires_at is None


def test_a_job_whose_lease_ran_out_is_taken_by_the_next_delivery_and_the_old_holder_loses_it():
    first = claim()
    assert isinstance(first, Claim)
    Job.objects.filter(pk=first.job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))

    second = claim()

    assert isinstance(second, Claim) and second.holder != first.holder
    assert Job.objects.get(pk=first.job.pk).attempts == 2
    assert job_lease_renew(claim=first) is False
    assert job_lease_renew(claim=second) is True
    job_finish(claim=first, result={"late": True})
    assert Job.objects.get(pk=first.job.pk).status == Job.Status.RUNNING, "a lost lease records nothing"


def test_a_failed_job_keeps_the_error_class_only_and_is_not_resumed(sent):
    first = claim()
    assert isinstance(first, Claim)
    job_finish(claim=first, result=None, error="IntegrityError")

    assert jobs_resume() == []
    assert sent == []
    assert Job.objects.get(pk=first.job.pk).error == "IntegrityError"


def test_the_sweep_sends_again_only_jobs_whose_lease_ran_out_under_the_same_task_id(sent):
    alive = claim("alive")
    lost = claim("lost")
    assert isinstance(alive, Claim) and isinstance(lost, Claim)
    Job.objects.filter(task_id="lost").update(lease_expires_at=timezone.now() - timedelta(seconds=1))

    assert jobs_resume() == ["lost"]

    assert sent == [
        {"name": "cities.tasks.ingestion_run_task", "args": [7], "kwargs": {}, "task_id": "lost", "queue": "ingestion"}
    ]
    job = Job.objects.get(task_id="lost")
    assert job.status == Job.Status.QUEUED and job.lease_holder == ""
    # The next sweep leaves it to the worker that will take it; the message is not sent twice.
    assert jobs_resume() == []
    assert len(sent) == 1
    # A worker takes the resent job although the sweep renewed its lease.
    assert isinstance(claim("lost"), Claim)
    assert Job.objects.get(task_id="lost").attempts == 2


def test_lost_work_is_resumed_within_five_minutes_by_a_sweep_every_minute():
    schedule = settings.CELERY_BEAT_SCHEDULE["resume-lost-jobs"]
    assert schedule["task"] == "cities.tasks.jobs_resume_task"
    assert schedule["schedule"] == 60
    assert settings.JOB_LEASE_SECONDS + schedule["schedule"] <= 5 * 60


def test_jobs_finished_a_month_ago_are_forgotten_by_the_sweep_task(sent):
    old, recent = claim("old"), claim("recent")
    assert isinstance(old, Claim) and isinstance(recent, Claim)
    job_finish(claim=old, result={})
    job_finish(claim=recent, result={})
    Job.objects.filter(task_id="old").update(finished_at=timezone.now() - timedelta(days=31))

    assert jobs_resume_task.delay().get() == {"resumed": [], "pruned": 1}

    assert list(Job.objects.values_list("task_id", flat=True)) == ["recent"]


@pytest.mark.parametrize(
    "task",
    [
        "cities.tasks.ingestion_run_task",
        "youthjobs.tasks.match_run_task",
        "youthjobs.tasks.offers_send_task",
        "youthjobs.tasks.offers_expire_task",
        "youthjobs.tasks.eligibility_refresh_task",
        "courts.tasks.court_reminders_send_task",
        "courts.tasks.dashboard_refresh_task",
        "housing.tasks.derived_data_refresh_task",
    ],
)
def test_every_long_task_runs_under_a_lease(task):
    registered = import_string(task)
    assert isinstance(registered, LeasedTask)
    assert registered.acks_late and registered.reject_on_worker_lost
