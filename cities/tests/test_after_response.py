"""Work a request starts after its response: run later inside a request, at once outside one."""

from __future__ import annotations

import threading

from django.core.signals import request_finished
from django.test import RequestFactory

from cities.after_response import WORK_THREAD_NAME, AfterResponseMiddleware, run_after_response


def test_outside_a_request_the_work_runs_at_once() -> None:
    done: list[str] = []

    run_after_response(lambda: done.append("sent"))

    assert done == ["sent"]


def test_inside_a_request_the_work_waits_for_the_response_then_runs_in_its_own_thread(db) -> None:
    done: list[str] = []

    def view(request):
        run_after_response(lambda: done.append(threading.current_thread().name))
        assert done == []
        return "the response"

    response = AfterResponseMiddleware(view)(RequestFactory().get("/"))
    assert (response, done) == ("the response", [])

    request_finished.send(sender=None)
    for thread in threading.enumerate():
        if thread.name == WORK_THREAD_NAME:
            thread.join(timeout=10)
    assert done == [WORK_THREAD_NAME]
    run_after_response(lambda: done.append("after the request"))
    assert done[-1] == "after the request"
