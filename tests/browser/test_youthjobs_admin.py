"""Boston summer jobs staff at work in the admin, in Chromium: every step by the links and
buttons a person sees, from `/admin/`. Runs are found by what the page shows of them (their
mechanism, their decision), never by their database id."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from cities.after_response import WORK_THREAD_NAME
from cities.models import SentMessage
from tests.browser.conftest import Site
from tests.browser.screen import fits_a_phone
from youthjobs.eligibility import eligibility_refresh
from youthjobs.models import (
    Applicant,
    EligibilityFact,
    MatchRun,
    Mechanism,
    Placement,
    PlacementState,
    Position,
    Season,
)
from youthjobs.offers import offer_token
from youthjobs.placements import match_run_approve, placement_figures
from youthjobs.services import match_run_execute

pytestmark = pytest.mark.browser


@pytest.fixture
def boston_demo(site: Site) -> Site:
    """The demo's Boston seasons, as `make run` loads them: the current one with 800
    synthetic youth and an optimal run of round 1 waiting for approval, and the matched
    past seasons 2017 and 2018."""
    site.load("youthjobs")
    return site


def open_run(page: Page, shown: str) -> None:
    """From the match runs list, open the run whose row shows `shown` (a mechanism, a decision)."""
    page.locator("#site-name a").click()  # the header, on every admin page
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
    page = boston_demo.signed_in_page("boston-staff")
    # A second run of the demo's round, with a longer commute, to compare with the demo's.
    page.get_by_role("link", name="Match runs").click()
    page.get_by_role("link", name="Add match run").click()
    page.get_by_label("Mechanism").select_option(label=Mechanism.GREEDY.label)
    page.get_by_label("Maximum commute (minutes)").fill("90")
    page.get_by_role("button", name="Start the run").click()
    expect(page.locator("#run-decision")).to_contain_text("Approve this run", timeout=30_000)
    expect(page.locator("#run-parameters")).to_contain_text("Maximum commute (minutes)")
    expect(page.locator("#run-parameters")).to_contain_text("90")
    # On a phone the run's page keeps the screen's width: its wide breakdowns scroll on their own.
    expect(page.locator(".run-breakdown").first).to_be_visible()
    assert fits_a_phone(page)

    # Compare the two, then approve the optimal run from the comparison.
    page.get_by_role("link", name="Match runs").first.click()
    rows = page.locator("#result_list tbody tr", has_text="Summer 2026")
    expect(rows).to_have_count(2)
    for row in rows.all():
        row.locator("input.action-select").check()
    expect(page.locator(".action-counter")).to_contain_text("2 of 4 selected")
    page.locator("select[name=action]").select_option(label="Compare the two selected runs side by side")
    page.get_by_role("button", name="Go").click()
    differing = page.locator("#run-parameters-differing")
    expect(differing.locator("tr", has_text="Maximum commute (minutes)")).to_contain_text("40")
    expect(differing.locator("tr", has_text="Maximum commute (minutes)")).to_contain_text("90")
    expect(page.locator("#run-comparison tr", has_text="Placement rate")).to_contain_text("%")
    expect(page.locator("#run-comparison-age-band")).to_be_visible()
    expect(page.locator("#run-comparison-gender")).to_contain_text("%")
    assert fits_a_phone(page)
    started = time.perf_counter()
    page.get_by_role("button", name="Approve Optimal").click()
    expect(page.locator(".messagelist")).to_contain_text("offers made")
    approve_seconds = time.perf_counter() - started
    print(f"approve request answered in {approve_seconds:.2f} s")

    optimal = MatchRun.objects.get(mechanism=Mechanism.OPTIMAL, season__year="2026")
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


@pytest.fixture
def boston_offers(site: Site) -> Site:
    """A small approved season (150 youth): offers made and sent, as after an approval."""
    site.load("boston 150 run approved")
    return site


def open_case(page: Page, applicant_id: str) -> None:
    """From the admin's home, find the youth by their programme id and open their case."""
    page.locator("#site-name a").click()  # the header, on every admin page
    page.get_by_role("link", name="Applicants").click()
    page.locator("#searchbar").fill(applicant_id)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=applicant_id, exact=True).click()


