"""The checks see every app: a bare `pytest` (what `make test` runs) collects the tests of
every project app in INSTALLED_APPS, so a new app's tests cannot be silently left out by an
allow-list, and mypy checks every app package strictly."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.apps import apps

from tests.processes import REPO


def _project_packages() -> set[str]:
    """The top-level packages of the apps that live in this repository (not installed libraries,
    even when the virtual environment is a folder of the repository, as `make` makes it)."""
    installed = Path(sys.prefix).resolve()
    paths = [Path(app.path).resolve() for app in apps.get_app_configs()]
    return {
        path.relative_to(REPO).parts[0]
        for path in paths
        if path.is_relative_to(REPO) and not path.is_relative_to(installed)
    }


@pytest.mark.slow
def test_bare_pytest_collects_tests_from_every_project_app() -> None:
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert collected.returncode == 0, collected.stdout[-2000:] + collected.stderr[-2000:]
    test_ids = [line for line in collected.stdout.splitlines() if "::" in line]
    packages_with_tests = {Path(test_id.split("::")[0]).parts[0] for test_id in test_ids}
    expected = _project_packages()
    assert {"cities", "collaborative", "courts", "housing", "youthjobs"} <= expected
    assert expected <= packages_with_tests, f"no tests collected from {sorted(expected - packages_with_tests)}"
    assert "tests" in packages_with_tests


def test_mypy_checks_every_project_app_strictly() -> None:
    mypy = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["mypy"]
    assert mypy["strict"] is True
    assert _project_packages() | {"civicportal"} <= set(mypy["files"])
