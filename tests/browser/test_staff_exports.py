"""Staff export a list from the admin in Chromium: they sign in at /admin/, open the list
from the links they see, select every row and download it as CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from courts.models import Story
from courts.roles import ST_LOUIS_STAFF
from courts.tests.factories import StoryFactory
from tests.browser.conftest import Site

pytestmark = pytest.mark.browser


def test_st_louis_staff_export_every_story_as_csv_from_the_admin_list(site: Site, member_of) -> None:
    staff = member_of(ST_LOUIS_STAFF)
    StoryFactory(body="My own words, with my name in them.", published_text="=HYPERLINK(1) moved my date")
    StoryFactory(body="Another story.", published_text="The clerk was kind.")

    page = site.signed_in_page(staff.username)
    page.get_by_role("link", name="Stories", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("stor")
    page.get_by_role("checkbox", name="Select all objects on this page for an action").check()
    page.get_by_role("combobox", name="Action").select_option(label="Export the selected stories as CSV")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Go").click()
    download = download_info.value

    assert download.suggested_filename == "stories.csv"
    header, *rows = list(csv.reader(io.StringIO(Path(download.path()).read_text())))
    assert header == ["id", "municipality", "status", "submitted_at", "reviewed_at", "published_text"]
    assert {row[0] for row in rows} == {str(pk) for pk in Story.objects.values_list("pk", flat=True)}
    # The moderated text only, a formula neutralised by the one CSV writer; never the resident's words.
    assert "'=HYPERLINK(1) moved my date" in {row[-1] for row in rows}
    assert "My own words" not in Path(download.path()).read_text()
