"""The core's API as partners and residents use it: lists, details, filters, pages, the
upload of a file by a partner, authentication and throttling."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from cities.models import Dataset, Grant, IngestionRun, Partnership
from cities.services import DEMO_DIR

API = "/api/v1"
DEMO_GRANTS = (DEMO_DIR / "grants.csv").read_bytes()
NEW_GRANT = b"mac-2017-bos,macarthur-foundation,boston,50000.00,Matching research,2017-01-01,2017-12-31\n"
# Row 3 of this file (the header is row 1) has an amount that is no number.
BAD_GRANTS = (
    b"reference,funder,city,amount,purpose,starts_on,ends_on\n"
    b"ctdc-2016-boston,living-cities,boston,1.00,Shrunk,2016-10-01,2018-03-31\n"
    b"mac-2017-bos,macarthur-foundation,boston,lots,Matching research,2017-01-01,2017-12-31\n"
)

CORE_CITIES = {"boston", "st-louis", "washington-dc"}
LEARNING_PARTNERS = {"cleveland", "pittsburgh", "san-antonio", "seattle"}


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def slugs(response, key: str = "slug") -> list[str]:
    return [row[key] for row in results(response)]


def grants_csv(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def offer(client: APIClient, dataset: str, upload: SimpleUploadedFile, capture):
    """POST a file as the partner's client does; the ingestion task, enqueued on commit,
    runs (eagerly) when the request's transaction would have committed."""
    with capture(execute=True):
        return client.post(f"{API}/ingestion-runs/", {"dataset": dataset, "file": upload}, format="multipart")


def grant_rows() -> list[tuple]:
    return list(Grant.objects.order_by("reference").values_list("reference", "amount", "city__slug"))


# ---------------------------------------------------------------- reading


def test_anyone_lists_the_cities_with_their_grant_totals(demo_data, resident_api):
    cities = {city["slug"]: city for city in results(resident_api.get(f"{API}/cities/"))}

    assert set(cities) == CORE_CITIES | LEARNING_PARTNERS
    for slug in CORE_CITIES:
        assert (cities[slug]["grant_total"], cities[slug]["grant_count"], cities[slug]["role"]) == (
            "200000.00",
            1,
            "core",
        )
    for slug in LEARNING_PARTNERS:
        assert (cities[slug]["grant_total"], cities[slug]["grant_count"]) == ("10000.00", 1)
    assert sum(Decimal(city["grant_total"]) for city in cities.values()) == Decimal("640000.00")


def test_grants_give_dollar_amounts_and_slugs_a_partner_can_follow(demo_data, partner_api):
    grants = results(partner_api.get(f"{API}/grants/", {"page_size": 500}))

    boston = next(grant for grant in grants if grant["reference"] == "ctdc-2016-boston")
    assert boston["amount"] == "200000.00"
    assert (boston["city"], boston["funder"]) == ("boston", "living-cities")
    assert (boston["starts_on"], boston["ends_on"]) == ("2016-10-01", "2018-03-31")
    assert sum(Decimal(grant["amount"]) for grant in grants) == Decimal("640000.00")
    assert partner_api.get(f"{API}/cities/{boston['city']}/").json()["name"] == "Boston"
    assert partner_api.get(f"{API}/organizations/{boston['funder']}/").json()["kind"] == "funder"
    assert partner_api.get(f"{API}/grants/{boston['reference']}/").json() == boston


def test_details_are_found_by_slug_and_unknown_ones_are_a_json_404(demo_data, resident_api):
    city = resident_api.get(f"{API}/cities/washington-dc/")
    assert city.status_code == 200
    assert city.json()["grant_total"] == "200000.00"

    for address in (f"{API}/cities/atlantis/", f"{API}/grants/no-such-grant/", f"{API}/no-such-list/"):
        missing = resident_api.get(address)
        assert missing.status_code == 404, address
        assert missing["Content-Type"] == "application/json"
        assert "detail" in missing.json()


