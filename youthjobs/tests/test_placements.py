"""A placement's life: approval makes offers, the state machine allows only its moves, every
change is history, offers are answered once through a signed link before the deadline."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from youthjobs.models import MatchRun, Placement, PlacementEvent, PlacementState, Season
from youthjobs.offers import offer_answer, offer_link_open, offer_token, offers_expire
from youthjobs.placements import (
    PlacementError,
    match_run_approve,
    placement_figures,
    placement_override,
    placement_transition,
    position_seats_left,
)
from youthjobs.selectors import run_placements_csv
from youthjobs.services import match_run_execute, next_round
from youthjobs.tests.factories import PositionFactory


@pytest.fixture
def run(small_season) -> MatchRun:
    queued = MatchRun.objects.create(season=Season.objects.get(), mechanism="optimal", seed=1)
    return match_run_execute(run_id=queued.pk)


@pytest.fixture
def approved(run, boston_staff) -> MatchRun:
    match_run_approve(run=run, approved_by=boston_staff)
    run.refresh_from_db()
    return run


def test_approval_turns_proposals_into_offers_with_a_deadline(run, boston_staff) -> None:
    proposals = run.placements.count()

    offered = match_run_approve(run=run, approved_by=boston_staff)

    assert offered == proposals
    assert set(run.placements.values_list("state", flat=True)) == {PlacementState.OFFERED}
    placement = run.placements.first()
    assert placement.offer_expires_at - timezone.now() > timedelta(days=6)
    event = placement.events.get()
    assert (event.from_state, event.to_state, event.changed_by) == ("proposed", "offered", boston_staff)


def test_a_run_is_approved_once_and_its_round_only_once(approved, boston_staff) -> None:
    with pytest.raises(PlacementError, match="approved already"):
        match_run_approve(run=approved, approved_by=boston_staff)
    other = match_run_execute(
        run_id=MatchRun.objects.create(season=approved.season, round=1, mechanism="greedy", seed=2).pk
    )
    with pytest.raises(PlacementError, match="round 1"):
        match_run_approve(run=other, approved_by=boston_staff)
    assert not other.placements.filter(state=PlacementState.OFFERED).exists()


def test_an_unfinished_run_cannot_be_approved(small_season, boston_staff) -> None:
    queued = MatchRun.objects.create(season=Season.objects.get(), mechanism="optimal", seed=1)

    with pytest.raises(PlacementError, match="only a finished run"):
        match_run_approve(run=queued, approved_by=boston_staff)


def test_state_machine_refuses_a_jump_and_needs_a_reason(approved, boston_staff) -> None:
    placement = approved.placements.first()

    with pytest.raises(PlacementError, match="cannot become completed"):
        placement_transition(placement=placement, to_state="completed", by=boston_staff, reason="done")
    with pytest.raises(PlacementError, match="say why"):
        placement_transition(placement=placement, to_state="withdrawn", by=boston_staff, reason=" ")
    for state in ("accepted", "started", "completed"):
        placement = placement_transition(placement=placement, to_state=state, by=boston_staff, reason=f"now {state}")

    assert list(placement.events.values_list("to_state", flat=True)) == ["offered", "accepted", "started", "completed"]


def test_override_moves_a_placement_with_its_reason(approved, boston_staff) -> None:
    placement = approved.placements.filter(is_direct_hire=False).first()
    old_position = placement.position
    elsewhere = PositionFactory(season=approved.season, seats=1)

    moved = placement_override(placement=placement, position=elsewhere, by=boston_staff, reason="Closer to her school")

    assert moved.position == elsewhere
    event = moved.events.latest("changed_at")
    assert (event.from_position, event.reason, event.changed_by) == (old_position, "Closer to her school", boston_staff)
    assert position_seats_left(position=elsewhere, run=approved) == 0
    with pytest.raises(PlacementError, match="no seat left"):
        placement_override(
            placement=approved.placements.exclude(pk=moved.pk).first(), position=elsewhere, by=boston_staff, reason="x"
        )


def test_a_moved_placement_takes_the_new_positions_commute_score_and_explanation_everywhere(
    approved, boston_staff, boston_staff_api, client, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    placement = approved.placements.filter(is_direct_hire=False).select_related("applicant").first()
    elsewhere = PositionFactory(season=approved.season, seats=1, category=placement.applicant.first_interest)

    with django_capture_on_commit_callbacks(execute=True):
        moved = placement_override(placement=placement, position=elsewhere, by=boston_staff, reason="Nearer home")

    expected = placement_figures(applicant=moved.applicant, position=elsewhere, run=approved)
    moved.refresh_from_db()
    assert moved.interest_rank == 1 and moved.interest_points == 5.0
    assert moved.score == round(moved.travel_points + moved.interest_points, 1) == expected["score"]
    assert moved.commute_minutes == expected["commute_minutes"] and moved.commute_minutes > 0
    assert moved.explanation.startswith("Moved by staff; ") and "first-choice category (+5)" in moved.explanation
    rows = {row["applicant_id"]: row for row in csv.DictReader(io.StringIO(run_placements_csv(approved)))}
    row = rows[moved.applicant.applicant_id]
    assert (row["position_id"], row["score"], row["explanation"]) == (
        elsewhere.position_id,
        str(moved.score),
        moved.explanation,
    )
    listed = boston_staff_api.get(reverse("youthjobs-placement-list"), {"run": approved.pk}).json()["results"]
    assert {(item["score"], item["explanation"]) for item in listed} >= {(moved.score, moved.explanation)}
    offer_page = client.get(reverse("youthjobs:offer", args=[offer_token(moved)])).content.decode()
    assert escape(moved.explanation) in offer_page and elsewhere.title in offer_page
    assert any(elsewhere.title in message.body for message in mailoutbox)


def test_a_move_without_a_reason_or_to_a_full_position_changes_nothing(approved, boston_staff) -> None:
    placement, other = approved.placements.filter(is_direct_hire=False)[:2]
    full = PositionFactory(season=approved.season, seats=1)
    placement_override(placement=other, position=full, by=boston_staff, reason="Her choice")
    before = Placement.objects.values().get(pk=placement.pk)

    with pytest.raises(PlacementError, match="say why"):
        placement_override(
            placement=placement, position=PositionFactory(season=approved.season), by=boston_staff, reason=" "
        )
    with pytest.raises(PlacementError, match="no seat left"):
        placement_override(placement=placement, position=full, by=boston_staff, reason="Closer")

    assert Placement.objects.values().get(pk=placement.pk) == before
    assert not placement.events.exclude(to_state=PlacementState.OFFERED, from_state=PlacementState.PROPOSED).exists()


def test_offer_link_accepts_once_and_then_says_so(approved) -> None:
    placement = approved.placements.first()
    token = offer_token(placement)

    answered = offer_answer(token=token, accept=True)
    reused = offer_answer(token=token, accept=False)

    placement.refresh_from_db()
    assert answered.is_open and placement.state == PlacementState.ACCEPTED
    assert not reused.is_open and "answered or closed already" in reused.problem
    assert placement.events.latest("changed_at").to_state == PlacementState.ACCEPTED


def test_declining_frees_the_seat_for_the_next_round(approved) -> None:
    placement = approved.placements.filter(is_direct_hire=False).first()

    offer_answer(token=offer_token(placement), accept=False)

    placement.refresh_from_db()
    assert placement.state == PlacementState.DECLINED
    assert position_seats_left(position=placement.position, run=approved) >= 1
    assert next_round(approved.season) == 2


def test_tampered_late_or_replaced_links_change_nothing(approved, boston_staff) -> None:
    placement = approved.placements.filter(is_direct_hire=False).first()
    token = offer_token(placement)

    assert offer_answer(token=token[:-2] + "xx", accept=True).problem.startswith("This link is not valid")
    late = offer_link_open(token=token, now=placement.offer_expires_at + timedelta(minutes=1))
    assert "deadline" in late.problem
    placement_override(
        placement=placement, position=PositionFactory(season=approved.season), by=boston_staff, reason="r"
    )
    assert offer_answer(token=token, accept=True).problem.startswith("This link is not valid")
    assert Placement.objects.get(pk=placement.pk).state == PlacementState.OFFERED


def test_expiry_frees_unanswered_offers_once(approved) -> None:
    later = timezone.now() + timedelta(days=8)

    expired = offers_expire(now=later)
    again = offers_expire(now=later)

    assert expired == approved.placements.count() and again == 0
    assert (
        PlacementEvent.objects.filter(to_state=PlacementState.EXPIRED, reason__startswith="Not answered").count()
        == expired
    )


def test_second_round_matches_remaining_youth_to_remaining_seats(approved) -> None:
    declined = approved.placements.filter(is_direct_hire=False)[:5]
    for placement in declined:
        offer_answer(token=offer_token(placement), accept=False)
    holding = set(approved.placements.holding_seats().values_list("applicant", flat=True))

    second = match_run_execute(
        run_id=MatchRun.objects.create(season=approved.season, round=2, mechanism="optimal", seed=9).pk
    )

    placed_again = set(second.placements.values_list("applicant", flat=True))
    assert second.status == MatchRun.Status.FINISHED
    assert placed_again and not placed_again & holding
    assert not placed_again & {placement.applicant_id for placement in declined}
    assert second.summary["overall"]["youth"] == approved.summary["overall"]["youth"] - len(holding) - 5
    assert not second.placements.filter(is_direct_hire=True).exists()
