"""Every resident page reflows as the window changes, as a phone turned from landscape to
portrait does: nothing scrolls sideways at 390 or 320 px (WCAG 1.4.10), and every chart and
map is redrawn within the window, then grows back when the window does."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import Site
from youthjobs.models import MatchRun
from youthjobs.placements import match_run_approve

pytestmark = pytest.mark.browser

# A laptop, a phone, the narrowest phone WCAG asks for, and back: the way back catches a
# chart that only ever grows.
WIDTHS = (1366, 390, 320, 1366)
COURT_LIST = "/cities/st-louis/courts/courts/"
# Pages of text and tables, with no chart or map.
UNDRAWN = (COURT_LIST, "/cities/boston/summer-jobs/positions/", "/privacy/")


@pytest.fixture
def all_cities_site(site: Site) -> Site:
    site.load("all cities")
    # Boston's charts and map are drawn once staff approved a match run (the past seasons' are).
    match_run_approve(run=MatchRun.objects.get(approved_at__isnull=True), approved_by=None)
    return site


def overflow(page: Page) -> dict[str, float]:
    """How wide the page is against the window, and the widest chart or map against it."""
    return page.evaluate(
        """() => {
          const drawn = [...document.querySelectorAll('canvas, .leaflet-container')]
            .filter((element) => element.offsetParent !== null);
          return {
            window: window.innerWidth,
            page: document.documentElement.scrollWidth,
            widest_drawing: Math.max(0, ...drawn.map((element) => element.getBoundingClientRect().right)),
            drawings: drawn.length,
          };
        }"""
    )


def resize_and_check(page: Page, address: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        # Chart.js and Leaflet redraw on the window's resize event, after a frame.
        page.wait_for_timeout(400)
        seen = overflow(page)
        assert seen["page"] <= width, f"{address} scrolls sideways at {width} px: {seen}"
        assert seen["widest_drawing"] <= width, f"{address}: a chart or map is wider than {width} px: {seen}"
    if address not in UNDRAWN:
        assert seen["widest_drawing"] > WIDTHS[-1] / 2, f"{address}: no chart or map grew back to the window: {seen}"


def test_every_resident_page_reflows_from_a_laptop_to_a_narrow_phone_and_back(all_cities_site: Site) -> None:
    page = all_cities_site.page(width=WIDTHS[0])
    page.goto(all_cities_site.url + "/")
    resize_and_check(page, "/")
    for address in (
        "/cities/boston/summer-jobs/",
        "/cities/washington-dc/housing/",
        "/cities/st-louis/courts/",
        *UNDRAWN,
    ):
        page.goto(all_cities_site.url + address)
        page.wait_for_load_state("networkidle")
        resize_and_check(page, address)
    page.goto(all_cities_site.url + COURT_LIST)
    page.locator("main table a").first.click()
    page.wait_for_selector('.court-map[data-boundaries-drawn="true"]')
    resize_and_check(page, page.url)
