"""Every list of the API downloads as CSV (`cities/api/csv.py`), as a partner would use it:
`?format=csv` or `Accept: text/csv` gives every row the JSON pages give, with the same
filters, permissions and headers, streamed; details and errors stay JSON."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cities.api.serializers import GrantSerializer, OrganizationSerializer
from cities.api.views import api_resources
from cities.models import Organization
from cities.services import app_demo_data_load
from tests.api_clients import token_client

API = "/api/v1"


def download(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def json_walk(client: APIClient, path: str, params: dict[str, str], page_size: int) -> list[dict]:
    rows: list[dict] = []
    page = 1
    while True:
        answer = client.get(path, {**params, "page_size": page_size, "page": page})
        assert answer.status_code == 200, answer.content
        rows += answer.json()["results"]
        if answer.json()["next"] is None:
            return rows
        page += 1


def as_cell(value: object) -> str:
    """A JSON value as the CSV writes it (cities.api.csv.csv_cell), for the lists below."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(as_cell(next(iter(item.values())) if isinstance(item, dict) else item) for item in value)
    return str(value)


def as_csv_row(row: dict, prefix: str = "") -> dict[str, str]:
    """A JSON row as its CSV line: a nested object's fields in columns of their own."""
    cells: dict[str, str] = {}
    for key, value in row.items():
        if isinstance(value, dict):
            cells |= as_csv_row(value, f"{prefix}{key}.")
        else:
            cells[f"{prefix}{key}"] = as_cell(value)
    return cells


# A list of each app, filtered, with more rows than a page of the JSON walk (its size), and
# who may read it (a fixture's user; anyone when None).
LISTS = {
    "cities": (f"{API}/ingestion-runs/", {"status": "succeeded", "ordering": "-rows_read"}, 5, None),
    "collaborative": (f"{API}/collaborative/relationships/", {"city": "boston"}, 10, None),
    "courts": (f"{API}/courts/citations/", {"warrant": "false"}, 50, "st_louis_staff"),
    "housing": (f"{API}/housing/subsidies/", {"active": "true", "ordering": "-poa_end"}, 50, None),
    "youthjobs": (f"{API}/youthjobs/positions/", {"open_to_age": "15"}, 50, None),
}


@pytest.mark.parametrize("app", sorted(LISTS))
def test_a_csv_download_is_every_row_the_json_pages_give_with_the_same_filter(
    demo_data, request, settings, django_capture_on_commit_callbacks, resident_api, app
):
    if app != "cities":
        # With what the ingestion sends on commit, run here as a worker would.
        with django_capture_on_commit_callbacks(execute=True):
            app_demo_data_load(data_dir=settings.CIVIC_DATA_DIR, labels={app})
    path, params, page_size, reader = LISTS[app]
    client = token_client(request.getfixturevalue(reader)) if reader else resident_api

    as_json = json_walk(client, path, params, page_size)
    answer = client.get(path, {**params, "format": "csv"})
    as_csv = download(answer)

    assert len(as_json) > page_size, (app, len(as_json))
    assert as_csv == [as_csv_row(row) for row in as_json]
    assert answer["Content-Disposition"] == f'attachment; filename="{path.rstrip("/").rsplit("/", 1)[-1]}.csv"'
    json_answer = client.get(path, params)
    assert answer.get("Data-Version") == json_answer.get("Data-Version")
    # The Accept header chooses CSV as well.
    assert download(client.get(path, params, HTTP_ACCEPT="text/csv")) == as_csv


def test_a_personal_list_downloads_for_a_permitted_token_only(
    demo_data, settings, django_capture_on_commit_callbacks, boston_staff, resident_api
):
    with django_capture_on_commit_callbacks(execute=True):
        app_demo_data_load(data_dir=settings.CIVIC_DATA_DIR, labels={"youthjobs"})

    rows = download(token_client(boston_staff).get(f"{API}/youthjobs/applicants/", {"format": "csv"}))

    assert rows
    assert resident_api.get(f"{API}/youthjobs/applicants/", {"format": "csv"}).status_code in (401, 403)


