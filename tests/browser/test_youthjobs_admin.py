"""Boston summer jobs staff at work in the admin, in Chromium: every step by the links and
buttons a person sees, from `/admin/`. Runs are found by what the page shows of them (their
mechanism, their decision), never by their database id."""

from __future__ import annotations

import threading
import time

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from cities.after_response import WORK_THREAD_NAME
from cities.models import SentMessage
from tests.browser.conftest import Site
from youthjobs.models import MatchRun, Mechanism, Placement, PlacementState
from youthjobs.placements import placement_figures
from youthjobs.services import youthjobs_demo_data_load

pytestmark = pytest.mark.browser

STAFF_PASSWORD = "a-staff-password-1"  # the cast's password (conftest._staff)


@pytest.fixture
def boston_demo(site: Site) -> Site:
    """The demo's Boston season, as `make run` loads it: 800 synthetic youth and an optimal
    run of round 1 waiting for approval."""
    youthjobs_demo_data_load(data_dir=settings.CIVIC_DATA_DIR)
    return site


def sign_in(site: Site, username: str) -> Page:
    page = site.page()
    page.goto(site.url + "/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    return page


def open_run(page: Page, shown: str) -> None:
    """From the match runs list, open the run whose row shows `shown` (a mechanism, a decision)."""
    page.get_by_role("link", name="Home").first.click()
    page.get_by_role("link", name="Match runs").click()
    page.locator("#result_list tbody tr", has_text=shown).get_by_role("link").first.click()


def after_response_work_finished() -> bool:
    return not any(thread.name == WORK_THREAD_NAME for thread in threading.enumerate())


def wait_for(condition, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the work after the response did not finish in time"
        time.sleep(0.2)


def test_boston_staff_compare_runs_approve_one_and_move_a_placement(boston_demo: Site, boston_staff) -> None:
    page = sign_in(boston_demo, "boston-staff")
    # A second run of the demo's round, with a longer commute, to compare with the demo's.
    page.get_by_role("link", name="Match runs").click()
    page.get_by_role("link", name="Add match run").click()
    page.get_by_label("Mechanism").select_option(label=Mechanism.GREEDY.label)
    page.get_by_label("Maximum commute (minutes)").fill("90")
    page.get_by_role("button", name="Start the run").click()
    expect(page.locator("#run-decision")).to_contain_text("Approve this run", timeout=30_000)
    expect(page.locator("#run-parameters")).to_contain_text("Maximum commute (minutes)")
    expect(page.locator("#run-parameters")).to_contain_text("90")

    # Compare the two, then approve the optimal run from the comparison.
    page.get_by_role("link", name="Match runs").first.click()
    for row in page.locator("#result_list tbody tr").all():
        row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label="Compare the two selected runs side by side")
    page.get_by_role("button", name="Go").click()
    differing = page.locator("#run-parameters-differing")
    expect(differing.locator("tr", has_text="Maximum commute (minutes)")).to_contain_text("40")
    expect(differing.locator("tr", has_text="Maximum commute (minutes)")).to_contain_text("90")
    expect(page.locator("#run-comparison tr", has_text="Placement rate")).to_contain_text("%")
    expect(page.locator("#run-comparison-age-band")).to_be_visible()
    expect(page.locator("#run-comparison-gender")).to_contain_text("%")
    started = time.perf_counter()
    page.get_by_role("button", name="Approve Optimal").click()
    expect(page.locator(".messagelist")).to_contain_text("offers made")
    approve_seconds = time.perf_counter() - started
    print(f"approve request answered in {approve_seconds:.2f} s")

    optimal = MatchRun.objects.get(mechanism=Mechanism.OPTIMAL)
    assert optimal.approved_at is not None and optimal.approved_by == boston_staff
    offered = optimal.placements.filter(state=PlacementState.OFFERED).count()
    assert offered > 0
    expect(page.get_by_role("button", name="Approve this run and make the offers")).to_have_count(0)
    expect(page.get_by_role("link", name="Delete")).to_have_count(0)

    # The other run of the round is superseded: it says so and cannot be approved.
    open_run(page, "Superseded")
    expect(page.locator("#run-decision")).to_contain_text("Superseded")
    expect(page.get_by_role("button", name="Approve this run and make the offers")).to_have_count(0)
    assert MatchRun.objects.get(mechanism=Mechanism.GREEDY).approved_at is None

    # Review the approved run's placements and move one offer to a position with a free seat.
    open_run(page, "Approved")
    page.get_by_role("link", name="Review its placements").click()
    page.locator("#result_list tbody tr", has_text="Offered").first.locator("th a").click()
    applicant_id = page.locator(".field-applicant .readonly").inner_text()
    placement = Placement.objects.get(run=optimal, applicant__applicant_id=applicant_id)
    page.get_by_role("link", name="Change the placement").click()
    chosen = page.get_by_label("Or move it to the position").locator("option").nth(1)
    position_id = chosen.inner_text().split("(")[-1].split(")")[0]
    page.get_by_label("Or move it to the position").select_option(index=1)
    page.get_by_role("button", name="Change the placement").click()
    expect(page.locator(".errorlist")).to_contain_text("Say why the placement changes")
    placement.refresh_from_db()
    assert placement.position.position_id != position_id and placement.events.count() == 1

    page.get_by_label("Reason").fill("The youth asked for a site nearer their school")
    page.get_by_role("button", name="Change the placement").click()
    expect(page.locator(".messagelist")).to_contain_text("The placement was changed")
    placement.refresh_from_db()
    assert placement.position.position_id == position_id and placement.state == PlacementState.OFFERED
    expected = placement_figures(applicant=placement.applicant, position=placement.position, run=optimal)
    assert (placement.commute_minutes, placement.score, placement.explanation) == (
        expected["commute_minutes"],
        expected["score"],
        expected["explanation"],
    )
    expect(page.locator(".field-explanation")).to_contain_text(str(expected["explanation"]))
    expect(page.locator(".field-position")).to_contain_text(position_id)
    expect(page.locator("#events-group, .inline-group").first).to_contain_text("nearer their school")

    # The offers went out after the answer; the moved one again, for its new position.
    wait_for(after_response_work_finished)
    assert SentMessage.objects.filter(purpose="youthjobs.offer").count() >= offered
    assert SentMessage.objects.filter(
        idempotency_key__startswith=f"youthjobs-offer-{placement.pk}-{placement.position_id}-"
    ).exists()
