"""Boston's match runs through the API as a partner reads them: every parameter a run ran
with and its figures, the ones the admin shows, with small groups suppressed and nobody
named; only for tokens holding `youthjobs.view_matchrun`."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import requests
import schemathesis
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cities.roles import PARTNERS
from tests.api_clients import token_client
from youthjobs.models import Applicant, MatchRun, Season
from youthjobs.placements import match_run_approve
from youthjobs.services import match_run_start
from youthjobs.what_if import what_if_run_start

LIST = reverse("youthjobs-matchrun-list")

# Fields that would name or locate a youth, or name a staff member.
PERSONAL_KEYS = {
    "applicant",
    "applicant_id",
    "person_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "email",
    "phone",
    "home_zip",
    "home_latitude",
    "home_longitude",
    "age",
    "created_by",
    "approved_by",
    "placements",
}


def detail(run: MatchRun) -> str:
    return reverse("youthjobs-matchrun-detail", args=[run.pk])


def finished_run(
    django_capture_on_commit_callbacks, *, mechanism: str = "optimal", seed: int = 5, **parameters: Any
) -> MatchRun:
    """A run started as staff start one, solved as the worker solves it."""
    with django_capture_on_commit_callbacks(execute=True):
        run = match_run_start(season=Season.objects.get(), mechanism=mechanism, seed=seed, parameters=parameters)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.FINISHED
    return run


@pytest.fixture
def partners_role_api(member_of) -> APIClient:
    """A token of an account in the shipped partners' role."""
    return token_client(member_of(PARTNERS, is_staff=False))


def test_a_permitted_token_reads_a_runs_parameters_and_the_figures_the_admin_shows(
    boston_staff_api, client, boston_staff, small_season, django_capture_on_commit_callbacks
) -> None:
    run = finished_run(
        django_capture_on_commit_callbacks,
        mechanism="stable",
        commute={"max_minutes": 35, "transit_wait_minutes": 4},
        weights={"interest_weight": 2},
        candidates_per_youth=12,
    )

    response = boston_staff_api.get(detail(run))

    assert response.status_code == 200
    shown = response.json()
    assert (shown["id"], shown["season"], shown["round"], shown["mechanism"]) == (run.pk, "2026", 1, "stable")
    assert shown["status"] == "finished" and shown["seed"] == 5
    parameters = shown["parameters"]
    assert parameters["commute"]["max_minutes"] == 35 and parameters["commute"]["transit_wait_minutes"] == 4
    assert parameters["commute"]["walking_speed_kmh"] == 4.8
    assert parameters["weights"]["interest_weight"] == 2 and parameters["weights"]["travel_weight"] == 5
    assert parameters["candidates_per_youth"] == 12
    assert shown["approved"] is False and shown["approved_at"] is None and shown["superseded_by"] is None
    assert shown["what_if"] is None
    figures, overall = shown["figures"], run.summary["overall"]
    assert figures["youth_considered"] == overall["youth"] == figures["placed"] + figures["unplaced"]
    assert figures["placed"] == run.placements.count()
    assert figures["eligible"] == overall["youth"]
    assert figures["placement_rate"] == overall["placement_rate"]
    assert figures["placed_over_greedy"] == overall["placed"] - overall["greedy_placed"]
    assert figures["blocking_pairs"] == 0
    # The same figures on the run's admin page.
    client.force_login(boston_staff)
    page = client.get(reverse("admin:youthjobs_matchrun_change", args=[run.pk])).content.decode()
    for label, value in (
        ("Youth to place", figures["youth_considered"]),
        ("Eligible youth of the season", figures["eligible"]),
        ("Seats filled", f"{figures['seats_filled']} of {figures['seats']}"),
        ("Total score / mean score", f"{figures['total_score']} / {figures['mean_score']}"),
        (
            "Commute: mean / median / 90th percentile (min)",
            f"{figures['mean_commute_minutes']} / {figures['median_commute_minutes']} / "
            f"{figures['p90_commute_minutes']}",
        ),
        (
            "The former greedy lottery on the same problem: placed / total score",
            f"{figures['greedy_placed']} / {figures['greedy_total_score']}",
        ),
    ):
        assert f'<th scope="row">{label}</th><td>{value}</td>' in page, label
    admin_rows = [row["group"] for row in run.summary["by_neighbourhood"]]
    assert [row["group"] for row in figures["by_neighbourhood"]] == admin_rows


