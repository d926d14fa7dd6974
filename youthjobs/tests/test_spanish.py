"""Boston's summer jobs pages in Spanish, as a young person whose browser asks for Spanish
reads them: the dashboard (with its suppression note), the open positions and their own
offer, answered through the private link; site names and neighbourhoods as published."""

from __future__ import annotations

import pytest
from django.urls import reverse

from youthjobs.models import MatchRun, PlacementState, Season
from youthjobs.offers import offer_token
from youthjobs.placements import match_run_approve
from youthjobs.services import match_run_execute

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es"}


@pytest.fixture
def approved_season(small_season, boston_staff) -> MatchRun:
    run = match_run_execute(run_id=MatchRun.objects.create(season=Season.objects.get(), mechanism="optimal", seed=2).pk)
    match_run_approve(run=run, approved_by=boston_staff)
    return run


def test_dashboard_in_spanish_with_small_groups_suppressed(client, approved_season) -> None:
    page = client.get(reverse("youthjobs:home"), **SPANISH).content.decode()

    for spanish in (
        "Empleos de verano para jóvenes de Boston",
        "¿Busca un empleo de verano?",
        "Solicitantes y colocaciones por vecindario de residencia",
        "Tasa de colocación",
        "menos de 10",
        'data-text-rate="{percent} de los solicitantes con puesto"',
    ):
        assert spanish in page, spanish
    for english in ("Summer jobs for Boston&#x27;s youth", "Placement rate", "fewer than 10", "By neighbourhood"):
        assert english not in page, english
    assert "Dorchester" in page
    # A rate the map reads stays a number a script can read: "0.45", never "0,45".
    rates = [part.split('"', 1)[0] for part in page.split('data-rate="')[1:]]
    assert rates and all("," not in rate for rate in rates)


def test_before_an_approved_run_the_dashboard_says_so_in_spanish(client, small_season) -> None:
    page = client.get(reverse("youthjobs:home"), **SPANISH).content.decode()

    assert "Todavía no se ha asignado empleo a los jóvenes" in page
    assert "no match run has been approved" not in page


def test_open_positions_in_spanish(client, small_season) -> None:
    response = client.get(reverse("youthjobs:positions"), **SPANISH)
    page = response.content.decode()
    position = response.context["positions"][0]

    assert "Empleos de verano disponibles" in page and "Horas por semana" in page and "Puestos libres" in page
    assert "con puestos libres." in page
    assert "Open summer jobs" not in page and "Hours a week" not in page
    assert position.site.name.replace("&", "&amp;").replace("'", "&#x27;") in page


def test_youth_answers_their_offer_in_spanish(client, approved_season) -> None:
    placement = approved_season.placements.select_related("position").first()
    url = reverse("youthjobs:offer", args=[offer_token(placement)])

    shown = client.get(url, **SPANISH).content.decode()
    refused = client.post(url, {"answer": "maybe"}, **SPANISH).content.decode()
    accepted = client.post(url, {"answer": "accept"}, **SPANISH).content.decode()
    reused = client.post(url, {"answer": "decline"}, **SPANISH).content.decode()

    assert "Su oferta de empleo de verano" in shown and "Aceptar este empleo" in shown and "Rechazar" in shown
    assert "horas por semana" in shown and "Accept this job" not in shown
    assert "Elija aceptar o rechazar." in refused
    assert "Gracias: usted aceptó el puesto de" in accepted
    assert "Esta oferta ya fue respondida o cerrada (aceptada). No se cambió nada." in reused
    placement.refresh_from_db()
    assert placement.state == PlacementState.ACCEPTED


def test_a_forged_link_says_so_in_spanish(client, db) -> None:
    response = client.get(reverse("youthjobs:offer", args=["not-a-real-token"]), **SPANISH)

    assert response.status_code == 404
    assert "Este enlace no es válido" in response.content.decode()
    assert "This link is not valid" not in response.content.decode()


def test_pasting_no_link_asks_for_it_in_spanish(client, db) -> None:
    response = client.get(reverse("youthjobs:offer-find"), {"link": ""}, **SPANISH)

    assert response.status_code == 400
    assert "Pegue el enlace del mensaje con su oferta." in response.content.decode()
