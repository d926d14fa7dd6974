"""Names from data that carry markup, on every map, in Chromium: the text is shown as text,
no script runs, and the Content-Security-Policy reports no violation for the page's own
assets (the admin and the API docs included).

A hostile name is stored in the database (a court, a project) or served in a boundary file
(municipalities, wards, neighbourhoods: ingested datasets), then the map's tooltip or popup
is opened the way a resident opens it."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from playwright.sync_api import Page, Route, expect

from courts.models import Court
from courts.services import courts_demo_data_load
from housing.models import Project
from tests.browser.conftest import Site
from tests.browser.map_markers import open_popup
from youthjobs.models import MatchRun, Season
from youthjobs.placements import match_run_approve
from youthjobs.services import match_run_execute, synthetic_data_load

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="window.__xss=true">Evil'

# Before any of the page's scripts: a flag a hostile handler would set, and every CSP
# violation the browser reports.
WATCH = """
window.__xss = false;
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def watched_page(site: Site) -> Page:
    page = site.page()
    page.add_init_script(WATCH)
    return page


def assert_no_script_ran(page: Page) -> None:
    assert page.evaluate("window.__xss") is False
    assert page.locator("img[src=x]").count() == 0
    assert page.evaluate("window.__cspViolations") == []


def rename_features(page: Page, url_pattern: str, name_property: str) -> None:
    """Serve the boundary file with every feature's name replaced by the hostile name."""

    def hostile_boundaries(route: Route) -> None:
        response = route.fetch()
        collection = response.json()
        for feature in collection["features"]:
            feature["properties"][name_property] = HOSTILE
        route.fulfill(response=response, body=json.dumps(collection))

    page.route(url_pattern, hostile_boundaries)


def test_hostile_court_and_municipality_names_show_as_text(site: Site) -> None:
    courts_demo_data_load(data_dir=settings.CIVIC_DATA_DIR)
    Court.objects.filter(slug="ballwin-court").update(name=HOSTILE)

    page = watched_page(site)
    page.goto(site.url + "/cities/st-louis/courts/courts/ballwin-court/")
    page.wait_for_selector('.court-map[data-boundaries-drawn="true"]')
    expect(page.locator(".court-map .leaflet-tooltip")).to_have_text(HOSTILE)
    assert_no_script_ran(page)

    page = watched_page(site)
    rename_features(page, "**/municipal-boundaries.geojson", "municipality")
    page.goto(site.url + "/cities/st-louis/courts/")
    page.wait_for_selector('#municipality-map[data-boundaries-drawn="true"]')
    page.locator("#municipality-map path.leaflet-interactive").first.hover()
    expect(page.locator("#municipality-map .leaflet-tooltip").first).to_contain_text(HOSTILE + ": ")
    assert_no_script_ran(page)


def test_hostile_project_and_ward_names_show_as_text(site: Site) -> None:
    site.load("dc")
    Project.objects.update(name=HOSTILE)

    page = watched_page(site)
    rename_features(page, "**/boundaries/wards.geojson", "name")
    page.goto(site.url + "/cities/washington-dc/housing/")
    page.wait_for_selector('#project-map[data-boundaries-drawn="wards"]')
    page.wait_for_selector('#project-map[data-markers-drawn][aria-busy="false"]')
    expect(open_popup(page).get_by_role("link")).to_have_text(HOSTILE)
    # The ward under the markers, pointed at as the mouse would.
    page.locator("path.boundary--wards").first.dispatch_event("mouseover")
    expect(page.locator("#project-map .leaflet-tooltip").first).to_contain_text(HOSTILE)
    assert_no_script_ran(page)


def test_hostile_neighbourhood_names_show_as_text(site: Site) -> None:
    synthetic_data_load(youth=60, seed=3, data_dir=settings.CIVIC_DATA_DIR)
    run = MatchRun.objects.create(season=Season.objects.get(), mechanism="optimal", seed=1)
    match_run_execute(run_id=run.pk)
    # The dashboard draws its map once staff approved a run.
    match_run_approve(run=MatchRun.objects.get(pk=run.pk), approved_by=None)

    page = watched_page(site)
    rename_features(page, "**/neighbourhoods.geojson", "name")
    page.goto(site.url + "/cities/boston/summer-jobs/")
    page.locator("path.neighbourhood").first.hover()
    expect(page.locator("#youthjobs-map .leaflet-tooltip").first).to_contain_text(HOSTILE + ": ")
    assert_no_script_ran(page)


def test_admin_and_api_docs_run_under_the_content_security_policy(site: Site, admin_user) -> None:
    page = watched_page(site)
    response = page.goto(site.url + "/admin/")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_label("Username").fill(admin_user.username)
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Grants").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("grant")
    assert_no_script_ran(page)

    page = watched_page(site)
    response = page.goto(site.url + "/api/docs/")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Civic Portal API")
    expect(page.locator(".opblock").first).to_be_visible()
    assert_no_script_ran(page)
