"""Work a request starts that its answer need not wait for.

In the embedded mode Celery runs tasks eagerly, in the web process: a task sent from a
view (on commit) would hold the staff member's request until it finished, e.g. half a
minute of offer messages after approving a match run. `task_send` runs such a task
after the response has gone to the browser instead: when the WSGI server closes the
response Django sends `request_finished`, and the request's pending work starts then in a
thread of its own (with its own database connection, closed when it ends). Not in the
request's thread: a browser keeps the connection alive and sends its next request (the
redirect's page) on it, which that thread would only serve once the work was done. With a
broker the task is queued at once, as before. Outside a request (a management command, a
worker, a test calling a service) the work runs at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from celery import Task
from django.conf import settings
from django.core.signals import request_finished
from django.db import connections
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

WORK_THREAD_NAME = "after-response"
# One list per request thread: None outside a request.
_pending = threading.local()


def run_after_response(work: Callable[[], object]) -> None:
    """Run `work` once the current request's response is sent, or now outside a request."""
    waiting: list[Callable[[], object]] | None = getattr(_pending, "work", None)
    if waiting is None:
        work()
    else:
        waiting.append(work)


def task_send(task: Task[Any, Any], *args: Any) -> None:
    """Send a Celery task: queued now with a broker, run after the response when eager."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        run_after_response(lambda: task.delay(*args))
    else:
        task.delay(*args)


class AfterResponseMiddleware:
    """Opens the request's list of work to run after its response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        _pending.work = []
        return self.get_response(request)


def _run_all(waiting: list[Callable[[], object]]) -> None:
    try:
        for work in waiting:
            # The response is gone: a failure can only be logged (the task records its own state).
            try:
                work()
            except Exception:
                logger.exception("work after the response failed")
    finally:
        connections.close_all()


@receiver(request_finished, dispatch_uid="cities.after_response")
def _start_pending(**kwargs: object) -> None:
    waiting: list[Callable[[], object]] = getattr(_pending, "work", None) or []
    _pending.work = None
    if waiting:
        # Not a daemon: a server stopping gracefully lets the work finish.
        threading.Thread(target=_run_all, args=(waiting,), name=WORK_THREAD_NAME).start()
