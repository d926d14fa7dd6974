"""The public figures of the summer jobs are read once per version of the data, and every change
that moves them is seen: a placement's change once it commits, a staff edit of a position, and
an offer whose deadline passes, which no write announces."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from youthjobs.models import MatchRun, Placement, PlacementState, Position, Season
from youthjobs.placements import match_run_approve, placement_transition
from youthjobs.services import match_run_execute


@pytest.fixture
def approved(small_season, boston_staff, django_capture_on_commit_callbacks) -> MatchRun:
    run = match_run_execute(run_id=MatchRun.objects.create(season=Season.objects.get(), mechanism="optimal", seed=1).pk)
    with django_capture_on_commit_callbacks(execute=True):
        match_run_approve(run=run, approved_by=boston_staff)
    return run


def figures(client) -> dict:
    response = client.get(reverse("youthjobs-figures"))
    assert response.status_code == 200, response.content
    return response.json()


def seasons(client) -> list[dict]:
    response = client.get(reverse("youthjobs-seasons"))
    assert response.status_code == 200, response.content
    return response.json()


def test_the_figures_are_read_once_per_version_of_the_data(client, approved) -> None:
    first, compared = figures(client), seasons(client)

    with CaptureQueriesContext(connection) as queries:
        assert figures(client) == first
        assert seasons(client) == compared
        assert client.get(reverse("youthjobs:home")).status_code == 200
    # The applicants' rows are read by the figures only.
    assert not [query for query in queries.captured_queries if "date_of_birth" in query["sql"]]


def test_a_declined_offer_counts_once_its_change_commits(
    client, approved, boston_staff, django_capture_on_commit_callbacks
) -> None:
    placed = figures(client)["placed"]
    offered = approved.placements.filter(state=PlacementState.OFFERED).first()

    with django_capture_on_commit_callbacks(execute=True):
        placement_transition(placement=offered, to_state=PlacementState.DECLINED, by=boston_staff, reason="Moved away")

    assert figures(client)["placed"] == placed - 1
    assert seasons(client)[-1]["placed"] == placed - 1


def test_a_position_edited_by_staff_changes_the_seats_once_saved(
    client, approved, django_capture_on_commit_callbacks
) -> None:
    seats = seasons(client)[-1]["seats"]
    position = Position.objects.filter(season__year=approved.season.year).first()

    with django_capture_on_commit_callbacks(execute=True):
        position.seats += 3
        position.save()

    assert seasons(client)[-1]["seats"] == seats + 3


def test_an_offer_past_its_deadline_stops_counting_at_once(client, approved) -> None:
    placed = figures(client)["placed"]
    offered = approved.placements.filter(state=PlacementState.OFFERED).first()

    # No save, no signal and no scheduler: only the clock moved past the deadline.
    Placement.objects.filter(pk=offered.pk).update(offer_expires_at=timezone.now() - timedelta(minutes=1))

    assert figures(client)["placed"] == placed - 1
