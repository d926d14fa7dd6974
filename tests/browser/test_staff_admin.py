"""Staff at work in the admin, in Chromium: they sign in at /admin/ and follow only the
links and buttons they see."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cities.models import Grant, IngestionRun
from cities.roles import DATA_STEWARDS
from courts.models import Story
from courts.roles import ST_LOUIS_STAFF
from courts.tests.factories import StoryFactory
from tests.browser.conftest import Site

pytestmark = pytest.mark.browser


def test_st_louis_staff_find_a_waiting_story_from_the_staff_home_and_publish_it(site: Site, member_of) -> None:
    staff = member_of(ST_LOUIS_STAFF)
    story = StoryFactory(body="The court moved my date without telling me.")

    page = site.signed_in_page(staff.username)
    expect(page).to_have_title("Staff home | Civic Portal staff")
    expect(page.locator("#site-name")).to_have_text("Civic Portal staff")
    waiting = page.locator("#waiting-work")
    expect(waiting.get_by_role("row", name="Stories waiting for moderation")).to_contain_text("1")
    # The role reaches only its own work: no Boston or DC lists, no uploads.
    expect(page.get_by_role("link", name="Applicants")).to_have_count(0)
    expect(page.get_by_role("link", name="Ingestion runs")).to_have_count(0)

    waiting.get_by_role("link", name="Stories waiting for moderation").click()
    page.get_by_role("checkbox", name="Select this object for an action").first.check()
    publish = "Publish the selected stories as sent (without names)"
    page.get_by_role("combobox", name="Action").select_option(label=publish)
    page.get_by_role("button", name="Go").click()

    expect(page.locator(".messagelist")).to_contain_text("1 story")
    story.refresh_from_db()
    assert story.status == Story.Status.APPROVED
    page.get_by_role("link", name="Home").first.click()
    expect(page.locator("#waiting-work").get_by_role("row", name="Stories waiting for moderation")).to_contain_text("0")


def test_st_louis_staff_publish_an_edited_story_from_its_page(site: Site, member_of) -> None:
    staff = member_of(ST_LOUIS_STAFF)
    story = StoryFactory(body="Officer Quinta Imaginary stopped me three times on Florissant Road.")

    page = site.signed_in_page(staff.username)
    page.locator("#waiting-work").get_by_role("link", name="Stories waiting for moderation").click()
    page.get_by_role("link", name=str(story)).click()
    expect(page.get_by_text("Officer Quinta Imaginary stopped me")).to_be_visible()
    page.get_by_label("Text to publish").fill("An officer stopped me three times on Florissant Road.")
    page.get_by_role("button", name="Publish", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("1 story published.")
    story.refresh_from_db()
    assert story.status == Story.Status.APPROVED
    assert story.body.startswith("Officer Quinta Imaginary")
    resident = site.page()
    resident.goto(site.url + "/cities/st-louis/courts/stories/")
    expect(resident.get_by_text("An officer stopped me three times on Florissant Road.")).to_be_visible()
    expect(resident.get_by_text("Quinta")).to_have_count(0)


def test_a_data_steward_offers_a_bad_file_and_reads_why_it_was_refused(site: Site, member_of, tmp_path) -> None:
    steward = member_of(DATA_STEWARDS)
    bad = tmp_path / "grants-2017.csv"
    bad.write_text(
        "reference,funder,city,amount,purpose,starts_on,ends_on\n"
        "bny-2017-bos,bny-mellon,gotham,25000.00,Local support,2017-01-01,2017-12-31\n"
    )

    page = site.signed_in_page(steward.username)
    page.get_by_role("link", name="Datasets").first.click()
    page.get_by_role("link", name="Grants to the cities", exact=True).click()
    page.get_by_role("link", name="Upload a file").click()
    page.get_by_label("File").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and ingest").click()

    expect(page.locator(".messagelist .error")).to_contain_text("The file grants-2017.csv was refused: 1 problem")
    expect(page.locator(".messagelist .success")).to_have_count(0)
    expect(page.locator("#ingestion-errors")).to_contain_text("'gotham' is not a known city")
    assert IngestionRun.objects.get(file_name="grants-2017.csv").status == IngestionRun.Status.FAILED
    assert not Grant.objects.filter(reference="bny-2017-bos").exists()
