"""The DC housing API as a partner uses it, on the real DC Preservation Catalog and
NeighborhoodInfo DC files: lists and details, every filter family (the dashboard's own
project filters among them), CSV, the expiry timeline, who sees owners and buyers, and the
number of queries each answer takes."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from cities.data_cache import data_version_bump
from cities.models import IngestionRun
from housing.api.serializers import SubsidySerializer
from housing.filters import ProjectFilter
from housing.models import InspectionScore, MarketIndicator, Project, RiskAssessment, Subsidy
from housing.risk import risk_assessment_refresh
from housing.selectors import expiry_timeline_for
from tests.api_clients import token_client

API = "/api/v1/housing"
# The Catalog's export day: the risk levels below are those the rules give on it.
CATALOG_DAY = date(2016, 4, 1)


@pytest.fixture
def dc_data(dc_data) -> None:
    """Assessed on the Catalog's own day, so the levels do not drift with the calendar."""
    risk_assessment_refresh(as_of=CATALOG_DAY)


@pytest.fixture
def housing_partner_api(db, django_user_model) -> APIClient:
    """A partner whose token may see who owns a parcel and who bought a property."""
    user = django_user_model.objects.create_user(username="housing-partner", password="a-partner-password-2")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="housing", codename__in=["view_parcel", "view_realpropertyevent"]
        )
    )
    return token_client(user)


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def every_row(client: APIClient, address: str, params: dict | None = None) -> list[dict]:
    rows, page = [], 1
    while True:
        body = client.get(f"{API}/{address}/", {**(params or {}), "page_size": 500, "page": page}).json()
        rows += body["results"]
        if body["next"] is None:
            return rows
        page += 1


def nlihc_ids(client: APIClient, address: str, params: dict | None = None, key: str = "nlihc_id") -> set[str]:
    return {row[key] for row in every_row(client, address, params)}


