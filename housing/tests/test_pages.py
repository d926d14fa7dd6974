"""The public DC housing pages, read through Django's test client as a resident reads them:
the dashboard, its CSV, its map's points and boundary files, and a project's page."""

from __future__ import annotations

import csv
import gzip
import html
import io
import itertools
import json
import re
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import numpy as np
import pytest
from django.core.cache import cache
from django.db.models import Sum
from django.http import HttpResponse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from cities.data_cache import data_version_bump
from cities.ingestion import ingest_path
from cities.models import Dataset, IngestionRun
from cities.tests.test_pages import section, seen, text_of
from housing.filters import ProjectFilter
from housing.map_grid import MAX_CELLS_ACROSS
from housing.models import MarketIndicator, Parcel, Project, RealPropertyEvent, RiskAssessment, RiskRefresh, Subsidy
from housing.selectors import expiry_timeline_for
from housing.tests.test_ingest import edited, real_file

pytestmark = pytest.mark.django_db

DASHBOARD = "/cities/washington-dc/housing/"
CSV = DASHBOARD + "expiry-timeline.csv"
MAP_POINTS = DASHBOARD + "map-points.json"
# The map's view of the whole city, as its first request asks for it.
WHOLE_CITY = {"bbox": "-77.2,38.75,-76.85,39.05", "zoom": "11"}


@pytest.fixture
def dc_data(dc_files_load) -> None:
    """Every DC file, the profiles too (project pages show them), with the refresh their
    ingestion sends."""
    dc_files_load(with_profiles=True)


def figures(response: HttpResponse) -> dict[str, str]:
    html = response.content.decode()
    return {
        name: text_of(match.group(1))
        for name, match in (
            (name, re.search(rf'<dd id="figure-{name}">(.*?)</dd>', html, re.DOTALL))
            for name in ("projects", "assisted-units", "ending-soon")
        )
        if match
    }


def table_rows(response: HttpResponse, table_id: str) -> list[list[str]]:
    """The text of each cell of a table's body, row by row."""
    html = response.content.decode()
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.DOTALL)
    assert table, f"the page has no table #{table_id}"
    body = re.search(r"<tbody>(.*?)</tbody>", table.group(0), re.DOTALL)
    assert body
    return [
        [text_of(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1), re.DOTALL)
    ]


def table_head(response: HttpResponse, table_id: str) -> list[str]:
    html = response.content.decode()
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.DOTALL)
    assert table
    head = re.search(r"<thead>(.*?)</thead>", table.group(0), re.DOTALL)
    assert head
    return [text_of(cell) for cell in re.findall(r"<th[^>]*>(.*?)</th>", head.group(1), re.DOTALL)]


def map_points_address(response: HttpResponse) -> str:
    """The address the page's map reads its points from."""
    attribute = re.search(r'data-points-url="([^"]*)"', response.content.decode())
    assert attribute, "the page names no address for its map's points"
    return html.unescape(attribute.group(1))


def points_of(answer: HttpResponse) -> list[dict]:
    """The projects of an answer of the endpoint, each as an object of its columns."""
    assert answer.status_code == 200, answer.content
    assert answer["Content-Type"] == "application/json"
    data = answer.json()
    assert data["kind"] == "projects"
    return [dict(zip(data["columns"], row, strict=True)) for row in data["rows"]]


def with_view(address: str, view: dict[str, str] = WHOLE_CITY) -> str:
    """The page's map address with the view the map adds to it."""
    return address + ("&" if "?" in address else "?") + urlencode(view)


def map_points(client, response: HttpResponse) -> list[dict]:
    """The projects the page's map draws of the whole city, read from the address the page names."""
    return points_of(client.get(with_view(map_points_address(response))))


def cluster_of(row: list[str]) -> str:
    """'Cluster 7' of a row headed 'Cluster 7 Shaw, Logan Circle'."""
    return " ".join(row[0].split()[:2])


def number(text: str) -> int:
    return int(text.replace(",", ""))


# ---------------------------------------------------------------- the way in


def test_washington_city_page_links_the_housing_dashboard(client, dc_data) -> None:
    response = client.get("/cities/washington-dc/")

    assertContains(response, f'<a href="{DASHBOARD}">Washington DC affordable housing</a>', html=True)


def test_dashboard_says_what_it_shows_and_loads_nothing_from_another_site(client, dc_data) -> None:
    response = client.get(DASHBOARD)

    assert response.status_code == 200
    assertTemplateUsed(response, "housing/dashboard.html")
    text = seen(response)
    assert "Affordable housing at risk" in text
    assert "Every subsidised rental property in the DC Preservation Catalog" in text
    html = response.content.decode()
    loaded = re.findall(r'<(?:script|img|iframe)[^>]*\bsrc="([^"]+)"', html)
    loaded += re.findall(r'<link[^>]*\bhref="([^"]+)"', html)
    assert "/static/vendor/leaflet/leaflet.js" in loaded
    assert "/static/vendor/leaflet/leaflet.css" in loaded
    assert "/static/vendor/chart.js/chart.umd.min.js" in loaded
    assert "/static/js/housing-map.js" in loaded
    # The portal's own files and its JavaScript translation catalogue, nothing from elsewhere.
    assert all(address.startswith("/static/") or address == "/jsi18n/" for address in loaded), loaded


# ---------------------------------------------------------------- figures and filters


def test_headline_figures_count_every_project_and_its_assisted_homes(client, dc_data) -> None:
    response = client.get(DASHBOARD)

    units = RiskAssessment.objects.aggregate(total=Sum("assisted_units_at_risk"))["total"]
    shown = figures(response)
    assert number(shown["projects"]) == Project.objects.count() == 362
    assert number(shown["assisted-units"]) == units
    assert "All projects in the Catalog" in section(response, "figures")


