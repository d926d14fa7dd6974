"""St. Louis court pages in Chromium as a resident uses them on a phone: finding a ticket
from the city's page, what it says and where the court is, a court's own page, and the
lookup without JavaScript."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from cities.message_backends import sms_outbox
from courts.models import ReminderSubscription, Story
from tests.browser.conftest import Site
from tests.browser.screen import fits_the_screen

pytestmark = pytest.mark.browser

PHONE = 390
FIND = "/cities/st-louis/courts/find-my-ticket/"
# A citation of the published GlobalHack sample (made-up people) at Richmond Heights Court:
# one charge closed, one with a warrant for failure to appear.
CITATION, BORN = "104114023", "1959-09-18"
# Of the same sample: a charge waiting for payment, its court date (in 2015) long passed.
PASSED, PASSED_BORN = "682690971", "1994-06-15"
# Of the same sample: a ticket whose records list no charges.
NO_CHARGES, NO_CHARGES_BORN = "747199692", "1981-06-05"
# The demo's synthetic ticket whose court date is 6 days after the demo was loaded.
UPCOMING, UPCOMING_BORN = "SYNDEMO0001", "1990-05-01"


@pytest.fixture
def stl_site(site: Site) -> Site:
    site.load("courts")
    return site


def search_by_citation(page: Page, number: str = CITATION, born: str = BORN) -> None:
    form = page.locator("section", has=page.get_by_role("heading", name="By citation number"))
    form.get_by_label("Citation (ticket) number").fill(number)
    form.get_by_label("Date of birth").fill(born)
    form.get_by_role("button", name="Find my ticket").click()


def test_resident_on_a_phone_finds_a_ticket_and_where_its_court_is(stl_site: Site) -> None:
    page = stl_site.page(width=PHONE)
    page.goto(stl_site.url + "/cities/st-louis/")
    page.get_by_role("link", name="St. Louis municipal courts").click()
    page.get_by_role("link", name="Find my ticket").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find my ticket")

    search_by_citation(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("We found 1 ticket")
    expect(page).to_have_url(stl_site.url + FIND + "yours/")
    expect(page.get_by_role("heading", name=f"Ticket {CITATION}")).to_be_visible()
    expect(page.locator(".ticket__total")).to_have_text("$217.27")
    expect(page.get_by_role("alert")).to_contain_text("A warrant is out.")
    expect(page.get_by_role("cell", name="Yes, number WA0082886")).to_be_visible()
    expect(page.locator(".guidance__step--warrant")).to_contain_text("Call Richmond Heights Court")
    expect(page.get_by_text("7447 Dale Avenue").first).to_be_visible()
    page.wait_for_selector('.court-map[data-boundaries-drawn="true"]')
    expect(page.locator(".court-map .leaflet-interactive").first).to_be_visible()
    person = page.content()
    assert BORN not in person and "1959" not in person
    page.screenshot(path="/tmp/stl-ticket.png", full_page=True)  # noqa: S108
    assert fits_the_screen(page)
    assert stl_site.foreign_requests() == []


def test_a_wrong_birth_date_finds_nothing_and_says_so(stl_site: Site) -> None:
    page = stl_site.page(width=PHONE)
    page.goto(stl_site.url + FIND)

    search_by_citation(page, born="1981-06-06")

    expect(page.get_by_role("alert")).to_contain_text("could not find a ticket")
    assert "Richmond Heights Court" not in page.content()


def test_resident_reads_a_courts_page_on_a_phone(stl_site: Site) -> None:
    page = stl_site.page(width=PHONE)
    page.goto(stl_site.url + "/cities/st-louis/courts/courts/ballwin-court/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Ballwin Court")
    expect(page.get_by_role("link", name="636-227-9468")).to_be_visible()
    expect(page.get_by_role("link", name="Pay on the Ballwin Court payment site").first).to_be_visible()
    expect(page.get_by_text("Your rights in this court.")).to_be_visible()
    page.get_by_text("What can I expect when I go to court?").click()
    expect(page.get_by_text("Each court has its own hours of operation.")).to_be_visible()
    page.wait_for_selector('.court-map[data-boundaries-drawn="true"]')
    assert fits_the_screen(page)
    assert stl_site.foreign_requests() == []


def test_the_lookup_works_without_javascript(stl_site: Site) -> None:
    page = stl_site.page(javascript=False, width=PHONE)
    page.goto(stl_site.url + FIND)

    search_by_citation(page)

    expect(page.get_by_role("heading", name=f"Ticket {CITATION}")).to_be_visible()
    expect(page.locator(".court-map-figure")).to_be_hidden()
    expect(page.get_by_text("7447 Dale Avenue").first).to_be_visible()


def test_resident_asks_for_text_reminders_and_one_goes_out_when_due(stl_site: Site) -> None:
    page = stl_site.page(width=PHONE)
    page.goto(stl_site.url + FIND)
    search_by_citation(page, UPCOMING, UPCOMING_BORN)

    reminder = page.locator("section.reminder")
    expect(reminder.get_by_role("heading")).to_have_text("Remind me before court")
    reminder.get_by_label("Phone number or email").fill("314-555-01")
    reminder.get_by_role("button", name="Remind me").click()
    expect(page.locator(".field__error")).to_contain_text("Enter a valid phone number")

    page.locator("section.reminder").get_by_label("Phone number or email").fill("314-555-0187")
    page.locator("section.reminder").get_by_role("button", name="Remind me").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your reminders are set")
    expect(page.get_by_role("status")).to_contain_text("7 days and 1 day before")
    assert "0187" not in page.url
    page.screenshot(path="/tmp/stl-reminders.png", full_page=True)  # noqa: S108

    call_command("send_due_reminders", stdout=io.StringIO())
    assert len(sms_outbox) == 1 and UPCOMING in sms_outbox[0].body


def test_a_passed_court_date_and_a_ticket_without_charges_tell_the_truth_and_back_works(stl_site: Site) -> None:
    page = stl_site.page(width=PHONE)
    page.goto(stl_site.url + FIND)
    search_by_citation(page, PASSED, PASSED_BORN)

    expect(page.get_by_role("heading", name=f"Ticket {PASSED}")).to_be_visible()
    expect(page.get_by_text("Your court date has passed").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("failure to appear")
    expect(page.locator("body")).not_to_contain_text("Remind me before court")
    expect(page.locator("body")).not_to_contain_text("before your court date")
    offer = page.locator("section.reminder")
    expect(offer.get_by_role("heading")).to_have_text("Tell me when a new court date is set")
    offer.get_by_label("Phone number or email").fill("314-555-0187")
    offer.get_by_role("button", name="Tell me about a new date").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("We will tell you about a new court date")
    expect(page.locator("body")).not_to_contain_text("before the court date of ticket")
    subscription = ReminderSubscription.objects.get()
    assert subscription.new_date_after is not None and subscription.citation.citation_number == PASSED

    # Back, forward and reload: pages, never "Confirm Form Resubmission", a 405 or a second request.
    page.go_back()
    expect(page.get_by_role("heading", name=f"Ticket {PASSED}")).to_be_visible()
    page.go_forward()
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("We will tell you about a new court date")
    page.get_by_role("link", name="Back to your ticket").click()
    expect(page.get_by_role("heading", name=f"Ticket {PASSED}")).to_be_visible()
    assert ReminderSubscription.objects.count() == 1

    page.get_by_role("link", name="Search again").click()
    search_by_citation(page, NO_CHARGES, NO_CHARGES_BORN)
    expect(page.get_by_role("heading", name=f"Ticket {NO_CHARGES}")).to_be_visible()
    expect(page.locator(".ticket__total")).to_have_text("Not known yet: the records list no charges")
    expect(page.get_by_text("The court has not listed the charges yet")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("$0.00")


def test_a_story_sent_then_back_and_reload_is_kept_once(stl_site: Site) -> None:
    page = stl_site.page(width=PHONE)
    page.goto(stl_site.url + "/cities/st-louis/courts/stories/new/")
    page.get_by_label("Your story").fill("The court moved my date twice and nobody told me about it.")
    page.get_by_label("You may publish my story").check()
    page.get_by_role("button", name="Send my story").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    page.reload()
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell your story")
    page.go_forward()
    page.get_by_role("link", name="Read other people's stories").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert Story.objects.count() == 1


def test_the_dashboard_draws_its_map_and_charts_on_a_phone(stl_site: Site) -> None:
    page = stl_site.page(width=PHONE)
    page.goto(stl_site.url + "/cities/st-louis/courts/")

    expect(page.get_by_role("heading", level=1)).to_have_text("St. Louis County's municipal courts")
    page.wait_for_selector('#municipality-map[data-boundaries-drawn="true"]')
    expect(page.locator("#municipality-map path.leaflet-interactive")).to_have_count(92)
    expect(page.locator(".chart canvas").first).to_be_visible()
    expect(page.locator("#court-table")).to_contain_text("fewer than 10")
    assert fits_the_screen(page)
    assert stl_site.foreign_requests() == []
    page.screenshot(path="/tmp/stl-dashboard.png", full_page=True)  # noqa: S108
