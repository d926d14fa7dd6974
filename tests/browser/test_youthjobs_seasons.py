"""Boston's seasons over the years in Chromium: a resident picks a past season on the public
dashboard and reads the seasons compared (on a phone too); staff copy a season into a new
one and edit a position, start a what-if run that cannot be approved, compare the seasons
and read a returning youth's seasons on their case page. Everything from `/` or `/admin/`."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Site
from tests.browser.screen import fits_the_screen
from youthjobs.models import Applicant, MatchRun, Position, Season

pytestmark = pytest.mark.browser


@pytest.fixture
def seasons_demo(site: Site) -> Site:
    """The demo's three seasons, as `make run` loads them: 2017 and 2018 matched and over,
    2026 with a run waiting for approval."""
    site.load("youthjobs")
    return site


def test_resident_picks_a_past_season_and_compares_the_seasons(seasons_demo: Site) -> None:
    page = seasons_demo.page()
    page.goto(seasons_demo.url + "/")
    page.get_by_role("link", name="Boston summer jobs").click()

    overview = page.locator("#seasons-overview tbody tr")
    expect(overview).to_have_count(3)
    expect(overview.nth(0)).to_contain_text("2017")
    expect(overview.nth(0)).to_contain_text("125")
    expect(overview.nth(1)).to_contain_text("184")
    expect(overview.nth(2)).to_contain_text("not matched yet")

    page.get_by_label("Season", exact=True).select_option("2017")
    page.get_by_role("button", name="Show this season").click()

    expect(page.get_by_role("heading", name="Summer 2017 in figures")).to_be_visible()
    expect(page.locator("#figure-applicants")).to_have_text(
        f"{Applicant.objects.filter(season__year='2017').count():,}"
    )
    expect(page.locator("#seasons-compared .chart canvas").first).to_be_visible()
    expect(page.locator("#categories-offered-chosen-caption")).to_be_visible()
    expect(page.get_by_role("heading", name="Kinds of job offered and chosen in 2017")).to_be_visible()
    expect(page.locator("#neighbourhood-trend")).to_contain_text("fewer than 10")
    assert "Synthetic Youth" not in page.content()
    assert seasons_demo.foreign_requests() == []

    phone = seasons_demo.page(width=390)
    phone.goto(seasons_demo.url + "/cities/boston/summer-jobs/?season=2018")
    expect(phone.get_by_role("heading", name="Summer 2018 in figures")).to_be_visible()
    expect(phone.locator("#seasons-overview")).to_be_attached()
    assert fits_the_screen(phone)

    phone.goto(seasons_demo.url + "/cities/boston/summer-jobs/?season=1999")
    expect(phone.locator("#season-problem")).to_contain_text("There is no season 1999")


def test_staff_copy_a_season_run_a_what_if_and_follow_a_returning_youth(seasons_demo: Site, boston_staff) -> None:
    page = seasons_demo.signed_in_page("boston-staff")

    # A new season, copied from the current one, and one of its positions edited.
    page.get_by_role("link", name="Seasons").click()
    page.locator("#result_list tr", has_text="2026").get_by_role("link", name="Copy into a new season").click()
    page.get_by_label("Year").fill("2027")
    page.get_by_label("Programme starts on").fill("2026-08-01")
    page.get_by_label("Programme ends on").fill("2026-09-10")
    page.get_by_role("button", name="Create the season").click()
    expect(page.locator(".errorlist.nonfield")).to_contain_text("overlap Summer 2026")
    assert not Season.objects.filter(year="2027").exists()
    page.get_by_label("Programme starts on").fill("2027-07-05")
    page.get_by_label("Programme ends on").fill("2027-08-13")
    page.get_by_role("button", name="Create the season").click()
    expect(page.locator(".messagelist")).to_contain_text("Summer 2027 created with a copy of the 174 positions")
    page.locator("#result_list tbody tr").first.locator("th a").click()
    position_id = page.locator(".field-position_id .readonly").inner_text()
    page.get_by_label("Seats").fill("7")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert Position.objects.get(position_id=position_id).seats == 7

    # What to change after 2018, and a what-if run with a longer commute.
    page.get_by_role("link", name="Seasons").first.click()
    page.locator("#result_list tr", has_text="2018").get_by_role("link", name="What to change next season").click()
    expect(page.locator("#oversubscribed-categories")).to_be_visible()
    expect(page.locator("#lagging-neighbourhoods")).to_be_visible()
    page.get_by_label("Longer maximum commute (minutes)").fill("75")
    page.get_by_role("button", name="Start a what-if run").click()
    expect(page.locator(".messagelist")).to_contain_text("it will never be approved")
    row = page.locator("#what-if-runs tbody tr").first
    expect(row).to_contain_text("maximum commute 75 minutes")
    expect(row).to_contain_text("Finished", timeout=60_000)
    row.get_by_role("link").click()
    expect(page.locator("#what-if-note")).to_contain_text("can never be approved")
    expect(page.get_by_role("button", name="Approve this run and make the offers")).to_have_count(0)
    what_if = MatchRun.objects.exclude(what_if={}).get()
    assert what_if.approved_at is None and what_if.placements.exists()

    # The seasons side by side, every count.
    page.get_by_role("link", name="Seasons").first.click()
    page.get_by_role("link", name="Compare the seasons").click()
    header = page.locator("#seasons-compared thead")
    for year in ("2017", "2018", "2026", "2027"):
        expect(header).to_contain_text(year)
    expect(page.locator("#seasons-compared tr", has_text="Positions")).to_contain_text("125")

    # A youth who applied in 2017 and again in 2018: their case shows both seasons.
    earlier = Applicant.objects.filter(season__year="2017").values("person_id")
    youth = Applicant.objects.filter(season__year="2018", person_id__in=earlier).order_by("applicant_id").first()
    page.get_by_role("link", name="Applicants").first.click()
    page.locator("#searchbar").fill(youth.applicant_id)
    page.locator("#searchbar").press("Enter")
    page.get_by_role("link", name=youth.applicant_id).click()
    history = page.locator("#seasons-history")
    expect(history).to_contain_text("2018")
    expect(history).to_contain_text("2017")
    history.get_by_role("link").first.click()
    expect(page.locator("#seasons-history")).to_contain_text(youth.applicant_id)