def test_boston_staff_work_a_youths_case(boston_offers: Site, boston_staff) -> None:
    placements = Placement.objects.select_related("applicant").filter(applicant__email__isnull=False)
    offered, lapsed = placements.filter(state=PlacementState.OFFERED)[:2]
    # Time passes: the second offer's deadline is over, and no scheduler has expired it.
    Placement.objects.filter(pk=lapsed.pk).update(offer_expires_at=timezone.now() - timedelta(hours=1))
    # A youth who applied without the permit their age needs.
    waiting = Applicant.objects.filter(eligibility__eligible=True, eligibility__age_on_start__lt=18).first()
    Applicant.objects.filter(pk=waiting.pk).update(has_work_permit=False)
    eligibility_refresh(applicant_ids=[waiting.pk])
    page = boston_offers.signed_in_page("boston-staff")

    # Eligibility: a work permit recorded with a reason (refused without one).
    open_case(page, waiting.applicant_id)
    expect(page.locator(".field-eligibility_decision")).to_contain_text("No work permit")
    page.get_by_label("Fact").select_option(label=EligibilityFact.Fact.WORK_PERMIT.label)
    page.get_by_role("button", name="Record the fact").click()
    expect(page.locator(".messagelist")).to_contain_text("Nothing was changed: say how you know it")
    assert not EligibilityFact.objects.exists()
    page.get_by_label("Fact").select_option(label=EligibilityFact.Fact.WORK_PERMIT.label)
    page.get_by_label("How you know it").fill("Permit seen at the youth centre")
    page.get_by_role("button", name="Record the fact").click()
    expect(page.locator(".messagelist")).to_contain_text("eligibility decided again: eligible")
    expect(page.locator(".field-eligibility_decision")).to_contain_text("Eligible")
    expect(page.locator("#eligibility-facts")).to_contain_text("Permit seen at the youth centre")
    assert Applicant.objects.get(pk=waiting.pk).eligibility.eligible

    # An open offer: its state, deadline, messages and private link; sent again; more time.
    open_case(page, offered.applicant.applicant_id)
    case = page.locator(".case-placement").first
    expect(case.locator(".case-placement-state")).to_have_text("Offered")
    expect(case.locator(".case-messages")).to_contain_text("Email: Your Boston summer job offer (sent")
    expect(case).not_to_contain_text(offered.applicant.email)
    link = case.locator(".offer-link").inner_text()
    sent_before = SentMessage.objects.count()
    case.get_by_role("button", name="Send the offer again").click()
    expect(page.locator(".messagelist")).to_contain_text("The offer is being sent again")
    wait_for(after_response_work_finished)
    assert SentMessage.objects.count() > sent_before

    new_deadline = timezone.localtime(offered.offer_expires_at + timedelta(days=3)).replace(second=0, microsecond=0)
    case = page.locator(".case-placement").first
    case.get_by_label("New deadline").fill(f"{new_deadline:%Y-%m-%dT%H:%M}")
    case.get_by_role("button", name="Extend the deadline").click()
    expect(page.locator(".messagelist")).to_contain_text("Nothing was changed: say why the deadline moves")
    case = page.locator(".case-placement").first
    case.get_by_label("New deadline").fill(f"{new_deadline:%Y-%m-%dT%H:%M}")
    case.get_by_label("Why").fill("The family is away this week")
    case.get_by_role("button", name="Extend the deadline").click()
    expect(page.locator(".messagelist")).to_contain_text("The deadline was extended")
    assert Placement.objects.get(pk=offered.pk).offer_expires_at == new_deadline

    # Notes: appended, with author and time.
    page.get_by_role("button", name="Add the note").click()
    expect(page.locator(".messagelist")).to_contain_text("Nothing was changed: write the note first")
    page.get_by_label("Note").fill("Called: she will answer by Friday")
    page.get_by_role("button", name="Add the note").click()
    expect(page.locator("#case-notes")).to_contain_text("Called: she will answer by Friday")
    expect(page.locator("#case-notes")).to_contain_text("boston-staff")

    # The youth's link works; a tampered one changes nothing.
    youth = boston_offers.page()
    link = boston_offers.url + link.removeprefix(settings.PORTAL_BASE_URL.rstrip("/"))
    youth.goto(link[:-4] + "xyz/")
    expect(youth.locator("#offer-problem")).to_contain_text("This link is not valid")
    assert Placement.objects.get(pk=offered.pk).state == PlacementState.OFFERED
    youth.goto(link)
    expect(youth.get_by_role("button", name="Accept this job")).to_be_visible()

    # A lapsed offer reads expired, offers no link nor action, and its link says so.
    open_case(page, lapsed.applicant.applicant_id)
    case = page.locator(".case-placement").first
    expect(case.locator(".case-placement-state")).to_have_text("Expired")
    expect(case.locator(".offer-link")).to_have_count(0)
    expect(case.get_by_role("button", name="Send the offer again")).to_have_count(0)
    youth.goto(boston_offers.url + reverse("youthjobs:offer", args=[offer_token(lapsed)]))
    expect(youth.locator("#offer-problem")).to_contain_text("The deadline to answer this offer has passed")
    assert Placement.objects.get(pk=lapsed.pk).state == PlacementState.OFFERED


