"""The public St. Louis court pages as a resident sees them."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cities.ingestion import ingest_path
from cities.models import Dataset
from courts.models import Court, CourtQuestion
from courts.services import courts_demo_data_load
from courts.tests.factories import CitationFactory, JudgeFactory, MunicipalityCourtFactory


@pytest.fixture
def court(db):
    link = MunicipalityCourtFactory()
    JudgeFactory(court=link.court, name="Ada Example")
    CitationFactory(court=link.court, municipality=link.municipality, first_name="Quinta", last_name="Imaginary")
    return link.court


def test_the_court_page_says_where_how_to_pay_and_the_rights(client, court):
    page = client.get(court.get_absolute_url()).content.decode()

    assert court.name in page and court.address in page and "314-555-0100" in page
    assert "Ada Example" in page
    assert court.municipalities.get().payment_url in page
    assert "Your rights in this court" in page and court.rights_location in page
    assert 'class="court-map"' in page
    assert "Call the court for its hours." in page


def test_the_court_is_opened_in_the_phones_own_map_app_not_another_site(client, court):
    page = client.get(court.get_absolute_url()).content.decode()

    assert f'href="geo:{court.latitude:.6f},{court.longitude:.6f}?q=' in page
    assert "openstreetmap.org" not in page


def test_the_court_list_links_every_court(client, court):
    page = client.get(reverse("courts:court-list")).content.decode()

    assert court.get_absolute_url() in page and court.municipalities.get().name in page


def test_public_court_pages_show_nobody_s_details(client, court):
    pages = [client.get(url).content.decode() for url in (court.get_absolute_url(), reverse("courts:court-list"))]

    for page in pages:
        assert "Quinta" not in page and "Imaginary" not in page


def test_an_unknown_court_is_not_found(client, db):
    assert client.get(reverse("courts:court", args=["no-such-court"])).status_code == 404


def test_the_map_reads_the_ingested_boundaries_and_answers_304_when_unchanged(client, demo_data, settings):
    assert client.get(reverse("courts:boundaries")).status_code == 404
    dataset = Dataset.objects.get(slug="stl-municipal-boundaries")
    ingest_path(dataset=dataset, path=settings.CIVIC_DATA_DIR / "stlouis" / "stl_county_municipal_boundaries.geojson")

    response = client.get(reverse("courts:boundaries"))
    again = client.get(reverse("courts:boundaries"), HTTP_IF_NONE_MATCH=response["ETag"])

    collection = json.loads(response.content)
    assert response["Content-Type"] == "application/geo+json"
    assert len(collection["features"]) == 92
    assert {"municipality": "FLORISSANT"} in [feature["properties"] for feature in collection["features"]]
    assert again.status_code == 304


def test_common_questions_are_the_other_sites_answers_with_attribution_and_no_dangling_references(
    client, demo_data, settings
):
    courts_demo_data_load(data_dir=settings.CIVIC_DATA_DIR)
    court = Court.objects.get(slug="ballwin-court")

    page = client.get(court.get_absolute_url()).content.decode()
    source = Dataset.objects.get(slug="stl-court-questions")

    assert "Common questions, as YourSTLCourts answered them" in page
    assert "published in 2016" in page and f"copied here on {timezone.localdate():%B %-d, %Y}" in page
    assert reverse("cities:dataset-detail", kwargs={"slug": source.slug}) in page and source.title in page
    answers = " ".join(CourtQuestion.objects.values_list("answer", flat=True))
    assert "Ticket Finder [a YourSTLCourts page, not linked here]" in answers
    assert "listed below [that list is not part of these answers]" in answers
    # Every "here" that was a link says where it goes, or is marked as going nowhere.
    unmarked = answers.replace("[a YourSTLCourts page, not linked here]", "[MARK]")
    assert not re.search(r"(?i)\bhere\b(?! \(https?://| \[MARK\])", unmarked)
    assert not re.search(r"(?i)\b(ticket finder|listed below)\b(?! \[)", answers)