def csv_rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def as_cell(value: object) -> str:
    """A JSON value as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def a_project_with_everything() -> Project:
    """A project with subsidies, inspections, parcels, property events and risk flags."""
    return (
        Project.objects.filter(
            subsidies__isnull=False,
            inspection_scores__isnull=False,
            parcels__isnull=False,
            property_events__isnull=False,
        )
        .exclude(risk_assessment__flags=[])
        .distinct()
        .order_by("nlihc_id")
        .first()
    )


# ---------------------------------------------------------------- projects


def test_projects_show_location_units_owner_type_and_current_risk(dc_data, resident_api):
    projects = every_row(resident_api, "projects")

    assert len(projects) == Project.objects.count() == 362
    assert [row["nlihc_id"] for row in projects] == sorted(row["nlihc_id"] for row in projects)
    by_id = {row["nlihc_id"]: row for row in projects}
    for assessment in RiskAssessment.objects.select_related("project"):
        row = by_id[assessment.project.nlihc_id]
        assert row["risk_level"] == assessment.level
        assert row["affordability_ends_on"] == (
            assessment.affordability_ends_on.isoformat() if assessment.affordability_ends_on else None
        )
        assert row["assisted_units_at_risk"] == assessment.assisted_units_at_risk
    project = Project.objects.get(nlihc_id="NL000001")
    row = by_id["NL000001"]
    assert (row["ward"], row["cluster_code"], row["units_total"], row["owner_type"]) == (
        project.ward,
        project.cluster_code,
        project.units_total,
        project.owner_type,
    )
    assert (row["latitude"], row["longitude"]) == (project.latitude, project.longitude)
    # The HUD owner and manager may be people: the API gives the owner's type only.
    assert not {"owner_name", "manager_name", "manager_type"} & set(row)


def test_a_project_detail_has_its_subsidies_inspections_and_flags_with_evidence(dc_data, partner_api):
    project = a_project_with_everything()

    detail = partner_api.get(f"{API}/projects/{project.nlihc_id}/").json()

    assert detail["name"] == project.name
    assert [subsidy["subsidy_id"] for subsidy in detail["subsidies"]] == sorted(
        project.subsidies.values_list("subsidy_id", flat=True)
    )
    assert {subsidy["program"] for subsidy in detail["subsidies"]} == set(
        project.subsidies.values_list("program", flat=True)
    )
    dates = [inspection["inspected_on"] for inspection in detail["inspections"]]
    assert dates == sorted(dates, reverse=True)
    assert len(dates) == project.inspection_scores.count()
    assessment = project.risk_assessment
    risk = detail["risk_assessment"]
    assert (risk["level"], risk["checked_as_of"], risk["previous_level"]) == (assessment.level, "2016-04-01", None)
    assert risk["as_of"] == assessment.as_of.isoformat()
    assert risk["flags"] == assessment.flags
    assert all(flag["rule"] and flag["evidence"]["record"] for flag in risk["flags"])
    # The detail is the list's row, and more.
    listed = results(partner_api.get(f"{API}/projects/", {"ward": project.ward, "page_size": 500}))
    assert next(row for row in listed if row["nlihc_id"] == project.nlihc_id).items() < detail.items()


def test_projects_and_a_project_say_which_load_of_the_catalog_they_come_from(dc_data, resident_api):
    projects_run = IngestionRun.objects.filter(dataset__schema="housing.projects").latest("finished_at")
    expected = f"{projects_run.dataset.slug}={projects_run.pk}"

    assert resident_api.get(f"{API}/projects/")["Data-Version"] == expected
    assert resident_api.get(f"{API}/projects/NL000001/")["Data-Version"] == expected
    assert resident_api.get(f"{API}/subsidies/")["Data-Version"].startswith("dc-preservation-catalog-subsidies=")


def test_an_unknown_project_is_a_json_404_and_other_addresses_reach_the_core(db, resident_api):
    missing = resident_api.get(f"{API}/projects/NL999999/")
    assert missing.status_code == 404
    assert "detail" in missing.json()

    nowhere = resident_api.get(f"{API}/no-such-list/")
    assert nowhere.status_code == 404
    assert nowhere.json() == {"detail": "There is no API endpoint at this address."}
    # The housing routes come first, and leave the core's to it.
    assert resident_api.get("/api/v1/cities/").status_code == 200
    assert set(resident_api.get(f"{API}/").json()) == {
        "projects",
        "owners",
        "subsidies",
        "inspections",
        "risk-assessments",
        "market-indicators",
        "expiry-timeline",
    }


def test_owners_and_buyers_are_hidden_from_anonymous_and_unpermitted_tokens(
    dc_data, resident_api, partner_api, outsider_api
):
    project = a_project_with_everything()

    for client in (resident_api, partner_api, outsider_api):
        detail = client.get(f"{API}/projects/{project.nlihc_id}/").json()
        assert detail["parcels"] and detail["property_events"]
        assert {tuple(parcel) for parcel in detail["parcels"]} == {("ssl", "owner_type_code")}
        assert {tuple(event) for event in detail["property_events"]} == {("event_date", "event_type")}
        body = str(detail)
        assert not any(parcel.owner_name in body for parcel in project.parcels.exclude(owner_name=""))
        assert not any(event.description in body for event in project.property_events.all())


def test_a_token_with_the_permissions_sees_owners_and_buyers(dc_data, housing_partner_api):
    project = a_project_with_everything()

    detail = housing_partner_api.get(f"{API}/projects/{project.nlihc_id}/").json()

    assert [(parcel["ssl"], parcel["owner_name"]) for parcel in detail["parcels"]] == list(
        project.parcels.order_by("ssl").values_list("ssl", "owner_name")
    )
    assert {event["description"] for event in detail["property_events"]} == set(
        project.property_events.values_list("description", flat=True)
    )
    assert all(event["ssl"] for event in detail["property_events"])


def test_projects_filter_exactly_as_the_dashboard(dc_data, resident_api):
    for params in (
        {"ward": "Ward 8"},
        {"cluster": "Cluster 39"},
        {"program": "HOME"},
        {"owner_type": "Non-profit"},
        {"risk_level": "high"},
        {"expires_within_years": "20"},
        {"ward": "Ward 8", "program": "Low income housing tax credit", "risk_level": "medium"},
    ):
        dashboard = set(ProjectFilter(params, queryset=Project.objects.all()).qs.values_list("nlihc_id", flat=True))
        assert nlihc_ids(resident_api, "projects", params) == dashboard, params
        assert 0 < len(dashboard) < 362, params

    # Choices come from the data: a cluster the Catalog does not hold is refused.
    unknown = resident_api.get(f"{API}/projects/", {"cluster": "Cluster 99"})
    assert unknown.status_code == 400
    assert list(unknown.json()) == ["cluster"]


def test_projects_order_by_the_fields_they_offer(dc_data, resident_api):
    # PostgreSQL puts unknown values (null) last in ascending order, first in descending order.
    by_units = [row["units_total"] for row in every_row(resident_api, "projects", {"ordering": "-units_total,name"})]
    known = [units for units in by_units if units is not None]
    assert by_units == [None] * (len(by_units) - len(known)) + known
    assert known == sorted(known, reverse=True)

    by_end = [
        row["affordability_ends_on"]
        for row in every_row(resident_api, "projects", {"ordering": "affordability_ends_on"})
    ]
    ends = [end for end in by_end if end is not None]
    assert by_end == ends + [None] * (len(by_end) - len(ends))
    assert (
        ends == sorted(ends)
        and ends[0]
        == min(
            RiskAssessment.objects.exclude(affordability_ends_on=None).values_list("affordability_ends_on", flat=True)
        ).isoformat()
    )


# ---------------------------------------------------------------- the other lists


def test_subsidies_filter_by_project_programme_portfolio_activity_and_end(dc_data, partner_api):
    subsidies = every_row(partner_api, "subsidies")
    assert len(subsidies) == Subsidy.objects.count()

    def keys(params: dict) -> set[tuple[str, int]]:
        return {(row["project"], row["subsidy_id"]) for row in every_row(partner_api, "subsidies", params)}

    def expected(queryset) -> set[tuple[str, int]]:
        return set(queryset.values_list("project__nlihc_id", "subsidy_id"))

    assert keys({"project": "NL000001"}) == expected(Subsidy.objects.filter(project__nlihc_id="NL000001"))
    assert keys({"program": "public HOUSING"}) == expected(Subsidy.objects.filter(program="Public housing"))
    assert keys({"portfolio": "LIHTC", "active": "true"}) == expected(
        Subsidy.objects.filter(portfolio="LIHTC", active=True)
    )
    assert keys({"active": "false"}) == expected(Subsidy.objects.filter(active=False))
    ending = keys({"ends_after": "2017-01-01", "ends_before": "2020-12-31"})
    assert ending == expected(Subsidy.objects.filter(poa_end__range=(date(2017, 1, 1), date(2020, 12, 31))))
    assert ending
    unknown = partner_api.get(f"{API}/subsidies/", {"program": "Free money"})
    assert unknown.status_code == 400
    assert unknown.json()["program"] == ["'Free money' is not a known programme of the Catalog."]


def test_inspections_filter_by_project_letter_score_and_date(dc_data, resident_api):
    def keys(params: dict) -> set[tuple[str, str]]:
        return {(row["project"], row["inspected_on"]) for row in every_row(resident_api, "inspections", params)}

    def expected(queryset) -> set[tuple[str, str]]:
        return {
            (nlihc_id, day.isoformat()) for nlihc_id, day in queryset.values_list("project__nlihc_id", "inspected_on")
        }

    assert len(keys({})) == InspectionScore.objects.count()
    failing = keys({"max_score": "79", "letter": "c"})
    assert failing == expected(InspectionScore.objects.filter(score__lte=79, letter="c")) != set()
    recent = keys({"min_score": "90", "inspected_after": "2014-01-01", "inspected_before": "2014-12-31"})
    assert recent == expected(InspectionScore.objects.filter(score__gte=90, inspected_on__year=2014)) != set()


def test_risk_assessments_show_levels_flags_and_changes_and_take_the_project_filters(dc_data, resident_api):
    assessments = every_row(resident_api, "risk-assessments")
    assert len(assessments) == 362
    levels = [row["level"] for row in assessments]
    assert {level: levels.count(level) for level in ("high", "medium", "low")} == {"high": 26, "medium": 65, "low": 271}
    flagged = next(row for row in assessments if row["flags"])
    assert set(flagged["flags"][0]) == {"code", "label", "rule", "severity", "evidence"}
    assert set(flagged["flags"][0]["evidence"]) == {"record", "source", "source_date"}
    # Checked as of the last refresh's day; each holds since the refresh that last changed it.
    assert {row["checked_as_of"] for row in assessments} == {"2016-04-01"}
    assert {row["as_of"] for row in assessments} == {
        assessment.as_of.isoformat() for assessment in RiskAssessment.objects.all()
    }
    assert all(row["level_changed_at"] for row in assessments)

    high_in_ward_8 = {"risk_level": "high", "ward": "Ward 8"}
    dashboard = set(ProjectFilter(high_in_ward_8, queryset=Project.objects.all()).qs.values_list("nlihc_id", flat=True))
    assert nlihc_ids(resident_api, "risk-assessments", high_in_ward_8, key="project") == dashboard != set()

    # A level that changes says what it was before. A project's end is its last active
    # subsidy's: ending them all within the year makes a low-risk project high.
    low = RiskAssessment.objects.filter(level="low", project__subsidies__active=True).select_related("project").first()
    Subsidy.objects.filter(project=low.project, active=True).update(
        poa_start=date(2000, 1, 1), poa_end=date(2016, 9, 30)
    )
    risk_assessment_refresh(as_of=CATALOG_DAY)
    [row] = [
        row
        for row in every_row(resident_api, "risk-assessments", {"risk_level": "high"})
        if row["project"] == low.project.nlihc_id
    ]
    assert (row["previous_level"], row["level"]) == ("low", "high")
    assert row["flags"][0]["code"] == "expiry_imminent"


def test_market_indicators_keep_suppressed_figures_as_marks_without_values(dc_data, resident_api):
    suppressed = every_row(resident_api, "market-indicators", {"suppressed": "true", "geography_type": "tract"})
    assert len(suppressed) == MarketIndicator.objects.filter(geography_type="tract").exclude(suppression="").count()
    assert {row["suppression"] for row in suppressed} == {"s", "i"}
    assert {row["value"] for row in suppressed} == {None}

    prices = every_row(
        resident_api,
        "market-indicators",
        {"geography_code": "cluster 7", "indicator": "r_mprice_sf", "min_year": "2010", "max_year": "2014"},
    )
    stored = MarketIndicator.objects.filter(
        geography_code="Cluster 7", indicator="r_mprice_sf", year__range=(2010, 2014)
    ).order_by("year")
    assert [(row["year"], row["value"], row["suppression"]) for row in prices] == [
        (indicator.year, str(indicator.value), "") for indicator in stored
    ]
    assert len(prices) == 5

    published = results(resident_api.get(f"{API}/market-indicators/", {"suppressed": "false", "page_size": 500}))
    assert all(row["value"] is not None and row["suppression"] == "" for row in published)


# ---------------------------------------------------------------- the expiry timeline


def test_the_expiry_timeline_equals_the_selector_and_follows_the_dashboard_filters(dc_data, partner_api):
    def as_rows(timeline) -> list[dict[str, int]]:
        return [vars(year) for year in timeline]

    today = timezone.localdate()
    default = partner_api.get(f"{API}/expiry-timeline/").json()
    assert default == as_rows(expiry_timeline_for(Project.objects.all(), as_of=today))
    assert [row["year"] for row in default] == list(range(today.year, today.year + 10))

    window = {"as_of": "2016-04-01", "years": "15"}
    whole_city = partner_api.get(f"{API}/expiry-timeline/", window).json()
    assert whole_city == as_rows(expiry_timeline_for(Project.objects.all(), as_of=CATALOG_DAY, years=15))
    for filters in (
        {"ward": "Ward 8"},
        {"program": "Sec 8 loan management set-aside", "owner_type": "Profit motivated"},
    ):
        filtered = partner_api.get(f"{API}/expiry-timeline/", {**window, **filters}).json()
        projects = ProjectFilter(filters, queryset=Project.objects.all()).qs
        assert filtered == as_rows(expiry_timeline_for(projects, as_of=CATALOG_DAY, years=15)), filters
        assert 0 < sum(row["projects"] for row in filtered) < sum(row["projects"] for row in whole_city)


def test_the_expiry_timeline_stops_with_the_calendar(db, resident_api):
    timeline = resident_api.get(f"{API}/expiry-timeline/", {"as_of": "9995-06-01", "years": "30"}).json()

    assert [row["year"] for row in timeline] == [9995, 9996, 9997, 9998, 9999]


# ---------------------------------------------------------------- CSV


def test_every_list_is_also_csv_with_the_json_rows(dc_data, resident_api):
    for address, params in (
        ("projects", {"ward": "Ward 7"}),
        ("subsidies", {"project": "NL000001"}),
        ("inspections", {"max_score": "60"}),
        ("market-indicators", {"indicator": "sales_sf", "geography_type": "cluster", "min_year": "2014"}),
    ):
        as_json = every_row(resident_api, address, params)
        as_csv = csv_rows(resident_api.get(f"{API}/{address}/", {**params, "format": "csv"}))
        assert as_csv == [{key: as_cell(value) for key, value in row.items()} for row in as_json], address
        assert as_csv, address

    # Flags, a list of objects, become their codes.
    assessments = every_row(resident_api, "risk-assessments", {"risk_level": "high"})
    flags = [
        row["flags"]
        for row in csv_rows(resident_api.get(f"{API}/risk-assessments/", {"risk_level": "high", "format": "csv"}))
    ]
    assert flags == ["; ".join(flag["code"] for flag in row["flags"]) for row in assessments]
    assert all(flags)

    # The Accept header chooses CSV too, which answers every row, whatever the page asked for,
    # with no links to pages; an empty list keeps its header.
    download = resident_api.get(f"{API}/projects/", {"page_size": 100, "page": 2}, HTTP_ACCEPT="text/csv")
    assert "Link" not in download
    assert download["Content-Disposition"] == 'attachment; filename="projects.csv"'
    downloaded = [row["nlihc_id"] for row in csv_rows(download)]
    assert downloaded == [row["nlihc_id"] for row in every_row(resident_api, "projects")]
    assert len(downloaded) == Project.objects.count() > 100
    empty = resident_api.get(f"{API}/subsidies/", {"project": "NL999999", "format": "csv"})
    assert b"".join(empty.streaming_content).decode().splitlines() == [",".join(SubsidySerializer().fields)]
    assert csv_rows(empty) == []

    timeline = csv_rows(resident_api.get(f"{API}/expiry-timeline/", {"as_of": "2016-04-01", "format": "csv"}))
    assert timeline == [
        {key: str(value) for key, value in vars(year).items()}
        for year in expiry_timeline_for(Project.objects.all(), as_of=CATALOG_DAY)
    ]


def test_errors_stay_json_when_csv_is_asked_for(db, resident_api):
    refused = resident_api.get(f"{API}/projects/", {"ward": "Ward 9", "format": "csv"})

    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/json"
    assert list(refused.json()) == ["ward"]


# ---------------------------------------------------------------- refused parameters


@pytest.mark.parametrize(
    ("address", "parameter", "value"),
    [
        ("projects", "ward", "Ward 9"),
        ("projects", "ward", ""),
        ("projects", "cluster", "Cluster 7"),  # no DC data loaded: no cluster is known
        ("projects", "program", ""),
        ("projects", "risk_level", "extreme"),
        ("projects", "expires_within_years", "soon"),
        ("projects", "expires_within_years", "51"),
        ("projects", "ordering", "owner_name"),
        ("projects", "format", "xml"),
        ("projects", "format", ""),
        ("projects/NL000001", "format", "csv"),
        ("subsidies", "active", "maybe"),
        ("subsidies", "ends_after", "soon"),
        ("subsidies", "ends_before", ""),
        ("inspections", "letter", "d"),
        ("inspections", "min_score", "79.5"),
        ("risk-assessments", "risk_level", "none"),
        ("risk-assessments", "ordering", "level"),
        ("market-indicators", "geography_type", "county"),
        ("market-indicators", "min_year", "2010.5"),
        ("market-indicators", "suppressed", "s"),
        ("expiry-timeline", "years", "0"),
        ("expiry-timeline", "years", "31"),
        ("expiry-timeline", "years", "ten"),
        ("expiry-timeline", "as_of", "today"),
        ("expiry-timeline", "ward", "Ward 0"),
    ],
)
def test_a_malformed_or_unknown_value_is_refused_with_400_naming_it(db, partner_api, address, parameter, value):
    response = partner_api.get(f"{API}/{address}/", {parameter: value})

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    messages = response.json()[parameter]
    assert messages and all(isinstance(message, str) and message for message in messages)


# ---------------------------------------------------------------- queries


def test_every_list_counts_its_rows_once_per_version_of_the_housing_data(dc_data, resident_api):
    def count(address: str, **params: str) -> int:
        response = resident_api.get(f"{API}/{address}/", {"page_size": 1, **params})
        assert response.status_code == 200, response.content
        return response.json()["count"]

    lists = ("projects", "subsidies", "inspections", "risk-assessments", "market-indicators")
    counted = {address: count(address) for address in lists}
    with CaptureQueriesContext(connection) as queries:
        # The next page of each, as a partner reads on.
        assert {address: count(address, page="2") for address in lists} == counted
    assert not [query for query in queries.captured_queries if "COUNT(" in query["sql"]]
    assert count("projects", ward="Ward 8") == Project.objects.filter(ward="Ward 8").count() < counted["projects"]

    # A project the ingestion adds is counted once the new version of the data is started.
    copy = a_project_with_everything()
    copy.pk, copy.nlihc_id = None, "NL999999"
    copy.save()
    data_version_bump("housing")
    assert count("projects") == counted["projects"] + 1


def test_a_page_is_ordered_once_per_version_of_the_housing_data_and_its_rows_read_fresh(dc_data, resident_api):
    def page(**params: str) -> list[dict]:
        response = resident_api.get(
            f"{API}/projects/", {"ordering": "-affordability_ends_on", "page_size": 5, "page": 2, **params}
        )
        assert response.status_code == 200, response.content
        return response.json()["results"]

    def second_page_ordered_now() -> list[str]:
        return list(
            Project.objects.order_by(F("risk_assessment__affordability_ends_on").desc(), "pk").values_list(
                "nlihc_id", flat=True
            )[5:10]
        )

    first = page()
    expected = second_page_ordered_now()
    assert [row["nlihc_id"] for row in first] == expected
    with CaptureQueriesContext(connection) as queries:
        assert page() == first
    # The page's projects by their keys: no ordering of every project again.
    assert not [
        query
        for query in queries.captured_queries
        if "ORDER BY" in query["sql"] and '"housing_project"' in query["sql"]
    ]

    # A row is read as it is now, in the page it was on.
    renamed = Project.objects.get(nlihc_id=expected[0])
    Project.objects.filter(pk=renamed.pk).update(name="Renamed Court")
    assert page()[0]["name"] == "Renamed Court"

    # A new version of the data orders them again.
    RiskAssessment.objects.filter(project__nlihc_id=expected[1]).update(affordability_ends_on=date(1900, 1, 1))
    assert [row["nlihc_id"] for row in page()] == expected
    data_version_bump("housing")
    assert [row["nlihc_id"] for row in page()] == second_page_ordered_now() != expected


def test_every_answer_takes_a_fixed_number_of_queries(
    dc_data, resident_api, housing_partner_api, django_assert_max_num_queries
):
    project = a_project_with_everything()
    for address, params, most_queries in (
        # A page and its count; a choice drawn from the data costs a query to check, until cached;
        # an ingested dataset's current version (the Data-Version header) one more.
        ("projects", {}, 3),
        ("projects", {"cluster": "Cluster 39", "program": "HOME", "ward": "Ward 8"}, 5),
        ("subsidies", {}, 3),
        ("inspections", {}, 3),
        # A page, its count and the city's last refresh (when every assessment was checked).
        ("risk-assessments", {}, 3),
        ("risk-assessments", {"owner_type": "Non-profit"}, 4),
        ("market-indicators", {}, 3),
        ("projects", {"format": "csv"}, 3),
        # One GROUP BY, whatever the window.
        ("expiry-timeline", {"years": "30"}, 1),
        # The project and its risk, then subsidies, inspections, parcels and events, the city's
        # last refresh and the version.
        (f"projects/{project.nlihc_id}", {}, 7),
    ):
        with django_assert_max_num_queries(most_queries):
            # The timeline has no pages, and refuses `page_size` like any parameter it does not take.
            pages = {} if address == "expiry-timeline" else {"page_size": 500}
            response = resident_api.get(f"{API}/{address}/", {**params, **pages})
            # A download reads its rows as it is sent.
            content = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, (address, content)

    # A token: one query finds its user, two read its permissions, for every row at once.
    with django_assert_max_num_queries(10):
        assert housing_partner_api.get(f"{API}/projects/{project.nlihc_id}/").status_code == 200