@pytest.fixture
def boston_two_runs(site: Site) -> Site:
    """A small season with two finished runs of round 1, neither approved yet."""
    site.load("boston 150")
    for mechanism, seed in ((Mechanism.OPTIMAL, 1), (Mechanism.GREEDY, 2)):
        match_run_execute(
            run_id=MatchRun.objects.create(season=Season.objects.get(), mechanism=mechanism, seed=seed).pk
        )
    return site


def test_boston_staff_are_told_why_a_stale_approval_or_move_is_refused(boston_two_runs: Site, boston_staff) -> None:
    page = boston_two_runs.signed_in_page("boston-staff")
    open_run(page, "Greedy")
    expect(page.get_by_role("button", name="Approve this run and make the offers")).to_be_visible()
    # Meanwhile a colleague approves the other run of the round.
    optimal = MatchRun.objects.get(mechanism=Mechanism.OPTIMAL)
    match_run_approve(run=optimal, approved_by=None)

    page.get_by_role("button", name="Approve this run and make the offers").click()

    expect(page.locator(".messagelist")).to_contain_text("another run of round 1 was approved already")
    expect(page.locator(".messagelist")).to_contain_text("Nothing was changed")
    expect(page.locator("#run-decision")).to_contain_text("Superseded")
    greedy = MatchRun.objects.get(mechanism=Mechanism.GREEDY)
    assert greedy.approved_at is None
    assert set(greedy.placements.values_list("state", flat=True)) == {PlacementState.PROPOSED}

    # A move to a position whose last seat went while the form was open.
    open_run(page, "Approved")
    page.get_by_role("link", name="Review its placements").click()
    page.locator("#result_list tbody tr", has_text="Offered").first.locator("th a").click()
    applicant_id = page.locator(".field-applicant .readonly").inner_text()
    placement = Placement.objects.get(run=optimal, applicant__applicant_id=applicant_id)
    page.get_by_role("link", name="Change the placement").click()
    choice = page.get_by_label("Or move it to the position")
    position_id = choice.locator("option").nth(1).inner_text().split("(")[-1].split(")")[0]
    choice.select_option(index=1)
    page.get_by_label("Reason").fill("Nearer her school")
    Position.objects.filter(position_id=position_id).update(seats=0)  # the employer's new file

    page.get_by_role("button", name="Change the placement").click()

    expect(page.locator(".errornote")).to_contain_text("Nothing was changed")
    expect(page.locator(".errorlist")).to_contain_text("That position has no seat left any more")
    after = Placement.objects.get(pk=placement.pk)
    assert (after.position_id, after.explanation) == (placement.position_id, placement.explanation)
    assert after.events.count() == 1  # only its offer
