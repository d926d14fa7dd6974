"""The collaborative's ecosystem maps in Chromium: a resident finds a city's map from the
home page; staff send a partner organisation its private survey; the partner answers it;
staff publish the answer in the admin, and the tie appears on the map."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from collaborative.models import Relationship
from tests.browser.conftest import Site

pytestmark = pytest.mark.browser


@pytest.fixture
def ecosystem_site(site: Site) -> Site:
    site.load("collaborative")
    return site


def test_resident_finds_san_antonios_ecosystem_as_a_picture_and_tables(ecosystem_site: Site) -> None:
    page = ecosystem_site.page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(ecosystem_site.url + "/")
    page.get_by_role("link", name="San Antonio").first.click()
    page.get_by_role("link", name="San Antonio's civic tech and data ecosystem map").click()

    expect(page).to_have_url(ecosystem_site.url + "/cities/san-antonio/ecosystem/")
    expect(page.get_by_role("heading", level=1)).to_have_text("San Antonio's civic tech and data ecosystem")
    expect(page.locator("#organizations-table tbody tr")).to_have_count(3)
    expect(page.locator("#ties-table")).to_contain_text("convenes")
    expect(page.locator("#ecosystem-graph-figure")).to_be_visible()
    expect(page.locator("#ecosystem-graph[data-nodes-drawn='3']")).to_have_count(1)
    expect(page.locator("#key-questions")).to_contain_text("Living Cities")
    assert errors == []
    assert ecosystem_site.foreign_requests() == [], "no request may leave the machine"

    # The learning partner's own page also leads to its learning history and what it can adopt.
    page.get_by_role("link", name="San Antonio", exact=True).first.click()
    page.get_by_role("link", name="San Antonio's peer learning and open actions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("San Antonio's peer learning and coaching")
    expect(page.locator("#actions-table")).to_contain_text("Draft the list of local funders to approach")
    expect(page.locator("main")).to_contain_text("Example: ecosystem mapping exchange")
    page.get_by_role("link", name="San Antonio", exact=True).first.click()
    page.get_by_role("link", name="What San Antonio can adopt from the core cities").click()
    page.get_by_role("link", name="Washington DC affordable housing").click()
    expect(page.locator("#partner-needs")).to_contain_text("Data intermediary")
    expect(page.get_by_role("link", name="Example: one shared catalogue of subsidised housing")).to_be_visible()
    assert errors == []

    without_js = ecosystem_site.page(javascript=False)
    without_js.goto(ecosystem_site.url + "/cities/san-antonio/ecosystem/")
    expect(without_js.locator("#ecosystem-graph-figure")).to_be_hidden()
    expect(without_js.locator("#ties-table tbody tr")).to_have_count(2)


def test_partner_answers_a_survey_and_staff_publish_it(ecosystem_site: Site) -> None:
    get_user_model().objects.create_superuser("coordinator", password="a-coordinator-password-1")
    staff = ecosystem_site.signed_in_page("coordinator", "a-coordinator-password-1")
    staff.get_by_role("link", name="Survey invitations").click()
    staff.get_by_role("link", name=re.compile("Add survey invitation")).click()
    staff.get_by_label("City").select_option(label="Boston, MA")
    staff.get_by_label("Organization").select_option(label="Code for Boston")
    staff.get_by_role("button", name="Save and continue editing").click()
    link = staff.locator("#survey-private-link").inner_text()

    partner = ecosystem_site.page()
    partner.goto(ecosystem_site.url + link)
    expect(partner.get_by_role("heading", level=1)).to_have_text("Survey for Code for Boston")
    first = partner.get_by_role("group", name="Tie 1")
    first.get_by_label("Your organisation").select_option(label="builds technology for")
    first.get_by_label("Organisation", exact=True).select_option(label="Boston Center for Youth and Families")
    first.get_by_label("Since (YYYY-MM-DD)").fill("2017-06-01")
    partner.get_by_role("button", name="Send the answer").click()
    expect(partner.get_by_role("status")).to_contain_text("Staff will review it")
    partner.goto(ecosystem_site.url + link)
    expect(partner.get_by_role("alert")).to_contain_text("already been answered")

    resident = ecosystem_site.page()
    resident.goto(ecosystem_site.url + "/cities/boston/ecosystem/")
    expect(resident.locator("#ties-table")).not_to_contain_text("Code for Boston builds")

    staff.goto(ecosystem_site.url + "/admin/collaborative/relationship/?review_status__exact=pending")
    staff.locator("input[name='_selected_action']").first.check()
    staff.get_by_label("Action:").select_option(label="Publish the selected ties (after review)")
    staff.get_by_role("button", name="Go").click()
    expect(staff.locator(".messagelist")).to_contain_text("1 tie(s) published.")
    assert (
        Relationship.objects.get(source_organization__slug="code-for-boston", kind="builds_technology").review_status
        == "approved"
    )

    resident.reload()
    row = resident.locator("#ties-table tbody tr", has_text="Boston Center for Youth and Families").filter(
        has_text="builds technology for"
    )
    expect(row).to_contain_text("Code for Boston")
