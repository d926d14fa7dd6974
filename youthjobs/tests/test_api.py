"""The summer jobs API as partners use it: positions and figures for anyone, applicants and
placements only for a token with the summer jobs staff permission."""

from __future__ import annotations

from django.urls import reverse

from youthjobs.models import MatchRun, Season
from youthjobs.services import match_run_execute


def test_positions_are_open_and_filterable(resident_api, small_season) -> None:
    response = resident_api.get(reverse("youthjobs-position-list"), {"neighbourhood": "Dorchester", "open_to_age": 15})

    assert response.status_code == 200
    results = response.json()["results"]
    assert results and all(row["site"]["neighbourhood"] == "Dorchester" and row["minimum_age"] <= 15 for row in results)


def test_unknown_filter_values_are_refused(resident_api, small_season) -> None:
    response = resident_api.get(reverse("youthjobs-position-list"), {"category": "Astronaut"})

    assert response.status_code == 400
    assert "category" in response.json()


def test_figures_are_open_and_suppress_small_groups(partner_api, small_season) -> None:
    response = partner_api.get(reverse("youthjobs-figures"))

    figures = response.json()
    assert response.status_code == 200
    assert figures["applicants"] == 120
    assert any(row["youth"] == "fewer than 10" for row in figures["by_neighbourhood"])
    assert "first_name" not in response.content.decode()


def test_partner_token_cannot_read_applicants(partner_api, outsider_api, resident_api, small_season) -> None:
    assert partner_api.get(reverse("youthjobs-applicant-list")).status_code == 403
    assert outsider_api.get(reverse("youthjobs-applicant-list")).status_code == 403
    assert resident_api.get(reverse("youthjobs-applicant-list")).status_code == 401
    assert partner_api.get(reverse("youthjobs-placement-list")).status_code == 403


def test_youthjobs_staff_token_reads_applicants_with_eligibility(boston_staff_api, small_season) -> None:
    response = boston_staff_api.get(reverse("youthjobs-applicant-list"), {"eligible": "false"})

    rows = response.json()["results"]
    assert response.status_code == 200
    assert rows and all(row["eligible"] is False and row["ineligibility_reasons"] for row in rows)


def test_youthjobs_staff_token_reads_a_runs_placements(boston_staff_api, small_season) -> None:
    run = match_run_execute(run_id=MatchRun.objects.create(season=Season.objects.get(), mechanism="stable", seed=1).pk)

    response = boston_staff_api.get(reverse("youthjobs-placement-list"), {"run": run.pk})

    assert response.status_code == 200
    assert response.json()["count"] == run.placements.count()
    assert response.json()["results"][0]["explanation"]


def test_lists_make_no_query_per_row(
    boston_staff_api, resident_api, small_season, django_assert_max_num_queries
) -> None:
    run = match_run_execute(run_id=MatchRun.objects.create(season=Season.objects.get(), mechanism="greedy", seed=1).pk)

    with django_assert_max_num_queries(8):
        placements = boston_staff_api.get(reverse("youthjobs-placement-list"), {"run": run.pk, "page_size": 100})
    with django_assert_max_num_queries(8):
        applicants = boston_staff_api.get(reverse("youthjobs-applicant-list"), {"page_size": 100})
    with django_assert_max_num_queries(6):
        positions = resident_api.get(reverse("youthjobs-position-list"), {"page_size": 100})

    assert len(placements.json()["results"]) > 50
    assert len(applicants.json()["results"]) == 100
    assert len(positions.json()["results"]) > 20