def test_homes_ending_within_five_years_are_those_the_five_year_filter_shows(client, dc_data) -> None:
    everything = figures(client.get(DASHBOARD))
    within_five_years = figures(client.get(DASHBOARD, {"expires_within_years": "5"}))

    ending = ProjectFilter({"expires_within_years": 5}, queryset=Project.objects.all()).qs
    expected = ending.aggregate(total=Sum("risk_assessment__assisted_units_at_risk"))["total"]
    assert expected > 0
    assert number(everything["ending-soon"].split()[0]) == expected
    assert f"in {ending.count()} projects" in everything["ending-soon"]
    assert number(within_five_years["assisted-units"]) == expected
    assert number(within_five_years["projects"]) == ending.count()


def test_filtering_by_a_ward_changes_the_figures_the_table_and_the_map(client, dc_data) -> None:
    response = client.get(DASHBOARD, {"ward": "Ward 1"})

    ward_projects = Project.objects.filter(ward="Ward 1")
    assert number(figures(response)["projects"]) == ward_projects.count() == 74
    assert "Projects matching: Ward 1" in seen(response)
    rows = table_rows(response, "projects-table")
    assert len(rows) == 25
    assert all(row[1] == "Ward 1" for row in rows)
    assert {point["id"] for point in map_points(client, response)} == set(
        ward_projects.values_list("nlihc_id", flat=True)
    )
    assertContains(response, '<option value="Ward 1" selected>Ward 1</option>', html=True)


def test_filters_combine_and_are_described_in_words(client, dc_data) -> None:
    response = client.get(DASHBOARD, {"ward": "Ward 8", "risk_level": "medium", "owner_type": "Profit motivated"})

    expected = Project.objects.filter(
        ward="Ward 8", risk_assessment__level="medium", owner_type="Profit motivated"
    ).count()
    assert number(figures(response)["projects"]) == expected
    assert "Projects matching: Ward 8 · Owner type: Profit motivated · Risk level: Medium" in seen(response)


def test_filter_form_is_a_labelled_get_form_of_plain_choices(client, dc_data) -> None:
    response = client.get(DASHBOARD)

    assertContains(response, f'<form class="filter housing-filter" method="get" action="{DASHBOARD}"')
    for field, label in (
        ("ward", "Ward"),
        ("cluster", "Neighbourhood cluster"),
        ("program", "Programme"),
        ("owner_type", "Owner type"),
        ("risk_level", "Risk level"),
        ("expires_within_years", "Affordability ends within (years)"),
    ):
        assertContains(response, f'<label for="id_{field}">{label}</label>', html=True)
    assertContains(response, '<option value="" selected>Any ward</option>', html=True)
    assertContains(response, '<option value="Cluster 7">Cluster 7: Shaw, Logan Circle</option>', html=True)
    assertNotContains(response, "---------")
    clusters = re.findall(r'<option value="(Cluster \d+)"', response.content.decode())
    assert clusters == sorted(clusters, key=lambda code: int(code.split()[1])), "clusters in numeric order"


def test_no_matching_project_says_so(client, dc_data) -> None:
    response = client.get(DASHBOARD, {"ward": "Ward 3", "risk_level": "high"})

    assert response.status_code == 200
    assert "No project matches these filters." in section(response, "projects")
    assert number(figures(response)["projects"]) == 0


# ---------------------------------------------------------------- invalid filters


INVALID_FILTERS = [
    ({"ward": "Ward 9"}, "Ward: Select a valid choice. Ward 9 is not one of the available choices."),
    ({"cluster": "Cluster 99"}, "Neighbourhood cluster: Select a valid choice."),
    ({"risk_level": "extreme"}, "Risk level: Select a valid choice."),
    ({"program": "Sec 9"}, "Programme: Select a valid choice."),
    ({"expires_within_years": "soon"}, "Affordability ends within (years): Enter a number."),
    ({"expires_within_years": "-1"}, "Ensure this value is greater than or equal to 0."),
    ({"wrd": "Ward 1"}, "The dashboard has no filter called wrd."),
]


def test_an_unknown_filter_value_answers_400_with_the_form_and_the_error(client, dc_data) -> None:
    for query, message in INVALID_FILTERS:
        response = client.get(DASHBOARD, query)

        assert response.status_code == 400, query
        summary = re.search(r'<div class="error-summary".*?</div>', response.content.decode(), re.DOTALL)
        assert summary, query
        assert "These filters cannot be used" in text_of(summary.group(0))
        assert message in text_of(summary.group(0))
        assertContains(response, 'aria-label="Filter the projects"', status_code=400)
        assertContains(response, "Clear all filters", status_code=400)
        assertNotContains(response, 'id="figures"', status_code=400)


def test_an_invalid_field_is_marked_and_described_for_assistive_technology(client, dc_data) -> None:
    response = client.get(DASHBOARD, {"ward": "Ward 9"})

    assertContains(response, 'aria-invalid="true"', count=1, status_code=400)
    assertContains(response, 'aria-describedby="id_ward_error"', status_code=400)
    assertContains(response, '<p class="field-error" id="id_ward_error">', status_code=400)


# ---------------------------------------------------------------- the expiry timeline


