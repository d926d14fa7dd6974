"""Conventions every list of the API keeps, whichever app it belongs to: the root lists it,
and an unknown query parameter is refused with 400 naming it."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from cities.api.views import api_resources

APPS = {"cities", "collaborative", "courts", "housing", "youthjobs"}


def test_the_api_root_lists_every_resource_of_every_app(resident_api):
    answer = resident_api.get("/api/v1/")
    assert answer.status_code == 200
    resources = answer.json()["resources"]
    assert set(resources) == APPS
    assert resources["cities"]["grants"] == "http://testserver/api/v1/grants/"
    assert "positions" in resources["youthjobs"] and "projects" in resources["housing"]
    assert answer.json()["catalogue"] == "http://testserver/data.json"


@pytest.mark.parametrize(
    "path", [path for resources in api_resources().values() for path in resources.values()], ids=str
)
def test_an_unknown_query_parameter_is_refused_naming_it(db, admin_user, path):
    client = APIClient()
    client.force_authenticate(admin_user)
    answer = client.get(path, {"cty": "boston"})
    assert answer.status_code == 400, (path, answer.status_code)
    assert "cty" in answer.json()


def test_known_parameters_still_filter(demo_data, resident_api):
    answer = resident_api.get("/api/v1/grants/", {"city": "boston", "ordering": "-amount", "page_size": "5"})
    assert answer.status_code == 200
    assert {row["city"] for row in answer.json()["results"]} == {"boston"}


def test_the_schema_says_how_a_partner_gets_a_token(db, resident_api):
    schema = resident_api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    token = schema["components"]["securitySchemes"]["tokenAuth"]
    assert (token["type"], token["in"], token["name"]) == ("apiKey", "header", "Authorization")
    assert "Partners (API reads)" in token["description"] and "shown once" in token["description"]
    apps = {path.removeprefix("/api/v1/").split("/")[0] for path in schema["paths"]}
    assert {"courts", "housing", "youthjobs", "collaborative", "grants"} <= apps
