"""README's run command, as a newcomer runs it: `make run` in a fresh checkout serves the
portal with demo data and prints a staff login."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.processes import REPO, answers, free_port, http_get, start

# Made by `make run` or by the test suite, never part of a checkout.
NOT_CHECKED_OUT = (".git", ".venv", "node_modules", "db.sqlite3", "media", "staticfiles", "__pycache__", ".*_cache")

# What the test run sets (pyproject.toml) and a newcomer's shell does not.
NOT_IN_A_NEWCOMERS_SHELL = (
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "DEBUG",
    "HTTPS",
    "ALLOWED_HOSTS",
    "CELERY_TASK_ALWAYS_EAGER",
    "API_THROTTLE_ANON",
    "API_THROTTLE_USER",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "DJANGO_SETTINGS_MODULE",
)


def checkout_with_installed_packages(destination: Path) -> Path:
    """A copy of the working tree whose install steps `make` finds already done.

    The virtual environment is linked, not copied: its scripts name /work/main/.venv's
    absolute path. node_modules is copied (it is small), because `npm ci` empties the
    folder it installs into and must never reach the repository's own through a link.
    copytree keeps modification times, so the install stamps stay newer than
    requirements.txt and package-lock.json and make does not reinstall.
    """
    checkout = destination / "civicportal"
    shutil.copytree(REPO, checkout, ignore=shutil.ignore_patterns(*NOT_CHECKED_OUT), symlinks=True)
    (checkout / ".venv").symlink_to(REPO / ".venv", target_is_directory=True)
    shutil.copytree(REPO / "node_modules", checkout / "node_modules", symlinks=True)
    return checkout


@pytest.mark.slow
def test_make_run_serves_the_portal_and_prints_a_staff_login(tmp_path: Path) -> None:
    checkout = checkout_with_installed_packages(tmp_path)
    environment = {name: value for name, value in os.environ.items() if name not in NOT_IN_A_NEWCOMERS_SHELL}
    # The copy sits outside the repository's folder, so ../shared/data would not be found.
    environment["CIVIC_DATA_DIR"] = str(settings.CIVIC_DATA_DIR)
    port = free_port()
    make_run = start(["make", "run", f"PORT={port}"], env=environment, log=tmp_path / "make-run.log", cwd=checkout)
    try:
        make_run.wait_for(answers(port, "/healthz/"), timeout=90, what="answer on 127.0.0.1")

        assert http_get(port, "/healthz/").status == 200
        assert http_get(port, "/admin/login/").status == 200
        home = http_get(port, "/")
        assert home.status == 200
        assert "Boston" in home.text

        output = make_run.output()
        assert re.search(r"^\s*username: \S+$", output, re.MULTILINE), output
        assert re.search(r"^\s*password: \S+$", output, re.MULTILINE), output
        assert (checkout / "db.sqlite3").is_file(), "the embedded mode keeps its data in SQLite"
    finally:
        make_run.stop()