def test_datasets_show_provenance_schema_and_latest_run(demo_data, resident_api):
    grants = resident_api.get(f"{API}/datasets/grants/").json()

    assert grants["schema"] == "cities.grants"
    assert grants["publisher"] == "living-cities" and grants["city"] is None
    assert grants["source"].startswith("Civic Portal demo data")
    assert grants["licence"] == "CC0 1.0"
    assert grants["contains_personal_data"] is False
    assert {"name": "amount", "kind": "decimal", "required": True, "key": False} in grants["file_columns"]
    assert {"name": "reference", "kind": "text", "required": True, "key": True} in grants["file_columns"]
    assert grants["latest_run"]["status"] == "succeeded"
    assert grants["latest_run"]["rows_created"] == 7

    catalogued = resident_api.get(f"{API}/datasets/dc-transit-stops/").json()
    assert catalogued["city"] == "washington-dc" and catalogued["contains_personal_data"] is False
    assert (catalogued["schema"], catalogued["file_columns"], catalogued["latest_run"]) == ("", None, None)


def test_ingestion_runs_show_counts_but_not_the_stored_file_nor_who_offered_it(demo_data, resident_api):
    runs = results(resident_api.get(f"{API}/ingestion-runs/", {"dataset": "grants"}))

    assert len(runs) == 1
    run = runs[0]
    assert (run["dataset"], run["status"], run["file_name"]) == ("grants", "succeeded", "grants.csv")
    assert (run["rows_read"], run["rows_created"], run["error_count"], run["errors"]) == (7, 7, 0, [])
    assert len(run["file_checksum"]) == 64
    assert run["finished_at"] is not None
    assert not {"file", "requested_by"} & set(run)


# ---------------------------------------------------------------- filters, pages, ordering


@pytest.mark.parametrize(
    ("address", "params", "expected"),
    [
        ("cities", {"role": "core"}, CORE_CITIES),
        ("cities", {"role": "learning", "state": "wa"}, {"seattle"}),
        ("organizations", {"kind": "funder", "search": "macarthur"}, {"macarthur-foundation"}),
        ("datasets", {"city": "st-louis", "contains_personal_data": "true"}, {"stl-citations", "stl-violations"}),
        ("datasets", {"schema": "cities.grants"}, {"grants"}),
        ("datasets", {"publisher": "boston-doit"}, {"boston-neighborhoods", "boston-zip-codes"}),
    ],
)
def test_lists_filter_by_slug_and_choice(demo_data, resident_api, address, params, expected):
    assert set(slugs(resident_api.get(f"{API}/{address}/", params))) == expected


def test_organisations_filter_by_home_city(demo_data, resident_api):
    organisations = results(resident_api.get(f"{API}/organizations/", {"city": "boston"}))

    assert organisations
    assert {organisation["home_city"] for organisation in organisations} == {"boston"}


def test_partnerships_filter_by_city_organisation_and_role(demo_data, resident_api):
    funders = results(resident_api.get(f"{API}/partnerships/", {"city": "boston", "role": "funder"}))
    assert {(row["organization"], row["city"], row["role"]) for row in funders} >= {
        ("living-cities", "boston", "funder")
    }
    assert {row["city"] for row in funders} == {"boston"}

    living_cities = results(resident_api.get(f"{API}/partnerships/", {"organization": "living-cities"}))
    assert {row["city"] for row in living_cities} >= CORE_CITIES


def test_a_partnership_is_found_by_its_city_and_organisation(demo_data, partner_api):
    partnerships = results(partner_api.get(f"{API}/partnerships/", {"city": "boston", "organization": "living-cities"}))
    assert len(partnerships) == 1
    listed = partnerships[0]
    assert "id" not in listed
    assert listed["url"] == "http://testserver/api/v1/partnerships/boston/living-cities/"

    detail = partner_api.get(listed["url"])
    assert detail.status_code == 200
    assert detail.json() == listed
    assert (detail.json()["city"], detail.json()["organization"], detail.json()["role"]) == (
        "boston",
        "living-cities",
        "funder",
    )


def test_a_partnership_by_database_id_or_unknown_slugs_is_a_json_404(demo_data, resident_api):
    database_id = Partnership.objects.get(city__slug="boston", organization__slug="living-cities").pk
    for address in (
        f"{API}/partnerships/{database_id}/",
        f"{API}/partnerships/boston/no-such-organisation/",
        f"{API}/partnerships/atlantis/living-cities/",
        # Both exist, but the organisation is no partner of that city.
        f"{API}/partnerships/seattle/boston-doit/",
    ):
        missing = resident_api.get(address)
        assert missing.status_code == 404, address
        assert missing["Content-Type"] == "application/json"
        assert "detail" in missing.json()


