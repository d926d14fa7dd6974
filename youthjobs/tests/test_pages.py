"""The public summer jobs pages as a resident sees them: aggregates only, small groups
suppressed, no person named; a youth's private offer page answered once."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils.html import escape

from youthjobs.models import Applicant, MatchRun, PlacementState, Season
from youthjobs.offers import offer_token
from youthjobs.placements import match_run_approve
from youthjobs.services import match_run_execute


@pytest.fixture
def approved_season(small_season, boston_staff) -> MatchRun:
    run = match_run_execute(run_id=MatchRun.objects.create(season=Season.objects.get(), mechanism="optimal", seed=2).pk)
    match_run_approve(run=run, approved_by=boston_staff)
    return run


def test_dashboard_shows_figures_and_no_one(client, approved_season) -> None:
    response = client.get(reverse("youthjobs:home"))
    page = response.content.decode()

    assert response.status_code == 200
    assert '<dd id="figure-applicants">120</dd>' in page
    assert "Dorchester" in page and 'id="by-category"' in page
    assert "fewer than 10" in page
    for applicant in Applicant.objects.all()[:20]:
        assert applicant.last_name not in page and applicant.applicant_id not in page
    assert "Synthetic" not in page
    assert "Cache-Control" not in response or "private" not in response["Cache-Control"]


def test_small_neighbourhoods_show_no_rate(client, approved_season) -> None:
    figures = client.get(reverse("youthjobs:home")).context["figures"]

    for row in figures["by_neighbourhood"]:
        if row["youth"] == "fewer than 10":
            assert row["placement_rate"] is None
        else:
            assert row["youth"] >= 10


def test_dashboard_without_a_season_says_so(client, db) -> None:
    page = client.get(reverse("youthjobs:home")).content.decode()

    assert "No season's figures are published yet." in page


def test_neighbourhood_boundaries_are_in_degrees(client, boston_geography) -> None:
    boundaries = json.loads(client.get(reverse("youthjobs:neighbourhoods")).content)

    dorchester = next(feature for feature in boundaries["features"] if feature["properties"]["name"] == "Dorchester")
    longitude, latitude = dorchester["geometry"]["coordinates"][0][0][0]
    assert -71.2 < longitude < -70.9 and 42.2 < latitude < 42.4
    assert len(boundaries["features"]) == 26


def test_file_formats_page_lists_every_file(client, db) -> None:
    page = client.get(reverse("youthjobs:file-formats")).content.decode()

    for slug in (
        "youthjobs.seasons",
        "youthjobs.sites",
        "youthjobs.positions",
        "youthjobs.applicants",
        "youthjobs.direct_hires",
    ):
        assert slug in page
    assert "date_of_birth" in page and "YYYY-MM-DD" in page


def test_youth_accepts_through_the_link_once(client, approved_season) -> None:
    placement = approved_season.placements.select_related("position").first()
    url = reverse("youthjobs:offer", args=[offer_token(placement)])

    shown = client.get(url)
    accepted = client.post(url, {"answer": "accept"})
    reused = client.post(url, {"answer": "decline"})

    assert shown.status_code == 200 and placement.position.title in shown.content.decode()
    assert "private" in shown["Cache-Control"]
    assert accepted.status_code == 200 and "you accepted" in accepted.content.decode()
    assert reused.status_code == 409 and "Nothing was changed" in reused.content.decode()
    placement.refresh_from_db()
    assert placement.state == PlacementState.ACCEPTED


def test_a_forged_link_shows_nothing(client, approved_season) -> None:
    response = client.get(reverse("youthjobs:offer", args=["not-a-real-token"]))

    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()


def test_an_answer_must_be_accept_or_decline(client, approved_season) -> None:
    placement = approved_season.placements.first()

    response = client.post(reverse("youthjobs:offer", args=[offer_token(placement)]), {"answer": "maybe"})

    assert response.status_code == 400
    placement.refresh_from_db()
    assert placement.state == PlacementState.OFFERED


def test_before_any_approved_run_the_dashboard_says_so_instead_of_empty_figures(client, small_season) -> None:
    MatchRun.objects.create(season=Season.objects.get(), mechanism="optimal", seed=2)

    page = client.get(reverse("youthjobs:home")).content.decode()

    assert "no match run has been approved, so there are no placement figures to show" in page
    assert "120 young people have applied" in page
    assert "fewer than 10" not in page
    assert 'id="by-neighbourhood"' not in page and "chart.umd.min.js" not in page
    assert 'href="/cities/boston/summer-jobs/positions/"' in page


def test_open_positions_show_site_category_neighbourhood_and_hours_and_no_contact(client, small_season) -> None:
    season = Season.objects.get()
    position = season.positions.select_related("site").first()

    response = client.get(reverse("youthjobs:positions"))

    page = response.content.decode()
    assert response.status_code == 200
    assert escape(position.title) in page and escape(position.site.name) in page
    assert escape(position.category) in page and f'<td class="num">{position.hours_per_week}</td>' in page
    assert f"{season.positions.count()} jobs with a free seat" in page
    addresses = {position.site.address for position in season.positions.select_related("site")} - {""}
    assert addresses and not any(escape(address) in page for address in addresses)


def test_a_position_whose_seats_are_all_held_is_not_open(client, approved_season) -> None:
    held = {
        placement.position_id
        for placement in approved_season.placements.filter(state=PlacementState.OFFERED).select_related("position")
        if placement.position.placements.filter(state=PlacementState.OFFERED).count() >= placement.position.seats
    }
    assert held, "the small season fills some positions"

    listed = client.get(reverse("youthjobs:positions")).context["positions"]

    assert held.isdisjoint(position.pk for position in listed)
    assert all(position.seats_open > 0 for position in listed)


def test_a_youth_reaches_their_offer_from_the_link_pasted_or_its_code(client, approved_season) -> None:
    placement = approved_season.placements.select_related("position").first()
    token = offer_token(placement)

    for pasted in (f"http://127.0.0.1:8000/cities/boston/summer-jobs/offers/{token}/", token):
        response = client.get(reverse("youthjobs:offer-find"), {"link": pasted}, follow=True)
        assert response.redirect_chain == [(reverse("youthjobs:offer", args=[token]), 302)]
        assert escape(placement.position.title) in response.content.decode()
    empty = client.get(reverse("youthjobs:offer-find"), {"link": " "})
    assert empty.status_code == 400 and "Paste the link from your offer message." in empty.content.decode()
    assert "private" in empty["Cache-Control"]
    forged = client.get(reverse("youthjobs:offer-find"), {"link": "not-a-token"}, follow=True)
    assert forged.status_code == 404 and "This link is not valid" in forged.content.decode()
