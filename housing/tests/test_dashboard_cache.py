"""The dashboard page at city scale: computed once per version of the data and filter
combination, the default view computed by the refresh that follows an ingestion."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from cities.data_cache import data_version_bump
from housing import dashboard
from housing.models import Project
from housing.tasks import derived_data_refresh_task

DASHBOARD = "/cities/washington-dc/housing/"
CSV = DASHBOARD + "expiry-timeline.csv"


def counted(monkeypatch: pytest.MonkeyPatch, name: str) -> list[dict[str, Any]]:
    """Record each call of `housing.dashboard.<name>`, which still does its work."""
    calls: list[dict[str, Any]] = []
    real: Callable[..., Any] = getattr(dashboard, name)

    def recorded(**arguments: Any) -> Any:
        calls.append(arguments)
        return real(**arguments)

    monkeypatch.setattr(dashboard, name, recorded)
    return calls


def projects_count(response: Any) -> str:
    match = re.search(r'id="projects-count">([^<]*)<', response.content.decode())
    assert match is not None
    return match.group(1)


def test_a_dashboard_is_computed_once_per_version_of_the_data(client, dc_data, monkeypatch) -> None:
    computed = counted(monkeypatch, "dashboard")

    first = client.get(DASHBOARD, {"ward": "Ward 8", "page": "2"})
    again = client.get(DASHBOARD, {"ward": "Ward 8", "page": "2"})

    assert len(computed) == 1
    assert projects_count(again) == projects_count(first)
    assert projects_count(first).startswith("Projects 26 to ")
    data_version_bump("housing")
    client.get(DASHBOARD, {"ward": "Ward 8", "page": "2"})
    assert len(computed) == 2


def test_each_page_of_the_table_and_each_selection_is_its_own_entry(client, dc_data, monkeypatch) -> None:
    computed = counted(monkeypatch, "dashboard")

    client.get(DASHBOARD)
    client.get(DASHBOARD, {"page": "2"})
    client.get(DASHBOARD, {"page": "not a number"})
    client.get(DASHBOARD, {"ward": "Ward 1"})

    assert [call["page_number"] for call in computed] == [1, 2, 1]
    assert len(computed) == 3


def test_the_timeline_csv_is_read_once_per_version_of_the_data(client, dc_data, monkeypatch) -> None:
    computed = counted(monkeypatch, "expiry_timeline")

    first = client.get(CSV, {"ward": "Ward 8"})
    again = client.get(CSV, {"ward": "Ward 8"})

    assert len(computed) == 1
    assert first.content == again.content


@pytest.mark.django_db(transaction=True)
def test_the_refresh_after_an_ingestion_computes_the_default_view_before_anyone_asks(
    client, dc_data, monkeypatch
) -> None:
    derived_data_refresh_task()
    computed = counted(monkeypatch, "dashboard")

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    assert computed == []
    assert projects_count(response).startswith(f"Projects 1 to 25 of {Project.objects.count()},")