def test_partnerships_no_longer_order_by_database_id(db, resident_api):
    refused = resident_api.get(f"{API}/partnerships/", {"ordering": "id"})

    assert refused.status_code == 400
    assert "ordering" in refused.json()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"city": "boston"}, {"ctdc-2016-boston"}),
        ({"funder": "living-cities", "city_role": "core"}, {f"ctdc-2016-{slug}" for slug in CORE_CITIES}),
        ({"min_amount": "100000"}, {f"ctdc-2016-{slug}" for slug in CORE_CITIES}),
        ({"max_amount": "10000.00"}, {f"ctdc-2016-{slug}" for slug in LEARNING_PARTNERS}),
        ({"starts_after": "2016-10-01", "starts_before": "2016-10-01", "city": "seattle"}, {"ctdc-2016-seattle"}),
        ({"starts_after": "2016-10-02"}, set()),
        ({"funder": "no-such-funder"}, set()),
    ],
)
def test_grants_filter_by_city_funder_role_amount_and_start(demo_data, resident_api, params, expected):
    assert set(slugs(resident_api.get(f"{API}/grants/", params), key="reference")) == expected


def test_ingestion_runs_filter_by_status_and_creation_time(demo_data, resident_api):
    # The core's five files and each city app's rows of the catalogue.
    loaded = IngestionRun.objects.count()
    assert loaded == 8
    assert len(results(resident_api.get(f"{API}/ingestion-runs/", {"status": "succeeded"}))) == loaded
    assert results(resident_api.get(f"{API}/ingestion-runs/", {"status": "failed"})) == []
    assert len(results(resident_api.get(f"{API}/ingestion-runs/", {"created_after": "2000-01-01T00:00:00Z"}))) == loaded
    assert results(resident_api.get(f"{API}/ingestion-runs/", {"created_before": "2000-01-01T00:00:00Z"})) == []


@pytest.mark.parametrize(
    ("address", "parameter", "value"),
    [
        ("cities", "role", "mayor"),
        ("cities", "role", ""),
        ("organizations", "kind", "club"),
        ("partnerships", "role", "sponsor"),
        ("grants", "min_amount", "abc"),
        ("grants", "max_amount", "1e"),
        ("grants", "starts_after", "notadate"),
        ("grants", "starts_before", ""),
        ("grants", "city_role", "capital"),
        ("datasets", "contains_personal_data", "maybe"),
        ("ingestion-runs", "status", "lost"),
        ("ingestion-runs", "created_after", "yesterday"),
        ("grants", "ordering", "funder__name"),
        ("cities", "ordering", "-name,population"),
        ("cities", "page_size", "0"),
        ("cities", "page_size", "501"),
        ("cities", "page_size", "ten"),
        ("cities", "page_size", "9" * 5000),
        ("cities", "page", "first"),
    ],
)
def test_a_malformed_parameter_is_refused_with_400_naming_it(db, partner_api, address, parameter, value):
    response = partner_api.get(f"{API}/{address}/", {parameter: value})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    messages = response.json()[parameter]
    assert messages and all(isinstance(message, str) and message for message in messages)


def test_lists_come_in_pages_of_the_size_asked_for(demo_data, resident_api):
    first = resident_api.get(f"{API}/cities/", {"page_size": 3}).json()
    assert (first["count"], len(first["results"]), first["previous"]) == (7, 3, None)
    assert "page=2" in first["next"] and "page_size=3" in first["next"]

    last = resident_api.get(f"{API}/cities/", {"page_size": 3, "page": 3}).json()
    assert (len(last["results"]), last["next"]) == (1, None)

    seen = [
        city["slug"]
        for page in (1, 2, 3)
        for city in results(resident_api.get(f"{API}/cities/", {"page_size": 3, "page": page}))
    ]
    assert sorted(seen) == sorted(CORE_CITIES | LEARNING_PARTNERS)

    for past_the_end in (4, "9" * 5000):
        response = resident_api.get(f"{API}/cities/", {"page_size": 3, "page": past_the_end})
        assert response.status_code == 404
        assert "detail" in response.json()


