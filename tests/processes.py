"""Starting, reaching and stopping the real processes the set-up tests run (a server, a
Celery worker, `make run`): each in its own process group, output kept in a file so a
failure can show it."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def database_url(settings_dict: dict[str, Any]) -> str:
    """The DATABASE_URL of a connection's settings: after pytest-django's set-up, the test
    database, which the processes a test starts must use to see the test's rows."""
    password = f":{quote(settings_dict['PASSWORD'], safe='')}" if settings_dict["PASSWORD"] else ""
    user = f"{quote(settings_dict['USER'], safe='')}{password}@" if settings_dict["USER"] else ""
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{user}{settings_dict['HOST']}{port}/{settings_dict['NAME']}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Started:
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def fail(self, why: str) -> None:
        tail = "\n".join(self.output().splitlines()[-60:])
        pytest.fail(f"{why}\n--- output of {self.process.args!r} ---\n{tail}", pytrace=False)

    def wait_for(self, ready: Callable[[], bool], *, timeout: float, what: str) -> None:
        """Poll `ready` until it holds; fail at once, with the output, if the process ends."""
        deadline = time.monotonic() + timeout
        while not ready():
            if self.process.poll() is not None:
                self.fail(f"the process ended (exit {self.process.returncode}) before {what}")
            if time.monotonic() > deadline:
                self.fail(f"no {what} within {timeout:.0f} s")
            time.sleep(0.25)

    def stop(self) -> None:
        """End the whole process group (make's children, gunicorn's workers), gently first."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)


def start(command: Sequence[str], *, env: dict[str, str], log: Path, cwd: Path = REPO) -> Started:
    with log.open("wb") as out:
        process = subprocess.Popen(
            list(command), cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Started(process=process, log=log)


@dataclass(frozen=True)
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str


def http_get(port: int, path: str, headers: dict[str, str] | None = None) -> Response:
    """One GET to 127.0.0.1, redirects not followed, so a test sees what the server said."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read().decode(errors="replace"))
    finally:
        connection.close()


def answers(port: int, path: str, headers: dict[str, str] | None = None) -> Callable[[], bool]:
    def ready() -> bool:
        try:
            http_get(port, path, headers)
        except OSError:
            return False
        return True

    return ready