def test_expiry_timeline_counts_ten_years_from_today(client, dc_data) -> None:
    response = client.get(DASHBOARD, {"ward": "Ward 8"})

    today = timezone.localdate()
    expected = expiry_timeline_for(Project.objects.filter(ward="Ward 8"), as_of=today, years=10)
    rows = table_rows(response, "expiry-timeline")
    assert [row[0] for row in rows] == [str(today.year + offset) for offset in range(10)]
    assert [[number(cell) for cell in row] for row in rows] == [
        [year.year, year.projects, year.assisted_units, year.projects_without_units] for year in expected
    ]
    assertContains(response, 'data-chart-for="expiry-timeline"')
    assertContains(response, f'data-value="{expected[-1].assisted_units}"')


def test_the_csv_download_is_exactly_the_table_shown(client, dc_data) -> None:
    for query in ({}, {"ward": "Ward 8", "risk_level": "low"}, {"program": "Public housing"}):
        page = client.get(DASHBOARD, query)
        download = client.get(CSV, query)

        assert download.status_code == 200
        assert download["Content-Type"] == "text/csv; charset=utf-8"
        assert download["Content-Disposition"] == 'attachment; filename="dc-affordability-ending-by-year.csv"'
        header, *rows = list(csv.reader(io.StringIO(download.content.decode())))
        assert header == table_head(page, "expiry-timeline")
        assert rows == [[cell.replace(",", "") for cell in row] for row in table_rows(page, "expiry-timeline")]
        assert any(row[2] != "0" for row in rows), query
        link = re.search(r'<a href="([^"]+)" download id="expiry-csv">', page.content.decode())
        assert link
        assert client.get(link.group(1).replace("&amp;", "&")).content == download.content


def test_the_csv_of_an_invalid_filter_answers_400_in_words(client, dc_data) -> None:
    response = client.get(CSV, {"ward": "Ward 9"})

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "ward: Select a valid choice. Ward 9 is not one of the available choices." in response.content.decode()


# ---------------------------------------------------------------- the projects' table and map


def test_projects_table_lists_the_riskiest_first_with_links_to_their_pages(client, dc_data) -> None:
    response = client.get(DASHBOARD)

    assert table_head(response, "projects-table") == [
        "Project",
        "Ward",
        "Neighbourhood cluster",
        "Assisted homes",
        "Risk level",
        "Affordability ends",
    ]
    rows = table_rows(response, "projects-table")
    high = RiskAssessment.objects.filter(level="high").count()
    assert [row[4] for row in rows[:high]] == ["High"] * high
    assert rows[high][4] == "Medium"
    first = RiskAssessment.objects.filter(level="high").order_by("affordability_ends_on").first().project
    assertContains(response, f'<a href="{DASHBOARD}projects/{first.nlihc_id}/">{first.name}</a>', html=True)
    assert "Projects 1 to 25 of 362, the riskiest first." in section(response, "projects")


def test_projects_table_pages_keep_the_filters(client, dc_data) -> None:
    first = client.get(DASHBOARD, {"ward": "Ward 8"})

    assertContains(first, '<a href="?ward=Ward+8&amp;page=2#projects" rel="next">Next</a>', html=True)
    second = client.get(DASHBOARD, {"ward": "Ward 8", "page": "2"})
    assert "Projects 26 to 50 of 94" in section(second, "projects")
    assert all(row[1] == "Ward 8" for row in table_rows(second, "projects-table"))
    assert table_rows(second, "projects-table") != table_rows(first, "projects-table")
    beyond = client.get(DASHBOARD, {"ward": "Ward 8", "page": "999"})
    assert "Projects 76 to 94 of 94" in section(beyond, "projects")


def test_map_gets_every_filtered_project_and_its_boundaries_from_the_portal(client, dc_data) -> None:
    response = client.get(DASHBOARD, {"cluster": "Cluster 7"})

    assert map_points_address(response) == f"{MAP_POINTS}?cluster=Cluster+7"
    answer = client.get(with_view(map_points_address(response)))
    points = points_of(answer)
    project = Project.objects.select_related("risk_assessment").get(nlihc_id=points[0]["id"])
    assert len(points) == Project.objects.filter(cluster_code="Cluster 7").count()
    assert points[0] == {
        "id": project.nlihc_id,
        "name": project.name,
        "lat": pytest.approx(project.latitude, abs=1e-5),
        "lng": pytest.approx(project.longitude, abs=1e-5),
        "level": project.risk_assessment.level,
        "units": project.risk_assessment.assisted_units_at_risk,
    }
    data = answer.json()
    assert data["project_url"].replace("{id}", project.nlihc_id) == f"{DASHBOARD}projects/{project.nlihc_id}/"
    assert data["levels"] == {"high": "High", "medium": "Medium", "low": "Low", "": "Not assessed"}
    assertContains(response, f'data-boundaries-wards="{DASHBOARD}boundaries/wards.geojson"')
    assertContains(response, 'data-selected-cluster="Cluster 7"')
    assertContains(response, '<figure class="map-figure" id="project-map-figure" hidden>')