def test_default_page_holds_50_rows(demo_data, resident_api):
    datasets = resident_api.get(f"{API}/datasets/").json()

    assert datasets["count"] == Dataset.objects.count()
    assert len(datasets["results"]) == min(50, datasets["count"])


def test_lists_order_by_the_fields_they_offer(demo_data, resident_api):
    by_total = slugs(resident_api.get(f"{API}/cities/", {"ordering": "-grant_total,name"}))
    assert by_total == ["boston", "st-louis", "washington-dc", "cleveland", "pittsburgh", "san-antonio", "seattle"]

    amounts = [grant["amount"] for grant in results(resident_api.get(f"{API}/grants/", {"ordering": "amount"}))]
    assert amounts == ["10000.00"] * 4 + ["200000.00"] * 3

    titles = [dataset["title"] for dataset in results(resident_api.get(f"{API}/datasets/", {"ordering": "-title"}))]
    assert titles == sorted(titles, reverse=True)


# ---------------------------------------------------------------- queries


@pytest.mark.parametrize(
    ("address", "most_queries"),
    [
        # A page and its count, and the current version of the data (the Data-Version header);
        # datasets prefetch their latest run and their current version in two more queries.
        ("cities", 3),
        ("organizations", 3),
        ("partnerships", 3),
        ("grants", 3),
        ("datasets", 5),
        ("ingestion-runs", 2),
    ],
)
def test_lists_take_a_fixed_number_of_queries(
    demo_data, resident_api, django_assert_max_num_queries, address, most_queries
):
    with django_assert_max_num_queries(most_queries):
        response = resident_api.get(f"{API}/{address}/", {"page_size": 500})
    assert len(results(response)) > 1