def test_a_permitted_tokens_answers_match_their_documented_schema(
    boston_staff_api, boston_staff, small_season, django_capture_on_commit_callbacks
) -> None:
    # The schema tests' partner holds no Boston permission: this reads a run's full answer.
    run = finished_run(django_capture_on_commit_callbacks)
    match_run_approve(run=run, approved_by=boston_staff)
    with django_capture_on_commit_callbacks(execute=True):
        what_if_run_start(season=Season.objects.get(), extra_seats={"Health Care": 5})
    MatchRun.objects.create(season=Season.objects.get(), round=2, mechanism="stable", seed=9)
    schema = schemathesis.openapi.from_dict(boston_staff_api.get("/api/schema/?format=json").json())

    for path, address in (
        ("/api/v1/youthjobs/match-runs/", LIST),
        *(("/api/v1/youthjobs/match-runs/{id}/", detail(other)) for other in MatchRun.objects.all()),
    ):
        answer = boston_staff_api.get(address)
        assert answer.status_code == 200
        response = schemathesis.Response(
            status_code=answer.status_code,
            headers={name: [value] for name, value in answer.headers.items()},
            content=answer.content,
            request=requests.Request("GET", f"http://testserver{address}").prepare(),
            elapsed=0.0,
            verify=False,
        )
        schema[path]["GET"].validate_response(response)


def test_groups_under_ten_youth_read_fewer_than_10_with_no_figure_derived(
    boston_staff_api, small_season, django_capture_on_commit_callbacks
) -> None:
    run = finished_run(django_capture_on_commit_callbacks)

    groups = boston_staff_api.get(detail(run)).json()["figures"]["by_neighbourhood"]

    stored = {row["group"]: row for row in run.summary["by_neighbourhood"]}
    small = [row for row in groups if stored[row["group"]]["youth"] < 10]
    assert small, "the small season has neighbourhoods of fewer than 10 youth"
    for row in small:
        assert row["youth"] == "fewer than 10"
        assert row["placement_rate"] is None and row["mean_commute_minutes"] is None and row["mean_score"] is None
    large = [row for row in groups if stored[row["group"]]["placed"] >= 10]
    assert large and all(row == stored[row["group"]] for row in large)


