"""Sending Celery tasks by name: tasks call services, never the reverse.

A service that needs work done in a worker names the task (its dotted path, e.g.
"youthjobs.tasks.offers_send_task") instead of importing the tasks module, which imports the
services; the task's module is imported when the task is first sent. In the embedded mode
(`CELERY_TASK_ALWAYS_EAGER`) `delay` runs the task at once, in this process.
"""

from __future__ import annotations

from typing import Any

from celery import Task
from django.db import transaction
from django.utils.module_loading import import_string


def task_named(task_name: str) -> Task[Any, Any]:
    """The task at the dotted path `task_name`. Raises ImportError for an unknown one."""
    task = import_string(task_name)
    if not isinstance(task, Task):
        raise ImportError(f"{task_name} is not a Celery task")
    return task


def enqueue(task_name: str, *args: Any) -> None:
    """Send the task now."""
    task_named(task_name).delay(*args)


def enqueue_on_commit(task_name: str, *args: Any) -> None:
    """Send the task once the current transaction commits, so it never reads rows that are not
    committed (or that a rollback takes back); at once outside a transaction."""
    transaction.on_commit(lambda: enqueue(task_name, *args))