def test_a_token_adds_one_query_to_find_its_user(demo_data, partner_api, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert len(results(partner_api.get(f"{API}/grants/"))) == 7


# ---------------------------------------------------------------- offering files


def test_partner_offers_a_grants_file_and_its_new_row_is_created(
    demo_data, partner, partner_api, django_capture_on_commit_callbacks
):
    response = offer(
        partner_api,
        "grants",
        grants_csv("grants-2017.csv", DEMO_GRANTS + NEW_GRANT),
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 201, response.content
    offered = response.json()
    assert (offered["dataset"], offered["file_name"]) == ("grants", "grants-2017.csv")
    assert not {"file", "requested_by"} & set(offered)
    run = partner_api.get(f"{API}/ingestion-runs/{offered['id']}/").json()
    assert run["status"] == "succeeded"
    assert (run["rows_read"], run["rows_created"], run["rows_updated"], run["rows_unchanged"]) == (8, 1, 0, 7)
    assert (run["error_count"], run["errors"]) == (0, [])
    assert Grant.objects.get(reference="mac-2017-bos").amount == Decimal("50000.00")
    assert IngestionRun.objects.get(pk=offered["id"]).requested_by == partner
    boston = partner_api.get(f"{API}/cities/boston/").json()
    assert (boston["grant_total"], boston["grant_count"]) == ("250000.00", 2)


@pytest.mark.django_db(transaction=True)
def test_where_tasks_run_eagerly_the_answer_shows_the_finished_run(demo_data, partner_api):
    # Outside a test's transaction, as in the embedded mode, the task runs when the offer
    # commits, before the view answers.
    response = partner_api.post(
        f"{API}/ingestion-runs/",
        {"dataset": "grants", "file": grants_csv("grants-2017.csv", DEMO_GRANTS + NEW_GRANT)},
        format="multipart",
    )

    assert response.status_code == 201
    run = response.json()
    assert (run["status"], run["rows_created"], run["rows_unchanged"]) == ("succeeded", 1, 7)


def test_the_same_file_offered_again_changes_nothing(demo_data, partner_api, django_capture_on_commit_callbacks):
    content = DEMO_GRANTS + NEW_GRANT
    offer(partner_api, "grants", grants_csv("grants-2017.csv", content), django_capture_on_commit_callbacks)
    before = grant_rows()

    again = offer(partner_api, "grants", grants_csv("grants-2017.csv", content), django_capture_on_commit_callbacks)

    assert again.status_code == 201
    run = IngestionRun.objects.get(pk=again.json()["id"])
    assert run.status == IngestionRun.Status.SUCCEEDED
    assert (run.rows_read, run.rows_created, run.rows_updated, run.rows_unchanged) == (8, 0, 0, 8)
    assert grant_rows() == before


def test_a_file_with_a_bad_row_changes_nothing_and_its_run_names_the_row(
    demo_data, partner_api, django_capture_on_commit_callbacks
):
    before = grant_rows()

    response = offer(partner_api, "grants", grants_csv("bad.csv", BAD_GRANTS), django_capture_on_commit_callbacks)

    assert response.status_code == 201
    run = partner_api.get(f"{API}/ingestion-runs/{response.json()['id']}/").json()
    assert run["status"] == "failed"
    assert (run["rows_read"], run["rows_rejected"], run["rows_created"], run["error_count"]) == (2, 1, 0, 1)
    assert run["errors"] == [{"row": 3, "column": "amount", "message": run["errors"][0]["message"]}]
    assert "'lots'" in run["errors"][0]["message"]
    assert grant_rows() == before


def stored_offers(settings) -> tuple[int, int]:
    """The runs recorded and the files kept: what a refused offer must leave as it was."""
    kept_files = sum(1 for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file())
    return IngestionRun.objects.count(), kept_files


def test_anonymous_cannot_offer_a_file(demo_data, resident_api, settings, django_capture_on_commit_callbacks):
    before = stored_offers(settings)

    response = offer(resident_api, "grants", grants_csv("grants.csv", DEMO_GRANTS), django_capture_on_commit_callbacks)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "detail" in response.json()
    assert stored_offers(settings) == before


def test_outsider_token_cannot_offer_a_file(demo_data, outsider_api, settings, django_capture_on_commit_callbacks):
    before = stored_offers(settings)

    response = offer(outsider_api, "grants", grants_csv("grants.csv", DEMO_GRANTS), django_capture_on_commit_callbacks)

    assert response.status_code == 403
    assert "detail" in response.json()
    assert stored_offers(settings) == before


@pytest.mark.parametrize(
    ("form", "field", "says"),
    [
        ({"dataset": "no-such-dataset"}, "dataset", "No dataset has the slug no-such-dataset."),
        ({"dataset": "dc-transit-stops"}, "dataset", "has no ingestion schema"),
        ({"dataset": "grants", "file": None}, "file", "No file was submitted."),
        ({"dataset": "grants", "file": b""}, "file", "empty"),
        ({"file": DEMO_GRANTS}, "dataset", "required"),
    ],
)
def test_a_refused_offer_is_a_400_that_stores_nothing(demo_data, partner_api, settings, form, field, says):
    data = dict(form)
    if "file" not in data:
        data["file"] = DEMO_GRANTS
    if data["file"] is None:
        del data["file"]
    else:
        data["file"] = grants_csv("grants.csv", data["file"])
    before = stored_offers(settings)

    response = partner_api.post(f"{API}/ingestion-runs/", data, format="multipart")

    assert response.status_code == 400
    assert says in " ".join(response.json()[field])
    assert stored_offers(settings) == before


def test_an_offer_must_be_multipart(demo_data, partner_api, settings):
    before = stored_offers(settings)

    response = partner_api.post(f"{API}/ingestion-runs/", {"dataset": "grants"}, format="json")

    assert response.status_code == 415
    assert "detail" in response.json()
    assert stored_offers(settings) == before


# ---------------------------------------------------------------- authentication and throttling


def test_a_token_authenticates_and_a_wrong_one_is_refused(demo_data, partner_api):
    assert partner_api.get(f"{API}/datasets/").status_code == 200

    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    refused = stranger.get(f"{API}/datasets/")
    assert refused.status_code == 401
    assert refused.json() == {"detail": "Invalid token."}


def test_too_many_requests_are_throttled(demo_data, resident_api, partner_api, monkeypatch):
    # DRF's throttles copy the rates from the settings when they are imported, so a test
    # lowers them on the class rather than through the settings.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "3/minute"})

    for client in (resident_api, partner_api):
        statuses = [client.get(f"{API}/cities/").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        throttled = client.get(f"{API}/cities/")
        assert throttled.status_code == 429
        assert int(throttled["Retry-After"]) > 0
        assert "throttled" in throttled.json()["detail"]
