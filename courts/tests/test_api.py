"""The St. Louis courts API as partners and residents use it."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cities.data_cache import data_version_bump
from courts.models import Judge
from courts.tests.factories import (
    CitationFactory,
    CourtDateFactory,
    JudgeFactory,
    MunicipalityCourtFactory,
    ViolationFactory,
    WarrantFactory,
)
from courts.tests.test_admin import DEFENDANT_PERSONAL_VALUES
from tests.api_clients import token_client

LOOKUP = "/api/v1/courts/lookup/"


@pytest.fixture
def citation(db):
    link = MunicipalityCourtFactory()
    citation = CitationFactory(
        citation_number="528860387",
        court=link.court,
        municipality=link.municipality,
        first_name="Quinta",
        last_name="Imaginary",
        last_name_key="IMAGINARY",
    )
    ViolationFactory(citation=citation)
    WarrantFactory(violation__citation=citation, warrant_number="WA0361114")
    CourtDateFactory(citation=citation, day=date(2099, 3, 2))
    JudgeFactory(court=link.court, name="Ada Example")
    return citation


@pytest.fixture
def staff_api(st_louis_staff) -> APIClient:
    return token_client(st_louis_staff)


def lookup(client: APIClient, address: str = "203.0.113.7", **fields: str):
    data = {"kind": "citation", "citation_number": "528860387", "date_of_birth": "1985-04-30", **fields}
    return client.post(LOOKUP, data, format="json", REMOTE_ADDR=address)


def test_courts_municipalities_and_judges_are_open(resident_api, citation):
    courts = resident_api.get("/api/v1/courts/courts/").json()
    municipalities = resident_api.get("/api/v1/courts/municipalities/").json()
    judges = resident_api.get("/api/v1/courts/judges/").json()

    assert courts["results"][0]["slug"] == citation.court.slug
    assert courts["results"][0]["phone"] == "314-555-0100"
    assert municipalities["results"][0]["courts"] == [citation.court.slug]
    judge = Judge.objects.get()
    assert judges["results"] == [{"source_id": judge.source_id, "name": "Ada Example", "court": citation.court.slug}]
    # Details are addressed by the published source's ids, not the database's.
    assert resident_api.get(f"/api/v1/courts/judges/{judge.source_id}/").json()["name"] == "Ada Example"
    municipality = citation.municipality
    detail = resident_api.get(f"/api/v1/courts/municipalities/{municipality.source_id}/").json()
    assert detail["name"] == municipality.name


def test_a_proven_lookup_answers_the_tickets_without_the_persons_details(resident_api, citation):
    response = lookup(resident_api)

    assert response.status_code == 200
    [ticket] = response.json()
    assert ticket["citation_number"] == "528860387"
    assert ticket["total_owed"] == "163.54"
    assert ticket["court_date"] == {"day": "2099-03-02", "time": "13:30:00"}
    assert ticket["court"]["address"] == "1 Main Street"
    warrants = [violation["warrant"] for violation in ticket["violations"] if violation["warrant"]]
    assert warrants == [{"number": "WA0361114", "status": "outstanding"}]
    [warranted] = [violation for violation in ticket["violations"] if violation["warrant"]]
    assert warranted["guidance"][0]["situation"] == "warrant"
    body = response.content.decode()
    for personal in (*DEFENDANT_PERSONAL_VALUES, citation.licence_number, "1985-04-30"):
        assert personal not in body
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "wrong",
    [
        {"date_of_birth": "1985-05-01"},
        {"citation_number": "528860388"},
        {"citation_number": "1", "date_of_birth": "1999-01-01"},
    ],
)
def test_a_failed_lookup_is_the_same_404_whatever_was_wrong(resident_api, citation, wrong):
    response = lookup(resident_api, **wrong)

    assert response.status_code == 404
    assert response.json() == {"detail": "No citation matches all of these details."}


def test_a_lookup_missing_a_field_is_400_naming_it(resident_api, db):
    response = resident_api.post(
        LOOKUP, {"kind": "licence", "licence_number": "S1", "date_of_birth": "1985-04-30"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["licence_state"]


@pytest.mark.parametrize(
    "search",
    [
        {"kind": "licence", "licence_number": "S1", "licence_state": "zz"},
        {"kind": "name", "last_name": "Imaginary", "municipality": 2_000_000_000},
        {"kind": "citation", "citation_number": " 528-860-389 "},
    ],
)
def test_every_search_the_schema_allows_is_answered_not_refused(resident_api, citation, search):
    response = resident_api.post(LOOKUP, {**search, "date_of_birth": "1985-04-30"}, format="json")

    assert response.status_code == 404, response.json()


def test_the_schema_documents_each_kind_of_search_with_the_fields_it_needs(resident_api, db):
    schema = resident_api.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]

    licence = schema["LicenceLookupRequest"]
    assert set(licence["required"]) == {"kind", "date_of_birth", "licence_number", "licence_state"}
    assert licence["properties"]["licence_state"]["pattern"] == "^[A-Za-z]{2}$"
    assert {"$ref": "#/components/schemas/NameLookupRequest"} in schema["TicketLookupRequest"]["oneOf"]


def test_lookups_past_the_limit_are_429_with_retry_after(resident_api, citation, settings):
    settings.COURTS_LOOKUP_ATTEMPTS = 3
    answers = [lookup(resident_api, date_of_birth=f"1970-01-0{day}").status_code for day in range(1, 4)]
    refused = lookup(resident_api)

    assert answers == [404, 404, 404]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "528860387" not in refused.content.decode()


def test_citations_are_refused_to_partners_outsiders_and_residents(resident_api, partner_api, outsider_api, citation):
    for client in (resident_api, partner_api, outsider_api):
        response = client.get("/api/v1/courts/citations/")
        assert response.status_code in (401, 403)
        assert "Imaginary" not in response.content.decode()


def test_a_staff_token_with_the_courts_permission_sees_citations(staff_api, citation):
    response = staff_api.get("/api/v1/courts/citations/")

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert (row["citation_number"], row["last_name"], row["court"]) == ("528860387", "Imaginary", citation.court.slug)
    assert {violation["warrant_number"] for violation in row["violations"]} == {None, "WA0361114"}


def test_a_permitted_token_filters_citations_by_court_date_status_and_warrant(staff_api, citation):
    other = CitationFactory(citation_number="100000001", citation_date=date(2015, 1, 5))
    ViolationFactory(citation=other, status="CLOSED")

    def numbers(**query: str) -> set[str]:
        response = staff_api.get("/api/v1/courts/citations/", query)
        assert response.status_code == 200, response.content
        return {row["citation_number"] for row in response.json()["results"]}

    assert numbers(court=citation.court.slug) == {"528860387"}
    assert numbers(warrant="true") == {"528860387"}
    assert numbers(warrant="false") == {"100000001"}
    assert numbers(status="CLOSED") == {"100000001"}
    assert numbers(issued_before="2015-01-05", issued_after="2015-01-05") == {"100000001"}
    refused = staff_api.get("/api/v1/courts/citations/", {"warrant": "maybe", "issued_after": "yesterday"})
    assert refused.status_code == 400 and {"warrant", "issued_after"} <= set(refused.json())


def test_citations_are_counted_once_per_version_of_the_courts_data(staff_api, citation):
    citations = "/api/v1/courts/citations/"
    assert staff_api.get(citations).json()["count"] == 1
    CitationFactory(citation_number="100000001")

    # Until the data has a new version, its pages take the count read for it, in any order.
    with CaptureQueriesContext(connection) as queries:
        again = staff_api.get(citations, {"ordering": "-citation_date"}).json()
    assert again["count"] == 1
    assert not [query for query in queries.captured_queries if "COUNT(" in query["sql"]]
    # Each filter has its own count.
    assert staff_api.get(citations, {"warrant": "false"}).json()["count"] == 1

    # What the ingestion sends once it has written rows.
    data_version_bump("courts")
    assert staff_api.get(citations).json()["count"] == 2


def test_citation_filters_are_no_way_around_the_permission(partner_api, citation):
    assert partner_api.get("/api/v1/courts/citations/", {"warrant": "true"}).status_code == 403


def test_public_answers_never_carry_personal_fields(resident_api, citation):
    for url in ("/api/v1/courts/courts/", "/api/v1/courts/municipalities/", "/api/v1/courts/judges/"):
        body = json.dumps(resident_api.get(url).json())
        for personal in (*DEFENDANT_PERSONAL_VALUES, citation.licence_number):
            assert personal not in body


def test_court_statistics_are_open_with_small_courts_null(resident_api, citation):
    rows = resident_api.get("/api/v1/courts/court-statistics/").json()

    [row] = [row for row in rows if row["court"] == citation.court.slug]
    assert row["citations"] is None and row["fines"] is None and row["warrant_share"] is None
    assert row["court_name"] == citation.court.name
