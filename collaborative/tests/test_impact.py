"""The impact page: each app's figures through the core's registry, beside the grants."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cities.registry import FEWER_THAN_SMALL_CELL, ImpactFigure, city_app_for
from collaborative.impact import collaborative_impact

pytestmark = pytest.mark.django_db


def test_every_core_city_app_registers_its_home_and_figures(demo_data) -> None:
    for slug, label in (("boston", "youthjobs"), ("st-louis", "courts"), ("washington-dc", "housing")):
        registration = city_app_for(slug)
        assert registration is not None and registration.label == label
        assert registration.impact()
    assert city_app_for("seattle") is None


def test_small_counts_of_people_are_not_shown_exactly() -> None:
    assert ImpactFigure("x", "Youth", 9, counts_people=True).shown == FEWER_THAN_SMALL_CELL
    assert ImpactFigure("x", "Youth", 1200, counts_people=True).shown == "1,200"
    assert ImpactFigure("x", "Tickets", 3).shown == "3"


def test_impact_lists_grants_for_every_city_and_app_figures_for_core_cities(demo_data) -> None:
    rows = {row.city.slug: row for row in collaborative_impact()}
    assert len(rows) == 7
    assert rows["san-antonio"].figures == [] and rows["san-antonio"].grant_total == 10000
    assert {figure.key for figure in rows["washington-dc"].figures} >= {"projects-watched", "projects-flagged"}
    assert {figure.key for figure in rows["boston"].figures} == {"youth-placed", "youth-completed"}


def test_impact_page_and_a_city_impact_page(client, demo_data) -> None:
    page = client.get(reverse("collaborative:impact")).content.decode()
    assert "Court reminders sent" in page and "San Antonio" in page
    city = client.get(reverse("collaborative:city-impact", kwargs={"slug": "boston"}))
    assert "Young people placed" in city.content.decode()
    assert "Court reminders" not in city.content.decode()
    assert client.get(reverse("collaborative:city-impact", kwargs={"slug": "atlantis"})).status_code == 404


def test_impact_figures_in_the_api(resident_api, demo_data) -> None:
    response = resident_api.get("/api/v1/collaborative/impact/")
    assert response.status_code == 200
    rows = {row["city"]: row for row in response.json()}
    assert rows["cleveland"]["grant_total"] == "10000.00"
    assert rows["cleveland"]["figures"] == []
    assert {figure["key"] for figure in rows["boston"]["figures"]} == {"youth-placed", "youth-completed"}
    assert rows["boston"]["figures"][0]["value"] == "fewer than 10"
