"""When Redis or PostgreSQL stops answering: what /healthz/, residents and API clients see.

Each dependency is really stopped for the portal (its setting points at a closed port), with
DEBUG off as deployed; only the two "a bug raised" cases replace a function."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client

from cities import selectors
from civicportal.celery import app as celery_app
from tests.processes import free_port

pytestmark = pytest.mark.services

SOMEONES_CITATION = {
    "kind": "citation",
    "citation_number": "747199692",
    "date_of_birth": "1985-04-30",
}


@pytest.fixture
def broker_down(monkeypatch) -> None:
    monkeypatch.setattr(celery_app.conf, "broker_url", f"redis://127.0.0.1:{free_port()}/0")


@pytest.fixture
def database_down() -> Iterator[None]:
    """The default connection pointed at a closed port until the test ends."""
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(free_port())
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port


@pytest.fixture
def resident() -> Client:
    """A resident's browser: the server's error pages, not the test's exceptions."""
    return Client(raise_request_exception=False)


def a_designed_page(content: bytes) -> str:
    page = content.decode()
    assert 'class="site-header"' in page and "Civic Portal" in page, "the site's own look"
    assert "Traceback" not in page and "django" not in page.lower()
    return page


def test_errors_are_tested_with_debug_off(settings):
    assert settings.DEBUG is False


@pytest.mark.django_db
def test_healthz_reports_each_dependency_ok(resident):
    response = resident.get("/healthz/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "broker": "ok"}}
    assert "no-store" in response["Cache-Control"], "a proxy's copy would hide an outage"


@pytest.mark.django_db
def test_healthz_answers_503_naming_the_cache_when_redis_is_down(resident, redis_cache_down):
    response = resident.get("/healthz/")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "unavailable", "broker": "ok"},
    }


@pytest.mark.django_db
def test_healthz_answers_503_naming_the_broker_when_it_is_down(resident, broker_down):
    response = resident.get("/healthz/")

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "broker": "unavailable"}


@pytest.mark.django_db(transaction=True)
def test_when_postgresql_is_down_healthz_pages_and_api_answer_503(resident, database_down):
    health = resident.get("/healthz/")
    assert health.status_code == 503
    assert health.json()["checks"] == {"database": "unavailable", "cache": "ok", "broker": "ok"}

    page = resident.get("/")
    assert page.status_code == 503
    assert page["Retry-After"] == "120"
    assert "try again in a few minutes" in a_designed_page(page.content)

    api = resident.get("/api/v1/cities/")
    assert api.status_code == 503
    assert api["Content-Type"] == "application/json"
    assert "try again in a few minutes" in api.json()["detail"]


@pytest.mark.django_db
def test_when_redis_is_down_pages_are_served_uncached(resident, redis_cache_down, demo_data):
    for address in ("/", "/cities/st-louis/courts/", "/cities/washington-dc/housing/", "/datasets/"):
        response = resident.get(address)
        assert response.status_code == 200, address


@pytest.mark.django_db
def test_when_redis_is_down_the_ticket_lookup_refuses_with_a_503_page(resident, redis_cache_down):
    response = resident.post("/cities/st-louis/courts/find-my-ticket/", SOMEONES_CITATION)

    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    page = a_designed_page(response.content)
    assert "try again in a few minutes" in page
    assert "747199692" not in page


@pytest.mark.django_db
def test_when_redis_is_down_the_throttled_api_refuses_with_json_503(resident, redis_cache_down):
    response = resident.get("/api/v1/cities/")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "The portal cannot answer this right now. Please try again in a few minutes."}


@pytest.mark.django_db
def test_an_unknown_api_address_answers_json_404(resident):
    for address in ("/api/v1/no-such-thing/", "/api/v2/cities/", "/api/v1/cities/no-such-city/"):
        response = resident.get(address)

        assert response.status_code == 404, address
        assert response["Content-Type"] == "application/json"
        assert set(response.json()) == {"detail"}


@pytest.mark.django_db
def test_a_failing_api_answers_json_500(resident, monkeypatch):
    def broken(**kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(selectors, "city_list", broken)

    response = resident.get("/api/v1/cities/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "a bug" not in json.dumps(response.json())


@pytest.mark.django_db
def test_residents_see_the_designed_404_page(resident):
    response = resident.get("/no-such-page/")

    assert response.status_code == 404
    assert "We can't find that page" in a_designed_page(response.content)


@pytest.mark.django_db
def test_residents_see_the_designed_500_page(resident, monkeypatch):
    def broken() -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(selectors, "collaborative_overview", broken)

    response = resident.get("/")

    assert response.status_code == 500
    page = a_designed_page(response.content)
    assert "Something went wrong on our side" in page and "a bug" not in page