def test_no_youth_and_no_staff_member_appears_anywhere_in_the_answer(
    boston_staff_api, boston_staff, small_season, django_capture_on_commit_callbacks
) -> None:
    run = finished_run(django_capture_on_commit_callbacks)
    match_run_approve(run=run, approved_by=boston_staff)

    listed = boston_staff_api.get(LIST).json()
    shown = boston_staff_api.get(detail(run)).json()

    keys: set[str] = set()
    values: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            keys.update(value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif value is not None:
            values.add(str(value))

    walk(listed)
    walk(shown)
    assert not keys & PERSONAL_KEYS
    text = json.dumps([listed, shown])
    for applicant in Applicant.objects.all():
        for personal in (applicant.applicant_id, applicant.person_id, applicant.email, applicant.phone):
            assert not personal or personal not in text
        assert not {applicant.first_name, applicant.last_name, str(applicant.date_of_birth)} & values
    assert boston_staff.username not in text
    assert shown["approved"] is True and shown["approved_at"]


def test_anonymous_is_asked_to_sign_in_and_a_token_without_the_permission_refused(
    resident_api, outsider_api, partners_role_api, small_season, django_capture_on_commit_callbacks
) -> None:
    run = finished_run(django_capture_on_commit_callbacks)

    assert resident_api.get(LIST).status_code == 401
    assert resident_api.get(detail(run)).status_code == 401
    assert outsider_api.get(LIST).status_code == 403
    assert outsider_api.get(detail(run)).status_code == 403
    # Partners' tokens see aggregates: the shipped role reads runs (not their placements).
    assert partners_role_api.get(detail(run)).status_code == 200
    assert partners_role_api.get(reverse("youthjobs-placement-list")).status_code == 403


def test_the_list_is_read_only(boston_staff_api, small_season, django_capture_on_commit_callbacks) -> None:
    run = finished_run(django_capture_on_commit_callbacks)

    # Boston staff may start runs, in the admin: the API offers no way to.
    assert boston_staff_api.post(LIST, {"mechanism": "greedy", "seed": 1}).status_code == 405
    assert list(MatchRun.objects.values_list("pk", flat=True)) == [run.pk]


def test_runs_filter_by_season_status_mechanism_approval_what_if_and_start(
    boston_staff_api, boston_staff, small_season, django_capture_on_commit_callbacks
) -> None:
    greedy = finished_run(django_capture_on_commit_callbacks, mechanism="greedy")
    optimal = finished_run(django_capture_on_commit_callbacks, mechanism="optimal")
    match_run_approve(run=optimal, approved_by=boston_staff)
    with django_capture_on_commit_callbacks(execute=True):
        what_if = what_if_run_start(season=Season.objects.get(), max_minutes=50)
    queued = MatchRun.objects.create(season=Season.objects.get(), round=2, mechanism="stable", seed=9)
    MatchRun.objects.filter(pk=greedy.pk).update(started_at=timezone.now() - timedelta(days=3))

    def ids(**query: str) -> set[int]:
        response = boston_staff_api.get(LIST, query)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids() == {greedy.pk, optimal.pk, what_if.pk, queued.pk}
    assert ids(season="2026") == ids() and ids(season="2017") == set()
    assert ids(status="queued") == {queued.pk}
    assert ids(mechanism="greedy") == {greedy.pk}
    assert ids(approved="true") == {optimal.pk}
    assert ids(approved="false") == {greedy.pk, what_if.pk, queued.pk}
    assert ids(what_if="true") == {what_if.pk}
    assert ids(started_before=(timezone.now() - timedelta(days=1)).isoformat()) == {greedy.pk}
    assert ids(started_after=(timezone.now() - timedelta(days=1)).isoformat()) == {optimal.pk, what_if.pk}
    ordered = boston_staff_api.get(LIST, {"ordering": "started_at"}).json()["results"]
    assert ordered[0]["id"] == greedy.pk
    # The greedy run is superseded by the approved run of its round; the what-if says what it changed.
    assert boston_staff_api.get(detail(greedy)).json()["superseded_by"] == optimal.pk
    changed = boston_staff_api.get(detail(what_if)).json()["what_if"]
    assert changed == {"of_run": optimal.pk, "max_minutes": 50.0, "extra_seats": {}}
    assert boston_staff_api.get(detail(queued)).json()["figures"] is None


@pytest.mark.parametrize(
    "query",
    [
        {"status": "done"},
        {"mechanism": "hungarian"},
        {"approved": "yes"},
        {"started_after": "last week"},
        {"ordering": "seed"},
        {"algorithm": "greedy"},
    ],
)
def test_a_bad_filter_is_refused_naming_it(boston_staff_api, small_season, query) -> None:
    response = boston_staff_api.get(LIST, query)

    assert response.status_code == 400
    assert set(query) <= set(response.json())


def test_a_page_of_runs_takes_the_same_queries_however_many_runs(
    boston_staff_api, small_season, django_capture_on_commit_callbacks, django_assert_max_num_queries
) -> None:
    run = finished_run(django_capture_on_commit_callbacks)
    season = Season.objects.get()

    def page_queries() -> int:
        with django_assert_max_num_queries(6) as captured:
            response = boston_staff_api.get(LIST, {"page_size": 100})
        assert response.status_code == 200
        return len(captured)

    few = page_queries()
    MatchRun.objects.bulk_create(
        MatchRun(
            season=season,
            mechanism=run.mechanism,
            seed=seed,
            parameters=run.parameters,
            status=MatchRun.Status.FINISHED,
            summary=run.summary,
        )
        for seed in range(30)
    )

    assert page_queries() == few


def test_the_api_root_lists_match_runs(resident_api) -> None:
    resources = resident_api.get("/api/v1/").json()["resources"]

    assert resources["youthjobs"]["match-runs"].endswith("/api/v1/youthjobs/match-runs/")
