"""Debian's Chromium driven by Playwright, against the live server with the demo data.

The browser is never Playwright's own download: the tests use /usr/bin/chromium and fail
(never skip) when it is missing, as they fail when PostgreSQL or Redis is missing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from cities.services import demo_data_load

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
    requested: list[str] = field(default_factory=list)
    contexts: list[BrowserContext] = field(default_factory=list)

    def page(self, *, javascript: bool = True, width: int = 1280) -> Page:
        """A new tab in a fresh browser profile (no cookies, no cache)."""
        context = self.browser.new_context(java_script_enabled=javascript, viewport={"width": width, "height": 900})
        self.contexts.append(context)
        page = context.new_page()
        page.on("request", lambda request: self.requested.append(request.url))
        return page

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requested if not url.startswith(self.url + "/")]


@pytest.fixture
def site(browser: Browser, live_server, transactional_db) -> Iterator[Site]:
    demo_data_load()
    site = Site(url=live_server.url, browser=browser)
    yield site
    for context in site.contexts:
        context.close()
