"""The core's public pages in Chromium, as a resident uses them: reading, following links,
filtering, with and without JavaScript."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Site
from tests.browser.screen import fits_the_screen

pytestmark = pytest.mark.browser

# A fixed address, so a reviewer finds the home page as Chromium drew it after every run.
HOME_SCREENSHOT = Path("/tmp/home.png")  # noqa: S108
CORE_CITIES = ["Boston", "St. Louis", "Washington"]
LEARNING_PARTNERS = ["Cleveland", "Pittsburgh", "San Antonio", "Seattle"]


def test_home_shows_the_cities_grants_and_a_chart_drawn_from_local_files(site: Site) -> None:
    page = site.page()
    page.goto(site.url + "/")

    expect(page.get_by_role("heading", level=1)).to_have_text("What you can do here")
    expect(page.get_by_role("heading", level=2, name="The Civic Tech and Data Collaborative")).to_be_visible()
    core = page.get_by_role("region", name="Core cities", exact=True)
    learning = page.get_by_role("region", name="Learning partners", exact=True)
    for name in CORE_CITIES:
        expect(core.get_by_role("link", name=name, exact=True)).to_be_visible()
    for name in LEARNING_PARTNERS:
        expect(learning.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(page.locator("#grant-total")).to_have_text("$640,000")
    expect(page.locator("#grants-by-city tfoot")).to_contain_text("$640,000")

    canvas = page.locator("[data-chart-for=grants-by-city] canvas")
    expect(canvas).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('canvas'))")
    chart = page.evaluate(
        "() => { const chart = Chart.getChart(document.querySelector('canvas'));"
        " return {labels: chart.data.labels,"
        " values: chart.data.labels.map((_, i) => chart.data.datasets.map(d => d.data[i]).find(v => v !== null))}; }"
    )
    assert chart == {
        "labels": [*CORE_CITIES, *LEARNING_PARTNERS],
        "values": [200000, 200000, 200000, 10000, 10000, 10000, 10000],
    }, "the chart shows the table's numbers"
    box = canvas.bounding_box()
    assert box is not None
    assert box["width"] > 300
    assert box["height"] > 200

    assert any(url.endswith("/static/vendor/chart.js/chart.umd.min.js") for url in site.requested)
    assert site.foreign_requests() == [], "no request may leave the machine"
    page.screenshot(path=str(HOME_SCREENSHOT), full_page=True)


def test_resident_follows_boston_to_its_partners_grants_and_a_dataset(site: Site) -> None:
    page = site.page()
    page.goto(site.url + "/")

    page.get_by_role("region", name="Core cities", exact=True).get_by_role("link", name="Boston", exact=True).click()

    expect(page).to_have_url(site.url + "/cities/boston/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Boston, MA")
    partners = page.get_by_role("region", name="Partners", exact=True)
    expect(partners.get_by_role("heading", name="Government agency")).to_be_visible()
    expect(partners).to_contain_text("Department of Youth Engagement and Employment")
    expect(partners).to_contain_text("Runs the summer jobs programme")
    expect(partners.get_by_role("heading", name="University")).to_be_visible()
    grants = page.get_by_role("region", name="Grants", exact=True)
    expect(grants).to_contain_text("Civic Tech and Data Collaborative: core city grant")
    expect(grants.locator("#city-grant-total")).to_have_text("$200,000")
    expect(page.get_by_role("link", name="Boston summer jobs", exact=True)).to_have_attribute(
        "href", "/cities/boston/summer-jobs/"
    )

    page.get_by_role("region", name="Datasets", exact=True).get_by_role(
        "link", name="SuccessLink summer job positions, 2018"
    ).click()

    expect(page).to_have_url(site.url + "/datasets/successlink-positions-2018/")
    provenance = page.get_by_role("region", name="Where the data come from", exact=True)
    expect(provenance).to_contain_text(
        "CityOfBoston/successlink-backend:lib/import/positions.json @ 8a434b3b2db373ee83e15f4bab90915494e7ab92"
    )
    expect(provenance.get_by_role("link", name="https://github.com/CityOfBoston/successlink-backend")).to_be_visible()
    expect(provenance).to_contain_text("Department of Youth Engagement and Employment")
    expect(page.get_by_role("region", name="Ingestion history", exact=True)).to_contain_text("No file of this dataset")
    assert site.foreign_requests() == []


def test_resident_filters_the_catalogue_and_reads_a_dataset_history(site: Site) -> None:
    page = site.page()
    page.goto(site.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Datasets").click()

    page.get_by_label("City").select_option(label="St. Louis")
    page.get_by_role("button", name="Show datasets").click()

    expect(page).to_have_url(site.url + "/datasets/?city=st-louis")
    expect(page.locator("#result-count")).to_contain_text("12 datasets of St. Louis")
    expect(page.get_by_role("link", name="Municipal court citations (hackathon sample)")).to_be_visible()
    expect(page.get_by_role("link", name="DC Preservation Catalog: projects")).to_have_count(0)

    page.get_by_role("link", name="show all").click()
    page.get_by_role("link", name="Grants to the cities").click()

    expect(page).to_have_url(site.url + "/datasets/grants/")
    provenance = page.get_by_role("region", name="Where the data come from", exact=True)
    expect(provenance).to_contain_text("Civic Portal demo data (cities/demo/grants.csv)")
    expect(provenance).to_contain_text("CC0 1.0")
    expect(page.get_by_role("region", name="File format", exact=True)).to_contain_text("date (YYYY-MM-DD)")
    runs = page.get_by_role("region", name="Ingestion history", exact=True).locator("tbody tr")
    expect(runs).to_have_count(1)
    expect(runs.first).to_contain_text("grants.csv")
    expect(runs.first).to_contain_text("Succeeded")
    expect(runs.first.locator("td").nth(2)).to_have_text(re.compile(r"^[0-9a-f]{12}$"))
    assert site.foreign_requests() == []


def test_pages_work_without_javascript(site: Site) -> None:
    page = site.page(javascript=False)
    page.goto(site.url + "/")

    table = page.get_by_role("table", name="Grants by city")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr[data-group]")).to_have_count(7)
    expect(table.get_by_role("row", name=re.compile(r"^Boston 1 \$200,000$"))).to_be_visible()
    expect(table.locator("tfoot")).to_contain_text("$640,000")
    expect(page.locator("canvas")).to_have_count(0)
    expect(page.locator("[data-chart-for]")).to_be_hidden()

    page.get_by_role("link", name="Datasets").first.click()
    page.get_by_label("City").select_option(label="Washington")
    page.get_by_role("button", name="Show datasets").click()
    expect(page).to_have_url(site.url + "/datasets/?city=washington-dc")
    expect(page.get_by_role("link", name="DC Preservation Catalog: projects")).to_be_visible()


def test_keyboard_users_can_skip_to_the_main_content_on_a_phone(site: Site) -> None:
    page = site.page(width=390)
    page.goto(site.url + "/cities/st-louis/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(site.url + "/cities/st-louis/#main")
    assert fits_the_screen(page), "nothing makes a phone scroll sideways"


def test_resident_on_a_phone_reaches_each_city_service_in_one_click_and_reads_the_privacy_page(site: Site) -> None:
    page = site.page(width=390)
    # (the link, a word of its line on what a resident can do, where it leads, that page's heading)
    services = [
        ("Find my ticket", "court date", "/cities/st-louis/courts/find-my-ticket/", "Find my ticket"),
        ("DC affordable housing", "subsidies", "/cities/washington-dc/housing/", "Affordable housing"),
        ("Boston summer jobs", "your own offer", "/cities/boston/summer-jobs/", "Summer jobs"),
    ]
    for link, line, address, heading in services:
        page.goto(site.url + "/")
        offered = page.get_by_role("heading", level=2, name=link)
        expect(offered.locator("xpath=..")).to_contain_text(line)
        offered.get_by_role("link").click()
        expect(page).to_have_url(site.url + address)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)

    footer = page.get_by_role("contentinfo")
    expect(footer.get_by_role("link", name="Open data API for partners and developers")).to_be_visible()
    footer.get_by_role("link", name="Privacy: what we keep and how to be forgotten").click()
    expect(page).to_have_url(site.url + "/privacy/")
    expect(page.get_by_role("heading", name="How to be forgotten")).to_be_visible()
    expect(page.get_by_role("link", name="privacy@civicportal.local")).to_have_attribute(
        "href", "mailto:privacy@civicportal.local"
    )
    assert any(url.endswith("/static/favicon.svg") for url in site.requested), "the browser fetched the favicon"
    assert not any(url.endswith("/favicon.ico") for url in site.requested)
    assert site.foreign_requests() == []
