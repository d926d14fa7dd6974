"""What a resident's phone downloads: every text response compressed, and a court's page
(its map's boundaries included) light enough for a slow mobile connection."""

from __future__ import annotations

import sys

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from playwright.sync_api import Page, Request

from tests.browser.conftest import Site

pytestmark = pytest.mark.browser

COURT_PAGE_LIMIT = 400 * 1024
TEXT_TYPES = ("text/", "application/json", "application/geo+json", "application/javascript")


@pytest.fixture
def all_cities_site(site: Site, monkeypatch: pytest.MonkeyPatch) -> Site:
    # The live server answers /static/ itself, before any middleware; here static files are
    # left to the portal, so WhiteNoise and the compression serve them as in a deployment.
    monkeypatch.setattr(StaticFilesHandler, "_should_handle", lambda handler, path: False)
    site.load("all cities")
    return site


def bytes_on_the_wire(page: Page, action) -> tuple[int, list[tuple[str, str, str]]]:  # type: ignore[no-untyped-def]
    """Run `action` and count what every response it caused took on the wire (headers and
    encoded body); also each text response's address, type and encoding."""
    finished: list[Request] = []

    def listener(request: Request) -> None:
        finished.append(request)

    page.on("requestfinished", listener)
    action()
    page.wait_for_load_state("networkidle")
    page.remove_listener("requestfinished", listener)
    total = 0
    texts = []
    for request in finished:
        sizes = request.sizes()
        total += sizes["responseHeadersSize"] + sizes["responseBodySize"]
        response = request.response()
        assert response is not None
        headers = response.headers
        if headers.get("content-type", "").startswith(TEXT_TYPES) and sizes["responseBodySize"] > 1024:
            texts.append((request.url, headers.get("content-type", ""), headers.get("content-encoding", "")))
    return total, texts


def test_pages_and_data_go_out_compressed_and_a_court_page_stays_light(all_cities_site: Site) -> None:
    finder = all_cities_site.page(width=390)
    finder.goto(all_cities_site.url + "/cities/st-louis/courts/courts/")
    finder.locator("main table a").first.click()
    court_page = finder.url

    weights = {}
    for name, address, drawn in (
        ("home", all_cities_site.url + "/", "[data-chart-for] canvas"),
        ("dc-dashboard", all_cities_site.url + "/cities/washington-dc/housing/", ".leaflet-interactive"),
        ("court-page", court_page, '.court-map[data-boundaries-drawn="true"]'),
    ):
        # Each page in a fresh browser profile: an empty cache, as a first visit.
        page = all_cities_site.page(width=390)
        weights[name], texts = bytes_on_the_wire(
            page, lambda page=page, address=address, drawn=drawn: page.goto(address) and page.wait_for_selector(drawn)
        )
        uncompressed = [text for text in texts if text[2] not in ("gzip", "br")]
        assert uncompressed == [], f"{address}: text went out uncompressed: {uncompressed}"
    print("page weights (bytes on the wire):", weights, file=sys.stderr)
    assert weights["court-page"] < COURT_PAGE_LIMIT, weights
