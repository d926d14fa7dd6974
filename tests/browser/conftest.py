"""Debian's Chromium driven by Playwright, against the live server with the demo data.

The browser is never Playwright's own download: the tests use /usr/bin/chromium and fail
(never skip) when it is missing, as they fail when PostgreSQL or Redis is missing.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from cities.after_response import WORK_THREAD_NAME
from cities.services import app_demo_data_load, demo_data_load
from housing.services import housing_demo_data_load
from tests.accounts import STAFF_PASSWORD
from tests.browser.snapshots import DataSet, Snapshots
from youthjobs.models import MatchRun, Season
from youthjobs.placements import match_run_approve
from youthjobs.services import match_run_execute, synthetic_data_load

CHROMIUM = Path("/usr/bin/chromium")
# No sandbox: CI runs as root in a container. The rest stops Chromium talking to Google
# (updates, sync, field trials), so every request the tests see comes from the page.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The browser tests first, as one group (`make test` runs pytest-xdist with
    `--dist=loadgroup`): one worker runs them all, building each of the DATA_SETS once,
    while the other starts on the rest of the suite. Last, they would run alone at the end."""
    here = Path(__file__).parent
    browser_tests = [item for item in items if item.path.is_relative_to(here)]
    for item in browser_tests:
        item.add_marker(pytest.mark.xdist_group("browser"))
    items[:] = browser_tests + [item for item in items if not item.path.is_relative_to(here)]


# The longest a test's after-response work may take once the test is over (under CI's load).
AFTER_RESPONSE_WORK_SECONDS = 180


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/ensure_test_services.sh)")
    # Playwright's sync API keeps an event loop running in this thread while the browser
    # is open; Django refuses ORM calls (the live server's fixtures, the database flush)
    # from such a thread unless told they are deliberate. Only for as long as the browser lives.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


@dataclass
class Site:
    """The live server's address, and every address a page of the test asked for."""

    url: str
    browser: Browser
    snapshots: Snapshots
    requested: list[str] = field(default_factory=list)
    contexts: list[BrowserContext] = field(default_factory=list)

    def page(self, *, javascript: bool = True, width: int = 1280) -> Page:
        """A new tab in a fresh browser profile (no cookies, no cache)."""
        context = self.browser.new_context(java_script_enabled=javascript, viewport={"width": width, "height": 900})
        self.contexts.append(context)
        page = context.new_page()
        page.on("request", lambda request: self.requested.append(request.url))
        return page

    def signed_in_page(self, username: str, password: str = STAFF_PASSWORD) -> Page:
        """A new tab of someone who signed in at /admin/ as a person does."""
        page = self.page()
        page.goto(self.url + "/admin/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        return page

    def load(self, data_set: str) -> None:
        """Give the live server's database one of the DATA_SETS (a fresh copy of it)."""
        self.snapshots.load(data_set)

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requested if not url.startswith(self.url + "/")]


def _boston_run(*, approve: bool) -> None:
    """An optimal run of the season's round 1 (seed 1), approved by a supervisor if `approve`."""
    run = match_run_execute(run_id=MatchRun.objects.create(season=Season.objects.get(), mechanism="optimal", seed=1).pk)
    if approve:
        match_run_approve(run=run, approved_by=None)


# The sets of data several browser tests start from (`Site.load`), each built once per session.
# Builds run with no test transaction: each file's commit runs what its ingestion enqueues
# (DC's risk assessment, Boston's eligibility), as a worker would.
DATA_SETS = {
    "core": DataSet(build=demo_data_load),
    "all cities": DataSet(base="core", build=lambda: app_demo_data_load(data_dir=settings.CIVIC_DATA_DIR)),
    "courts": DataSet(
        base="core", build=lambda: app_demo_data_load(data_dir=settings.CIVIC_DATA_DIR, labels={"courts"})
    ),
    "collaborative": DataSet(
        base="core", build=lambda: app_demo_data_load(data_dir=settings.CIVIC_DATA_DIR, labels={"collaborative"})
    ),
    # The demo's three Boston seasons, as `make run` loads them: 2017 and 2018 matched and over,
    # the current one with 800 synthetic youth and an optimal run of round 1 waiting for approval.
    "youthjobs": DataSet(
        base="core", build=lambda: app_demo_data_load(data_dir=settings.CIVIC_DATA_DIR, labels={"youthjobs"})
    ),
    "dc": DataSet(base="core", build=lambda: housing_demo_data_load(data_dir=settings.CIVIC_DATA_DIR)),
    "dc without profiles": DataSet(
        base="core", build=lambda: housing_demo_data_load(data_dir=settings.CIVIC_DATA_DIR, with_profiles=False)
    ),
    # A small Boston season (150 youth), before any run, with a run waiting, with it approved.
    "boston 150": DataSet(
        base="core", build=lambda: synthetic_data_load(youth=150, seed=3, data_dir=settings.CIVIC_DATA_DIR)
    ),
    "boston 150 run waiting": DataSet(base="boston 150", build=lambda: _boston_run(approve=False)),
    "boston 150 run approved": DataSet(base="boston 150", build=lambda: _boston_run(approve=True)),
}


@pytest.fixture(scope="session")
def snapshots(tmp_path_factory: pytest.TempPathFactory) -> Snapshots:
    return Snapshots(data_sets=DATA_SETS, directory=tmp_path_factory.mktemp("snapshots"))


@pytest.fixture
def site(browser: Browser, live_server, transactional_db, snapshots: Snapshots) -> Iterator[Site]:
    """The live server with the core's demo data."""
    snapshots.load("core")
    site = Site(url=live_server.url, browser=browser, snapshots=snapshots)
    yield site
    for context in site.contexts:
        context.close()
    # Work a page started after its answer (the offers an approval sends) ends before the
    # database is emptied: the next test's data, restored with the same ids, would get its writes.
    for thread in threading.enumerate():
        if thread.name == WORK_THREAD_NAME:
            thread.join(timeout=AFTER_RESPONSE_WORK_SECONDS)
            assert not thread.is_alive(), "work started after a response was still running at the end of the test"
