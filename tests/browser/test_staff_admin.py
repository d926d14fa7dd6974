"""Staff at work in the admin, in Chromium: they sign in at /admin/ and follow only the
links and buttons they see."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from cities.roles import ST_LOUIS_STAFF
from courts.models import Story
from courts.tests.factories import StoryFactory
from tests.browser.conftest import Site

pytestmark = pytest.mark.browser


# The password member_of gives every account it makes.
ROLE_PASSWORD = "a-role-password-1"


def sign_in(site: Site, username: str, password: str = ROLE_PASSWORD) -> Page:
    page = site.page()
    page.goto(site.url + "/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    return page


def test_st_louis_staff_find_a_waiting_story_from_the_staff_home_and_publish_it(site: Site, member_of) -> None:
    staff = member_of(ST_LOUIS_STAFF)
    story = StoryFactory(body="The court moved my date without telling me.")

    page = sign_in(site, staff.username)
    expect(page).to_have_title("Staff home | Civic Portal staff")
    expect(page.locator("#site-name")).to_have_text("Civic Portal staff")
    waiting = page.locator("#waiting-work")
    expect(waiting.get_by_role("row", name="Stories waiting for moderation")).to_contain_text("1")
    # The role reaches only its own work: no Boston or DC lists, no uploads.
    expect(page.get_by_role("link", name="Applicants")).to_have_count(0)
    expect(page.get_by_role("link", name="Ingestion runs")).to_have_count(0)

    waiting.get_by_role("link", name="Stories waiting for moderation").click()
    page.get_by_role("checkbox", name="Select this object for an action").first.check()
    page.get_by_role("combobox", name="Action").select_option(label="Publish the selected stories (anonymously)")
    page.get_by_role("button", name="Go").click()

    expect(page.locator(".messagelist")).to_contain_text("1 story")
    story.refresh_from_db()
    assert story.status == Story.Status.APPROVED
    page.get_by_role("link", name="Home").first.click()
    expect(page.locator("#waiting-work").get_by_role("row", name="Stories waiting for moderation")).to_contain_text("0")