@pytest.mark.parametrize(
    "path",
    [
        f"{API}/courts/citations/",
        f"{API}/youthjobs/applicants/",
        f"{API}/youthjobs/placements/",
        f"{API}/housing/owners/",
    ],
)
def test_a_personal_list_refuses_csv_as_it_refuses_json(db, resident_api, outsider_api, path):
    for client in (resident_api, outsider_api):
        as_json = client.get(path)
        as_csv = client.get(path, {"format": "csv"})
        assert as_json.status_code in (401, 403)
        assert (as_csv.status_code, as_csv.json()) == (as_json.status_code, as_json.json())
        assert as_csv["Content-Type"] == "application/json"


def test_a_cell_that_would_start_a_formula_is_text(db, resident_api):
    Organization.objects.create(name='=HYPERLINK("http://evil.example","Click")', slug="formula", kind="community")

    rows = download(resident_api.get(f"{API}/organizations/", {"search": "HYPERLINK", "format": "csv"}))

    assert [row["name"] for row in rows] == ['\'=HYPERLINK("http://evil.example","Click")']


def test_an_empty_download_still_names_its_columns(db, resident_api):
    answer = resident_api.get(f"{API}/grants/", {"city": "nowhere", "format": "csv"})

    assert answer.status_code == 200
    assert b"".join(answer.streaming_content).decode().splitlines() == [",".join(GrantSerializer().fields)]


def test_the_rows_are_read_from_the_database_as_the_client_takes_them(db, resident_api, monkeypatch):
    monkeypatch.setattr("cities.api.csv.CHUNK_ROWS", 2)
    for number in range(5):
        Organization.objects.create(name=f"Organisation {number}", slug=f"organisation-{number}", kind="community")

    with CaptureQueriesContext(connection) as answered:
        answer = resident_api.get(f"{API}/organizations/", {"format": "csv"})
    pieces = iter(answer.streaming_content)
    header = next(pieces)
    with CaptureQueriesContext(connection) as sent:
        lines = [next(pieces) for _ in range(3)]

    assert not any("cities_organization" in query["sql"] for query in answered.captured_queries)
    assert any("cities_organization" in query["sql"] for query in sent.captured_queries)
    assert header.decode() == ",".join(OrganizationSerializer().fields) + "\r\n"
    # Two rows to a piece, as they come from the database.
    assert [piece.count(b"\n") for piece in lines] == [2, 2, 1]
    # Read to the end, the answer ends its request (`cities.after_response`).
    assert list(pieces) == []


@pytest.mark.parametrize(
    "path", [path for resources in api_resources().values() for path in resources.values()], ids=str
)
def test_an_unknown_format_is_refused_naming_the_parameter(db, admin_user, path):
    client = APIClient()
    client.force_authenticate(admin_user)

    answer = client.get(path, {"format": "xml"})

    assert answer.status_code == 400, (path, answer.status_code)
    assert answer["Content-Type"] == "application/json"
    assert list(answer.json()) == ["format"]


def test_a_detail_is_json_only(demo_data, resident_api):
    answer = resident_api.get(f"{API}/cities/boston/", {"format": "csv"})

    assert answer.status_code == 400
    assert list(answer.json()) == ["format"]


def test_every_list_of_every_app_downloads_and_the_schema_says_so(db, admin_user):
    client = APIClient()
    client.force_authenticate(admin_user)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    documented = {
        path
        for path, operations in schema["paths"].items()
        if "get" in operations and "text/csv" in operations["get"]["responses"]["200"]["content"]
    }
    downloadable = set()
    for resources in api_resources().values():
        for path in resources.values():
            answer = client.get(path, {"format": "csv"})
            if answer.status_code == 200:
                assert answer["Content-Type"] == "text/csv; charset=utf-8", path
                # At least the header line; read to the end, the answer ends its request.
                assert answer.getvalue(), path
                downloadable.add(path)
            else:
                assert (answer.status_code, list(answer.json())) == (400, ["format"]), path

    assert downloadable == documented
    # Every list: all but the one resource that is a single object of figures.
    assert {path for resources in api_resources().values() for path in resources.values()} - downloadable == {
        f"{API}/youthjobs/figures/"
    }
    for path in documented:
        operation = schema["paths"][path]["get"]
        assert "format" in {parameter["name"] for parameter in operation.get("parameters", [])}, path
        errors = [code for code in operation["responses"] if not code.startswith("2")]
        assert all("text/csv" not in operation["responses"][code].get("content", {}) for code in errors), path
    details = [path for path in schema["paths"] if "{" in path and "get" in schema["paths"][path]]
    assert details
    for path in details:
        assert "text/csv" not in schema["paths"][path]["get"]["responses"]["200"]["content"], path
