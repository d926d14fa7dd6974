"""Boston's summer jobs pages in Chromium, as a resident and a youth use them: from the
city's page to the dashboard with its map and charts, without JavaScript, on a phone, and a
youth accepting an offer through their private link."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Site
from tests.browser.screen import fits_the_screen
from youthjobs.models import Applicant, MatchRun, Position
from youthjobs.offers import offer_token
from youthjobs.placements import match_run_approve

pytestmark = pytest.mark.browser

DASHBOARD = "/cities/boston/summer-jobs/"


@pytest.fixture
def boston_site(site: Site) -> Site:
    site.load("boston 150 run approved")
    return site


def test_resident_opens_the_dashboard_from_boston_and_sees_the_map(boston_site: Site) -> None:
    page = boston_site.page()
    page.goto(boston_site.url + "/cities/boston/")

    page.get_by_role("link", name="Boston summer jobs").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Summer jobs for Boston's youth")
    expect(page.locator("#figure-applicants")).to_have_text("150")
    expect(page.locator("#youthjobs-map-figure")).to_be_visible()
    expect(page.locator("path.neighbourhood").first).to_be_attached()
    # The season's four charts and the five of the seasons compared, each drawn.
    expect(page.locator(".chart canvas")).to_have_count(9)
    assert "Synthetic Youth" not in page.content()
    assert boston_site.foreign_requests() == []


def test_dashboard_reads_without_javascript_and_on_a_phone(boston_site: Site) -> None:
    plain = boston_site.page(javascript=False)
    plain.goto(boston_site.url + DASHBOARD)
    expect(plain.locator("#by-neighbourhood tbody tr").first).to_be_visible()
    expect(plain.locator("#youthjobs-map-figure")).to_be_hidden()

    phone = boston_site.page(width=375)
    phone.goto(boston_site.url + DASHBOARD)
    assert fits_the_screen(phone)


def test_youth_accepts_an_offer_by_keyboard(boston_site: Site) -> None:
    placement = MatchRun.objects.get().placements.select_related("position").first()
    page = boston_site.page()
    page.goto(boston_site.url + f"/cities/boston/summer-jobs/offers/{offer_token(placement)}/")

    page.get_by_role("button", name="Accept this job").focus()
    page.keyboard.press("Enter")

    expect(page.locator("#offer-answer")).to_contain_text("you accepted the job of " + placement.position.title)
    page.reload()
    expect(page.locator("#offer-problem")).to_contain_text("answered or closed already")
    assert Applicant.objects.get(pk=placement.applicant_id).placements.get().state == "accepted"


def test_a_young_person_sees_the_open_jobs_before_any_match_and_then_checks_their_offer(site: Site) -> None:
    site.load("boston 150 run waiting")
    run = MatchRun.objects.get()
    page = site.page(width=390)
    page.goto(site.url + "/")
    page.get_by_role("link", name="Boston summer jobs").click()

    expect(page.locator("#no-approved-run")).to_contain_text("no match run has been approved")
    expect(page.locator(".chart")).to_have_count(0)
    expect(page.get_by_text("fewer than 10")).to_have_count(0)
    page.get_by_role("link", name="See this season's open jobs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open summer jobs")
    position = Position.objects.select_related("site").order_by("site__neighbourhood", "category", "title").first()
    first_row = page.locator("#positions-table tbody tr").first
    expect(first_row).to_contain_text(position.title)
    expect(first_row).to_contain_text(position.site.name)
    expect(first_row).to_contain_text(position.category)
    expect(page.locator("#positions-count")).to_have_text(f"{Position.objects.count()} jobs with a free seat.")

    match_run_approve(run=run, approved_by=None)
    placement = run.placements.select_related("position").filter(state="offered").first()
    page.get_by_role("link", name="Check your offer").click()
    page.get_by_label("The link from your message").fill(
        f"{site.url}/cities/boston/summer-jobs/offers/{offer_token(placement)}/"
    )
    page.get_by_role("button", name="Open my offer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your summer job offer")
    expect(page.locator(".offer")).to_contain_text(placement.position.title)
    page.get_by_role("button", name="Accept this job").click()
    expect(page.locator("#offer-answer")).to_contain_text("you accepted the job")
    assert run.placements.get(pk=placement.pk).state == "accepted"
    assert site.foreign_requests() == []
