"""Washington DC's affordable housing pages in Chromium, as a resident uses them: from the
city's page to the dashboard, filtering, the map and its charts, a project's risk flags, on
a phone and without JavaScript."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from housing import map_grid
from housing.models import Project
from tests.browser.conftest import Site
from tests.browser.map_markers import marker_in_sight, open_popup
from tests.browser.screen import fits_the_screen

pytestmark = pytest.mark.browser

# A fixed address, so a reviewer finds the dashboard as Chromium drew it after every run.
DASHBOARD_SCREENSHOT = Path("/tmp/dc.png")  # noqa: S108
DASHBOARD = "/cities/washington-dc/housing/"
CLUSTERS_SCREENSHOT = Path("/tmp/dc-map-clusters.png")  # noqa: S108
CLUSTERS_PHONE_SCREENSHOT = Path("/tmp/dc-map-clusters-phone.png")  # noqa: S108


@pytest.fixture
def dc_site(site: Site) -> Site:
    site.load("dc")
    return site


# What the map's endpoint answers for the view the map shows, read in the page.
MAP_VIEW_ANSWER = """async () => {
  const address = new URL(document.getElementById('project-map').dataset.pointsUrl, location.href);
  const map = document.getElementById('project-map');
  address.searchParams.set('bbox', map.dataset.viewBbox);
  address.searchParams.set('zoom', map.dataset.viewZoom);
  return (await fetch(address)).json();
}"""
# A small enough limit that the real Catalog's 362 projects are grouped at the city's zoom.
FEW_POINTS = 40


def wait_for_map(page: Page, boundaries: str = "wards") -> None:
    """Until the map has drawn its boundaries and the points of the view it settled on (never
    "failed")."""
    page.wait_for_selector(f'#project-map[data-boundaries-drawn="{boundaries}"]')
    page.wait_for_selector('#project-map[data-markers-drawn][aria-busy="false"]')
    expect(page.locator("#project-map")).not_to_have_attribute("data-markers-drawn", "failed")


def test_resident_opens_the_dashboard_from_washington_and_filters_by_a_ward(dc_site: Site) -> None:
    page = dc_site.page()
    page.goto(dc_site.url + "/cities/washington-dc/")

    page.get_by_role("link", name="Washington DC affordable housing").click()

    expect(page).to_have_url(dc_site.url + DASHBOARD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Affordable housing at risk")
    expect(page.locator("#figure-projects")).to_have_text("362")
    expect(page.locator("#projects-count")).to_contain_text("Projects 1 to 25 of 362")
    everyone = page.locator("#figure-assisted-units").inner_text()

    page.get_by_label("Ward", exact=True).select_option("Ward 1")
    page.get_by_role("button", name="Show projects").click()

    expect(page).to_have_url(re.compile(r"\?ward=Ward\+1&"))
    expect(page.locator("#active-filters")).to_have_text("Projects matching: Ward 1")
    expect(page.locator("#figure-projects")).to_have_text("74")
    assert page.locator("#figure-assisted-units").inner_text() != everyone
    wards = page.locator("#projects-table tbody tr td:nth-child(2)")
    expect(wards).to_have_count(25)
    assert set(wards.all_inner_texts()) == {"Ward 1"}
    expect(page.get_by_label("Ward", exact=True)).to_have_value("Ward 1")
    wait_for_map(page)
    expect(page.locator("path.project-marker")).to_have_count(74)
    expect(page.locator("#project-map-status")).to_have_text("74 projects on the map.")
    assert dc_site.foreign_requests() == [], "no request may leave the machine"


def test_map_draws_boundaries_and_every_project_from_local_files(dc_site: Site) -> None:
    page = dc_site.page()
    page.goto(dc_site.url + DASHBOARD)

    wait_for_map(page)
    expect(page.locator("path.boundary--wards")).to_have_count(8)
    expect(page.locator("path.project-marker")).to_have_count(Project.objects.count())
    high = Project.objects.filter(risk_assessment__level="high").count()
    expect(page.locator("path.project-marker--high")).to_have_count(high)
    box = page.locator("#project-map").bounding_box()
    assert box is not None
    assert box["width"] > 800
    assert box["height"] > 400

    chart = page.locator("[data-chart-for=expiry-timeline] canvas")
    expect(chart).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('canvas'))")
    labels = page.evaluate("() => Chart.getChart(document.querySelector('canvas')).data.labels")
    assert labels == page.locator("#expiry-timeline tbody th").all_inner_texts(), "the chart reads the table"
    page.screenshot(path=str(DASHBOARD_SCREENSHOT), full_page=True)

    # The smallest projects are drawn last, on top: the last circle is never covered.
    points = page.evaluate(MAP_VIEW_ANSWER)
    assert points["kind"] == "projects"
    last = dict(zip(points["columns"], points["rows"][-1], strict=True))
    popup = open_popup(page, page.locator("path.project-marker").last)
    expect(popup.get_by_role("link", name=last["name"], exact=True)).to_have_attribute(
        "href", points["project_url"].replace("{id}", last["id"])
    )
    expect(popup).to_contain_text(f"{points['levels'][last['level']]} risk")

    page.get_by_label("Neighbourhood cluster boundaries").check()
    wait_for_map(page, "clusters")
    expect(page.locator("path.boundary--clusters")).to_have_count(46)
    expect(page.locator("path.boundary--wards")).to_have_count(0)

    requested = dc_site.requested
    assert any(url.endswith("/static/vendor/leaflet/leaflet.js") for url in requested)
    assert any(url.endswith(f"{DASHBOARD}boundaries/wards.geojson") for url in requested)
    assert any(url.endswith(f"{DASHBOARD}boundaries/clusters.geojson") for url in requested)
    assert any(f"{DASHBOARD}map-points.json?bbox=" in url for url in requested)
    assert dc_site.foreign_requests() == [], "no tiles, no CDN: every request stays on the site"


def test_resident_zooms_from_the_city_s_groups_of_projects_to_a_project_page(
    dc_site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The live server runs in this process: the map groups more than FEW_POINTS projects.
    monkeypatch.setattr(map_grid, "MAX_POINTS", FEW_POINTS)
    for width, screenshot in ((1280, CLUSTERS_SCREENSHOT), (390, CLUSTERS_PHONE_SCREENSHOT)):
        page = dc_site.page(width=width)
        page.goto(dc_site.url + "/")
        page.get_by_role("link", name="DC affordable housing", exact=True).click()
        expect(page).to_have_url(dc_site.url + DASHBOARD)
        wait_for_map(page)

        container = page.locator("#project-map")
        expect(container).to_have_attribute("data-drawn-kind", "clusters")
        expect(container).to_have_attribute("data-markers-drawn", str(Project.objects.exclude(latitude=None).count()))
        counts = page.locator(".project-cluster-count")
        assert counts.count() > 1
        numbers = [int(text.replace(",", "")) for text in counts.all_inner_texts()]
        assert sum(numbers) == Project.objects.exclude(latitude=None).count(), "every project in one group"
        expect(page.locator("#project-map-status")).to_contain_text("Zoom in or select a group")
        counts.first.hover()
        expect(page.locator("#project-map .project-cluster-tooltip")).to_contain_text(re.compile(r"\d+ projects? \("))
        page.screenshot(path=str(screenshot), full_page=False)

        # Select the groups until the view holds few enough projects to draw one by one.
        for _ in range(6):
            if container.get_attribute("data-drawn-kind") == "projects":
                break
            drawn = container.get_attribute("data-view-zoom")
            counts.first.click()
            expect(container).not_to_have_attribute("data-view-zoom", drawn or "")
            page.wait_for_load_state("networkidle")
        expect(container).to_have_attribute("data-drawn-kind", "projects")
        markers = page.locator("path.project-marker")
        assert 0 < markers.count() <= FEW_POINTS

        link = open_popup(page).get_by_role("link")
        name = link.inner_text()
        link.click()
        expect(page).to_have_url(re.compile(r"/cities/washington-dc/housing/projects/NL\d+/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
    assert dc_site.foreign_requests() == []


def test_a_popup_opened_at_the_map_s_edge_stays_open_when_the_map_pans_to_show_it(dc_site: Site) -> None:
    page = dc_site.page(width=390)
    page.goto(dc_site.url + DASHBOARD)
    wait_for_map(page)
    container = page.locator("#project-map")
    before = container.get_attribute("data-view-bbox")

    marker_in_sight(page, nearest_the_top=True).click()
    name = page.locator(".leaflet-popup-content a").inner_text()

    expect(container).not_to_have_attribute("data-view-bbox", before or "")
    wait_for_map(page)
    expect(page.locator("#project-map .leaflet-popup")).to_have_count(1)
    popup = page.locator(".leaflet-popup-content")
    expect(popup.get_by_role("link", name=name, exact=True)).to_be_visible()
    popup_box, map_box = popup.bounding_box(), container.bounding_box()
    assert popup_box is not None and map_box is not None
    assert popup_box["y"] >= map_box["y"], "the map panned until the popup is inside it"


def test_a_cluster_filter_draws_cluster_boundaries_with_its_own_projects(dc_site: Site) -> None:
    page = dc_site.page()
    page.goto(dc_site.url + DASHBOARD + "?cluster=Cluster+7")

    wait_for_map(page, "clusters")
    expect(page.locator("path.project-marker")).to_have_count(Project.objects.filter(cluster_code="Cluster 7").count())
    expect(page.get_by_label("Neighbourhood cluster boundaries")).to_be_checked()


def test_map_says_so_when_its_points_cannot_be_loaded_and_the_table_still_lists_them(dc_site: Site) -> None:
    page = dc_site.page()
    page.route("**/map-points.json*", lambda route: route.fulfill(status=503, body="unavailable"))
    page.goto(dc_site.url + DASHBOARD)

    expect(page.locator("#project-map")).to_have_attribute("data-markers-drawn", "failed")
    expect(page.locator("#project-map-status")).to_have_text(
        "The map's projects could not be loaded; the table below lists them."
    )
    expect(page.locator("path.project-marker")).to_have_count(0)
    expect(page.locator("#projects-table tbody tr")).to_have_count(25)


def test_resident_reads_why_a_project_is_at_risk_and_the_evidence(dc_site: Site) -> None:
    page = dc_site.page()
    page.goto(dc_site.url + DASHBOARD + "?risk_level=high")
    first = page.locator("#projects-table tbody tr").first
    name = first.locator("th").inner_text()

    first.get_by_role("link").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator("#project-risk")).to_contain_text("Preservation risk: High")
    flags = page.get_by_role("region", name="Why this risk level").locator(".risk-flag")
    expect(flags.first).to_be_visible()
    for index in range(flags.count()):
        flag = flags.nth(index)
        expect(flag.get_by_role("heading", level=3)).not_to_be_empty()
        for term in ("Rule", "Counts as", "Record", "Source"):
            expect(flag.locator("dt", has_text=term)).to_be_visible()
    expect(flags.first.locator("dd").nth(2)).not_to_be_empty()
    subsidies = page.get_by_role("region", name="Subsidies")
    expect(subsidies.get_by_role("table", name="The project's subsidies")).to_be_visible()
    expect(page.get_by_role("region", name="Sales and foreclosure records")).not_to_contain_text("Sold to")
    page.get_by_role("link", name="Back to all projects").click()
    expect(page).to_have_url(dc_site.url + DASHBOARD + "?risk_level=high")
    expect(page.get_by_label("Risk level", exact=True)).to_have_value("high")
    expect(page.locator("#projects-table tbody tr").first.locator("th")).to_have_text(name)
    assert dc_site.foreign_requests() == []


def test_dashboard_without_javascript_still_shows_every_table_and_filters(dc_site: Site) -> None:
    page = dc_site.page(javascript=False)
    page.goto(dc_site.url + DASHBOARD)

    timeline = page.get_by_role("table", name="Assisted homes whose affordability ends, by year")
    expect(timeline).to_be_visible()
    expect(timeline.locator("tbody tr")).to_have_count(10)
    expect(page.get_by_role("table", name="Projects, by risk level and when their affordability ends")).to_be_visible()
    expect(page.locator("#projects-table tbody tr")).to_have_count(25)
    expect(page.get_by_role("table", name="Median single-family sale price by neighbourhood cluster")).to_be_visible()
    expect(page.locator("#project-map-figure")).to_be_hidden()
    expect(page.locator("canvas")).to_have_count(0)

    page.get_by_label("Risk level", exact=True).select_option("high")
    page.get_by_role("button", name="Show projects").click()

    expect(page.locator("#active-filters")).to_have_text("Projects matching: Risk level: High")
    expect(page.get_by_role("link", name="Download this table as CSV")).to_have_attribute(
        "href", re.compile(r"expiry-timeline\.csv\?.*risk_level=high")
    )


def test_a_mistyped_filter_in_the_address_shows_the_form_with_its_error(dc_site: Site) -> None:
    page = dc_site.page()
    response = page.goto(dc_site.url + DASHBOARD + "?ward=Ward+9")

    assert response is not None
    assert response.status == 400
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("These filters cannot be used")
    expect(alert).to_contain_text("Ward 9 is not one of the available choices")
    alert.get_by_role("link", name="Ward").click()
    expect(page.get_by_label("Ward", exact=True)).to_be_focused()


def test_dashboard_and_project_page_fit_a_phone(dc_site: Site) -> None:
    page = dc_site.page(width=390)
    for address in (DASHBOARD, DASHBOARD + "projects/NL000076/"):
        page.goto(dc_site.url + address)
        assert fits_the_screen(page), address
    page.goto(dc_site.url + DASHBOARD)
    wait_for_map(page)
    box = page.locator("#project-map").bounding_box()
    assert box is not None
    assert box["width"] <= 390
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