def test_boundaries_come_from_the_ingested_files_with_caching_headers(client, dc_data) -> None:
    response = client.get(DASHBOARD + "boundaries/wards.geojson")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert "max-age=86400" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    wards = json.loads(response.content)
    assert sorted(feature["properties"]["name"] for feature in wards["features"]) == [f"Ward {n}" for n in range(1, 9)]
    assert all(feature["geometry"]["type"] in ("Polygon", "MultiPolygon") for feature in wards["features"])
    assert b"REP_EMAIL" not in response.content, "only what the map needs, not the council's contacts"

    again = client.get(DASHBOARD + "boundaries/wards.geojson", headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304

    clusters = json.loads(client.get(DASHBOARD + "boundaries/clusters.geojson").content)
    cluster_7 = next(feature for feature in clusters["features"] if feature["properties"]["name"] == "Cluster 7")
    assert cluster_7["properties"]["neighbourhoods"].startswith("Shaw")


def test_unknown_boundaries_are_404(client, dc_data) -> None:
    assert client.get(DASHBOARD + "boundaries/parcels.geojson").status_code == 404


def test_boundaries_not_yet_ingested_are_404(client, db) -> None:
    assert client.get(DASHBOARD + "boundaries/wards.geojson").status_code == 404


# ---------------------------------------------------------------- the map's points


def test_map_points_are_the_filtered_projects_with_coordinates_riskiest_drawn_last(client, dc_data) -> None:
    for query in ({}, {"ward": "Ward 8", "risk_level": "medium"}, {"program": "Public housing"}):
        points = points_of(client.get(MAP_POINTS, {**query, **WHOLE_CITY}))

        filtered = ProjectFilter(query, queryset=Project.objects.all()).qs
        located = filtered.filter(latitude__isnull=False, longitude__isnull=False)
        assert points, query
        assert sorted(point["id"] for point in points) == sorted(located.values_list("nlihc_id", flat=True)), query
        rank = {"": 0, "low": 1, "medium": 2, "high": 3}
        drawn = [(rank[point["level"]], -(point["units"] or 0)) for point in points]
        assert drawn == sorted(drawn), "the riskier after the others, the smaller after the larger"


def test_map_points_address_on_the_page_names_its_filters_once_and_in_order(client, dc_data) -> None:
    response = client.get(
        DASHBOARD, {"risk_level": "", "expires_within_years": "5.0", "ward": "Ward 8", "cluster": "", "page": "2"}
    )

    assert map_points_address(response) == f"{MAP_POINTS}?ward=Ward+8&expires_within_years=5"
    assert map_points_address(client.get(DASHBOARD)) == MAP_POINTS


MAP_POINTS_INVALID_FILTERS = [
    ({"ward": "Ward 9"}, "ward", "Select a valid choice. Ward 9 is not one of the available choices."),
    ({"cluster": "Cluster 99"}, "cluster", "Select a valid choice."),
    ({"expires_within_years": "soon"}, "expires_within_years", "Enter a number."),
    ({"expires_within_years": "51"}, "expires_within_years", "less than or equal to 50"),
    ({"wrd": "Ward 1"}, "wrd", "The map has no parameter called wrd"),
    ({"ward": "Ward 1", "page": "2"}, "page", "The map has no parameter called page"),
]


def test_map_points_refuse_bad_filters_with_400_in_json_naming_them(client, dc_data) -> None:
    for query, parameter, message in MAP_POINTS_INVALID_FILTERS:
        response = client.get(MAP_POINTS, {**query, **WHOLE_CITY})

        assert response.status_code == 400, query
        assert response["Content-Type"] == "application/json"
        assert list(response.json()) == [parameter]
        assert message in response.json()[parameter][0]
        assert "public" not in response.get("Cache-Control", ""), "an error is not kept by shared caches"


MAP_POINTS_INVALID_VIEWS = [
    ({"zoom": "11"}, "bbox", "This field is required."),
    ({"bbox": "-77.2,38.75,-76.85", "zoom": "11"}, "bbox", "four numbers separated by commas"),
    ({"bbox": "-77.2,38.75,-76.85,north", "zoom": "11"}, "bbox", "four numbers separated by commas"),
    ({"bbox": "-76.85,38.75,-77.2,39.05", "zoom": "11"}, "bbox", "west less than east"),
    ({"bbox": "-77.2,39.05,-76.85,38.75", "zoom": "11"}, "bbox", "south less than north"),
    ({"bbox": "-77.2,38.75,-76.85,95", "zoom": "11"}, "bbox", "latitudes from -90 to 90"),
    ({"bbox": "-77.2,38.75,-76.85,nan", "zoom": "11"}, "bbox", "finite"),
    ({"bbox": WHOLE_CITY["bbox"]}, "zoom", "This field is required."),
    ({"bbox": WHOLE_CITY["bbox"], "zoom": "close"}, "zoom", "Enter a number."),
    ({"bbox": WHOLE_CITY["bbox"], "zoom": "23"}, "zoom", "less than or equal to 22"),
    ({"bbox": WHOLE_CITY["bbox"], "zoom": "-1"}, "zoom", "greater than or equal to 0"),
]


def test_map_points_refuse_a_bad_view_with_400_in_json_naming_it(client, dc_data) -> None:
    for query, parameter, message in MAP_POINTS_INVALID_VIEWS:
        response = client.get(MAP_POINTS, {"ward": "Ward 1", **query})

        assert response.status_code == 400, query
        assert list(response.json()) == [parameter], query
        assert message in response.json()[parameter][0], response.json()
    both = client.get(MAP_POINTS, {"ward": "Ward 9", "bbox": "x", "zoom": "11"})
    assert both.status_code == 400
    assert sorted(both.json()) == ["bbox", "ward"]


def test_map_points_are_gzipped_for_browsers_kept_by_any_cache_and_revalidated_by_etag(
    client, dc_data, django_assert_num_queries
) -> None:
    response = client.get(MAP_POINTS, {"ward": "Ward 8", **WHOLE_CITY})

    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    assert "Accept-Encoding" in response["Vary"]
    zipped = client.get(MAP_POINTS, {"ward": "Ward 8", **WHOLE_CITY}, headers={"accept-encoding": "gzip, deflate, br"})
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == response.content
    assert zipped["ETag"] == response["ETag"]
    with django_assert_num_queries(0):
        again = client.get(MAP_POINTS, {"ward": "Ward 8", **WHOLE_CITY}, headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304
    assert again["ETag"] == response["ETag"]
    assert "public" in again["Cache-Control"]
    # The same selection written another way is the same answer; another selection is not.
    assert client.get(MAP_POINTS, {"ward": "Ward 8", "cluster": "", **WHOLE_CITY})["ETag"] == response["ETag"]
    assert client.get(MAP_POINTS, {"ward": "Ward 7", **WHOLE_CITY})["ETag"] != response["ETag"]


def ingest_projects_file(content: bytes, tmp_path: Path, capture) -> None:
    """Offer a projects file as a partner would; its on-commit risk refresh runs, as a worker's would."""
    path = tmp_path / "prescat_project.csv"
    path.write_bytes(content)
    with capture(execute=True):
        run = ingest_path(dataset=Dataset.objects.get(schema="housing.projects"), path=path)
    assert run.status == IngestionRun.Status.SUCCEEDED, run.errors
    assert run.rows_updated == 2


def test_map_points_and_filter_choices_are_read_again_after_an_ingestion_changes_the_data(
    client, dc_data, settings, tmp_path, django_assert_num_queries, django_capture_on_commit_callbacks
) -> None:
    before = client.get(MAP_POINTS, {"ward": "Ward 1", **WHOLE_CITY})
    assert "NL000004" in {point["id"] for point in points_of(before)}
    refused = client.get(MAP_POINTS, {"owner_type": "Community land trust", **WHOLE_CITY})
    assert refused.status_code == 400
    with django_assert_num_queries(0):
        assert client.get(MAP_POINTS, {"ward": "Ward 1", **WHOLE_CITY}).content == before.content

    # NL000004 moves from Ward 1 to Ward 2 and is renamed; NL000001 gets a new owner type.
    ingest_projects_file(
        edited(
            real_file(settings, "housing.projects"),
            (b"Parkfair Apts,1611 Park Road NW", b"Parkfair Apartments,1611 Park Road NW"),
            (b",Ward 1,No,ANC 1D,PSA 408,", b",Ward 2,No,ANC 1D,PSA 408,"),
            (b"Limited Partnership,Limited dividend,", b"Limited Partnership,Community land trust,"),
        ),
        tmp_path,
        django_capture_on_commit_callbacks,
    )

    after = client.get(MAP_POINTS, {"ward": "Ward 1", **WHOLE_CITY}, headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert "NL000004" not in {point["id"] for point in points_of(after)}
    moved = {point["id"]: point for point in points_of(client.get(MAP_POINTS, {"ward": "Ward 2", **WHOLE_CITY}))}
    assert moved["NL000004"]["name"] == "Parkfair Apartments"
    owned = points_of(client.get(MAP_POINTS, {"owner_type": "Community land trust", **WHOLE_CITY}))
    assert [point["id"] for point in owned] == ["NL000001"]
    assertContains(
        client.get(DASHBOARD), '<option value="Community land trust">Community land trust</option>', html=True
    )


def test_an_ingestion_that_changes_nothing_keeps_the_cache(
    client, dc_data, settings, django_assert_num_queries, django_capture_on_commit_callbacks
) -> None:
    client.get(MAP_POINTS, WHOLE_CITY)
    with django_capture_on_commit_callbacks(execute=True):
        run = ingest_path(
            dataset=Dataset.objects.get(schema="housing.projects"), path=real_file(settings, "housing.projects")
        )
    assert run.rows_unchanged == 362

    with django_assert_num_queries(0):
        assert client.get(MAP_POINTS, WHOLE_CITY).status_code == 200


# ---------------------------------------------------------------- the market


def test_market_shows_the_latest_price_and_its_growth_by_cluster_of_the_projects(client, dc_data) -> None:
    response = client.get(DASHBOARD, {"ward": "Ward 4"})

    rows = {cluster_of(row): row for row in table_rows(response, "market-table")}
    clusters = set(Project.objects.filter(ward="Ward 4").values_list("cluster_code", flat=True))
    assert set(rows) == clusters
    assert table_head(response, "market-table") == [
        "Neighbourhood cluster",
        "Projects",
        "Median price, 2015",
        "Change since 2010",
    ]
    price = MarketIndicator.objects.get(
        geography_type="cluster", geography_code="Cluster 18", indicator="r_mprice_sf", year=2015
    )
    earlier = MarketIndicator.objects.get(
        geography_type="cluster", geography_code="Cluster 18", indicator="r_mprice_sf", year=2010
    )
    growth = round(100 * (price.value / earlier.value - 1), 1)
    assert rows["Cluster 18"][2] == f"${price.value:,.0f}"
    assert rows["Cluster 18"][3] == f"+{growth}%"
    assert rows["Cluster 18"][1] == str(Project.objects.filter(ward="Ward 4", cluster_code="Cluster 18").count())


def test_market_says_suppressed_or_insufficient_data_never_zero(client, dc_data) -> None:
    MarketIndicator.objects.filter(
        geography_type="cluster", geography_code="Cluster 7", indicator="r_mprice_sf", year=2015
    ).update(value=None, suppression="s")

    response = client.get(DASHBOARD)

    rows = {cluster_of(row): row for row in table_rows(response, "market-table")}
    # Cluster 8's 2015 price is published as "i" by NeighborhoodInfo DC itself.
    assert rows["Cluster 8"][2:] == ["insufficient data", "insufficient data"]
    assert rows["Cluster 7"][2:] == ["suppressed", "suppressed"]
    assert "$0" not in section(response, "market")


# ---------------------------------------------------------------- a project


def test_project_page_shows_its_facts_and_its_risk_flags_with_their_evidence(client, dc_data) -> None:
    assessment = RiskAssessment.objects.select_related("project").filter(level="high").order_by("project__nlihc_id")[0]
    project = assessment.project

    response = client.get(f"{DASHBOARD}projects/{project.nlihc_id}/")

    assert response.status_code == 200
    assertTemplateUsed(response, "housing/project_detail.html")
    text = seen(response)
    assert project.name in text
    assert project.address in text
    assert "Preservation risk: High" in text
    # When the city was last checked, not when this assessment first came to hold.
    assert f"assessed on {RiskRefresh.objects.latest_finished().as_of:%-d %b %Y}" in text
    risk = section(response, "risk")
    assert assessment.flags
    for flag in assessment.flags:
        assert flag["label"] in risk
        assert f"Rule {flag['rule']}" in risk
        assert f"Record {flag['evidence']['record']}" in risk
        source_date = date.fromisoformat(flag["evidence"]["source_date"])
        assert f"Source {flag['evidence']['source']}, {source_date:%-d %b %Y}" in risk


def test_project_page_shows_its_subsidies_as_a_timeline_and_a_table(client, dc_data) -> None:
    project = Project.objects.get(nlihc_id="NL000076")
    subsidies = list(Subsidy.objects.filter(project=project).order_by("subsidy_id"))

    response = client.get(f"{DASHBOARD}projects/NL000076/")

    rows = table_rows(response, "subsidies-table")
    assert all(row[0].startswith(subsidy.program) for row, subsidy in zip(rows, subsidies, strict=True))
    dated = [subsidy for subsidy in subsidies if subsidy.poa_start or subsidy.poa_end]
    assertContains(response, 'class="subsidy-timeline__bar', count=len(dated))
    subsidies_text = section(response, "subsidies")
    assert "Sec 542(c) HFA Risk Sharing-Existing 1997 to 2027" in subsidies_text
    assert "2 subsidies have no recorded dates and appear only in the table." in subsidies_text
    assert "1 Nov 1997 1 Nov 2027 HUD/Insured Multifamily Mortgages, 31 Jan 2017" in subsidies_text


def test_project_page_shows_inspections_and_property_events_by_type_and_date_only(client, dc_data) -> None:
    response = client.get(f"{DASHBOARD}projects/NL000076/")

    inspections = section(response, "inspections")
    assert "19 Aug 2013 96 (96c*) At least one life-threatening health and safety deficiency" in inspections
    assert "Missing or not working" in inspections
    events = section(response, "property-events")
    assert "1 Jan 2001 Property sale 1" in events
    assert "Who bought or sold is not shown" in events


def test_project_page_groups_an_event_recorded_on_many_parcels(client, dc_data) -> None:
    project = Project.objects.get(nlihc_id="NL000123")
    on_first_day = RealPropertyEvent.objects.filter(project=project, event_date=date(2001, 1, 1))
    parcels = on_first_day.values("ssl").distinct().count()
    assert parcels > 1

    response = client.get(f"{DASHBOARD}projects/{project.nlihc_id}/")

    assert f"1 Jan 2001 Property sale {parcels}" in section(response, "property-events")


def test_project_page_shows_its_clusters_market(client, dc_data) -> None:
    response = client.get(f"{DASHBOARD}projects/NL000076/")

    market = section(response, "market")
    assert "Cluster 18 (Brightwood Park, Crestwood, Petworth)" in market
    assert "Median single-family sale price, 2015 $650,000" in market
    assert "Change since 2010 +44.8%" in market
    assert "Homes lived in by their owner 2010\u201314 55%" in market
    assert "Rental homes standing vacant 2010\u201314 7.4%" in market


def test_a_project_not_yet_assessed_says_so(client, dc_data) -> None:
    RiskAssessment.objects.filter(project__nlihc_id="NL000076").delete()

    project_page = client.get(f"{DASHBOARD}projects/NL000076/")
    dashboard = client.get(DASHBOARD, {"cluster": "Cluster 18"})

    assert "This project has not been assessed yet." in seen(project_page)
    row = next(row for row in table_rows(dashboard, "projects-table") if row[0] == "Colorado Ave NW Cooperative")
    assert row[4] == "Not assessed"


def test_unknown_project_is_a_friendly_404(client, dc_data) -> None:
    response = client.get(f"{DASHBOARD}projects/NL999999/")

    assert response.status_code == 404
    assertContains(response, "We can't find that page", status_code=404)


# ---------------------------------------------------------------- personal data


def test_no_page_shows_a_parcel_owner_or_what_a_property_record_says(client, dc_data) -> None:
    pages = [client.get(DASHBOARD, {"page": page}).content.decode() for page in range(1, 16)]
    pages += [client.get(CSV).content.decode()]
    pages += [
        client.get(f"{DASHBOARD}projects/{nlihc_id}/").content.decode()
        for nlihc_id in Project.objects.values_list("nlihc_id", flat=True)
    ]
    shown = "\n".join(pages)

    # Organisations own many projects and name them after themselves ("Green Door"): a name
    # the Catalog publishes as a project's own is not the personal data this test is about.
    public = "\n".join(
        f"{name}\n{address}\n{cluster}"
        for name, address, cluster in Project.objects.values_list("name", "address", "cluster_name")
    )
    descriptions = set(RealPropertyEvent.objects.values_list("description", flat=True))
    buyers = {match.group(1) for text in descriptions if (match := re.search(r"Sold to (.+?)(?:;|\.$)", text))}
    owners = set(Parcel.objects.exclude(owner_name="").values_list("owner_name", flat=True))
    private = {value for value in owners | buyers | descriptions if value not in public}
    assert len(private) > 1000
    assert "Harriett V Lyon" in private
    leaked = sorted(value for value in private if value in shown)
    assert leaked == []
    assert "Sold to" not in shown
    assert "OTR:" not in shown


# ---------------------------------------------------------------- queries


def test_pages_make_a_fixed_number_of_queries_whatever_the_number_of_rows(
    client, dc_data, django_assert_max_num_queries, django_assert_num_queries
) -> None:
    # 362 projects, 25 in the table, dozens of clusters: a page that queried per row would
    # far exceed these limits. The filters' choices are read once, then cached.
    for query in ({}, {"ward": "Ward 8", "page": "3"}, {"program": "Public housing", "expires_within_years": "10"}):
        # One of them reads the current versions of the data the page cites.
        with django_assert_max_num_queries(12):
            assert client.get(DASHBOARD, query).status_code == 200
        # The same selection and page again: from the cache, for this version of the data; the
        # one query reads the current versions of the data the page cites.
        with django_assert_num_queries(1):
            assert client.get(DASHBOARD, query).status_code == 200
    # Every project's point, or a few: the same queries (the choices, the selection's points,
    # then the names of those in view, if any), and none once cached.
    for query in ({}, {"cluster": "Cluster 7"}, {"ward": "Ward 3", "risk_level": "high"}):
        cache.clear()
        with django_assert_max_num_queries(6):
            assert client.get(MAP_POINTS, {**query, **WHOLE_CITY}).status_code == 200
        with django_assert_num_queries(0):
            assert client.get(MAP_POINTS, {**query, **WHOLE_CITY}).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(CSV).status_code == 200
    # A project with 160 property records and one with a single record cost the same (the
    # seventh query reads the city's last risk refresh, which the page's "assessed on" names).
    for nlihc_id in ("NL000123", "NL000076"):
        with django_assert_max_num_queries(7):
            assert client.get(f"{DASHBOARD}projects/{nlihc_id}/").status_code == 200
    # Built once per ingestion of the layer, then only its version is read.
    assert client.get(DASHBOARD + "boundaries/clusters.geojson").status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get(DASHBOARD + "boundaries/clusters.geojson").status_code == 200


# ---------------------------------------------------------------- ended affordability, the rules, the filters kept


def test_a_project_whose_affordability_already_ended_is_marked_and_explained(client, dc_data) -> None:
    today = timezone.localdate()
    ended = RiskAssessment.objects.filter(affordability_ends_on__lt=today).select_related("project").first()
    assert ended is not None, "the Catalog holds subsidies still listed active after their end"

    dashboard = client.get(DASHBOARD, {"ward": ended.project.ward, "risk_level": ended.level})
    row = next(row for row in table_rows(dashboard, "projects-table") if row[0] == ended.project.name)
    assert row[5].endswith("already passed")
    assert "An end date marked already passed is earlier than today" in section(dashboard, "projects")
    later = RiskAssessment.objects.filter(affordability_ends_on__gte=today).select_related("project").first()
    later_rows = table_rows(
        client.get(DASHBOARD, {"ward": later.project.ward, "risk_level": later.level}), "projects-table"
    )
    assert "already passed" not in next(row for row in later_rows if row[0] == later.project.name)[5]

    page = seen(client.get(f"{DASHBOARD}projects/{ended.project.nlihc_id}/"))
    assert "This date has already passed, yet the Catalog still lists the subsidy as active" in page


def test_the_dashboard_lists_every_rule_of_every_risk_level(client, dc_data, settings) -> None:
    settings.HOUSING_RISK_THRESHOLDS = {"expiry_watch_years": 6, "inspection_failing_below": 75}

    rules = section(client.get(DASHBOARD), "sources")

    for level in ("High", "Medium", "Low"):
        assert level in rules
    assert "Affordability ends within 1 year" in rules
    assert "The latest inspection scored below 60 out of 100" in rules
    assert "Affordability ends within 3 years and another warning sign is present" in rules
    assert "Affordability ends within 6 years" in rules, "the rules shown are the ones in force"
    assert "The latest inspection scored below 75 out of 100" in rules
    assert "The date affordability ends has already passed" in rules
    assert "a sale or foreclosure notice in the last 2 years" in rules
    assert "a for-profit owner (profit motivated or limited dividend)" in rules
    assert "rising more than 1.25 times as fast as the city's" in rules
    assert "None of the above" in rules


def test_back_to_all_projects_returns_to_the_same_filters(client, dc_data) -> None:
    filtered = client.get(DASHBOARD, {"risk_level": "high", "ward": "Ward 8"})
    link = re.search(r'<th scope="row"><a href="([^"]+)">', filtered.content.decode())
    assert link
    address = html.unescape(link.group(1))
    assert address.endswith("?ward=Ward+8&risk_level=high")

    project = client.get(address)

    back = re.search(r'<a href="([^"]+)" id="back-to-projects">Back to all projects</a>', project.content.decode())
    assert back
    assert html.unescape(back.group(1)) == DASHBOARD + "?ward=Ward+8&risk_level=high"
    assert table_rows(client.get(html.unescape(back.group(1))), "projects-table") == table_rows(
        filtered, "projects-table"
    )
    unfiltered = client.get(address.split("?")[0] + "?ward=Ward+99")
    assertContains(unfiltered, f'<a href="{DASHBOARD}" id="back-to-projects">Back to all projects</a>', html=True)


def test_the_project_list_csv_holds_every_filtered_project_not_only_the_page_shown(client, dc_data) -> None:
    query = {"ward": "Ward 8"}
    page = client.get(DASHBOARD, query)
    link = re.search(r'<a href="([^"]+)" download id="projects-csv">', page.content.decode())
    assert link

    download = client.get(html.unescape(link.group(1)))

    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="dc-affordable-housing-projects.csv"'
    header, *rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert header[:3] == ["NLIHC id", "Project", "Address"]
    assert len(rows) == Project.objects.filter(ward="Ward 8").count() == 94
    shown = table_rows(page, "projects-table")
    assert [row[1] for row in rows[: len(shown)]] == [row[0] for row in shown], "in the table's order"
    assert {row[3] for row in rows} == {"Ward 8"}
    assert all(row[9].startswith("http://testserver" + DASHBOARD + "projects/") for row in rows)
    assert client.get(DASHBOARD + "projects.csv", {"ward": "Ward 9"}).status_code == 400


def test_the_project_list_csv_never_hands_a_spreadsheet_a_formula(client, dc_data) -> None:
    project = Project.objects.filter(ward="Ward 1").first()
    Project.objects.filter(pk=project.pk).update(name='=HYPERLINK("http://evil.example","x")')

    download = client.get(DASHBOARD + "projects.csv", {"ward": "Ward 1"})

    names = [row[1] for row in csv.reader(io.StringIO(download.content.decode()))]
    assert '\'=HYPERLINK("http://evil.example","x")' in names


# ---------------------------------------------------------------- the map at a city's scale


@pytest.fixture
def crowded_city(dc_data) -> int:
    """Four thousand more projects (copies of a real one) scattered over the city, of every
    level, so that a whole-city view holds too many to draw one by one. Returns how many
    projects have coordinates."""
    rng = np.random.default_rng(13)
    template = Project.objects.get(nlihc_id="NL000001")
    copies = []
    for number in range(4_000):
        copy = copy_of(template)
        copy.pk = None
        copy.nlihc_id = f"NLT{number:05d}"
        copy.latitude = float(rng.uniform(38.82, 38.98))
        copy.longitude = float(rng.uniform(-77.1, -76.92))
        copy.ward = ("Ward 1", "Ward 8")[number % 2]
        copies.append(copy)
    created = Project.objects.bulk_create(copies)
    levels = [*RiskAssessment.Level.values, None]
    now = timezone.now()
    RiskAssessment.objects.bulk_create(
        RiskAssessment(
            project=project, level=level, as_of=now.date(), assessed_at=now, assisted_units_at_risk=number % 50 or None
        )
        for number, (project, level) in enumerate(zip(created, itertools.cycle(levels), strict=False))
        if level is not None
    )
    data_version_bump("housing")
    return Project.objects.filter(latitude__isnull=False).count()


def copy_of(project: Project) -> Project:
    return Project(**{field.attname: getattr(project, field.attname) for field in Project._meta.concrete_fields})


def test_map_of_a_crowded_city_groups_its_projects_and_every_project_counts_once(client, crowded_city) -> None:
    zipped = client.get(MAP_POINTS, WHOLE_CITY, headers={"accept-encoding": "gzip"})
    answer = json.loads(gzip.decompress(zipped.content))

    assert answer["kind"] == "clusters"
    assert answer["total"] == answer["in_view"] == crowded_city
    assert answer["columns"] == ["lat", "lng", "projects", "units", "by_level"]
    assert answer["level_order"] == ["high", "medium", "low", ""]
    rows = answer["rows"]
    assert 1 < len(rows) <= MAX_CELLS_ACROSS**2
    assert all(row[2] == sum(row[4]) for row in rows)
    assert sum(row[2] for row in rows) == crowded_city
    located = Project.objects.filter(latitude__isnull=False)
    high = located.filter(risk_assessment__level="high").count()
    assert sum(row[4][0] for row in rows) == high
    assert sum(row[4][3] for row in rows) == located.filter(risk_assessment__isnull=True).count()
    units = located.aggregate(units=Sum("risk_assessment__assisted_units_at_risk"))["units"]
    assert sum(row[3] for row in rows) == units
    plain = gzip.decompress(zipped.content)
    assert len(plain) < 100_000, "a few kilobytes per hundred clusters, whatever the number of projects"
    assert len(zipped.content) < len(plain)


def test_map_of_a_crowded_ward_counts_only_its_projects(client, crowded_city) -> None:
    answer = client.get(MAP_POINTS, {"ward": "Ward 8", **WHOLE_CITY}).json()

    assert answer["kind"] == "clusters"
    ward = Project.objects.filter(ward="Ward 8", latitude__isnull=False).count()
    assert answer["total"] == sum(row[2] for row in answer["rows"]) == ward


def test_map_of_a_few_streets_draws_the_projects_in_the_box_only(client, crowded_city) -> None:
    box = {"west": -77.02, "south": 38.89, "east": -77.0, "north": 38.9}
    answer = client.get(MAP_POINTS, {"bbox": ",".join(str(edge) for edge in box.values()), "zoom": "16"})
    points = points_of(answer)

    inside = Project.objects.filter(
        latitude__gte=box["south"], latitude__lte=box["north"], longitude__gte=box["west"], longitude__lte=box["east"]
    )
    assert points
    assert sorted(point["id"] for point in points) == sorted(inside.values_list("nlihc_id", flat=True))
    assert answer.json()["in_view"] == len(points)
    assert answer.json()["total"] == crowded_city
