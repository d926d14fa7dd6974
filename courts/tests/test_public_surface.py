"""No public page and no public API answer shows anything about a person in the citations:
every name, address, licence number and date of birth of the real sample is searched for
in everything a resident or a partner's token can read without proving who they are."""

from __future__ import annotations

import pytest
from django.urls import reverse

from courts.models import Citation, Court
from courts.services import courts_demo_data_load


@pytest.fixture
def personal_values(demo_data, settings) -> set[str]:
    courts_demo_data_load(data_dir=settings.CIVIC_DATA_DIR)
    values: set[str] = set()
    for citation in Citation.objects.all():
        values.add(f"{citation.first_name} {citation.last_name}")
        values.update(value for value in (citation.address, citation.licence_number) if value)
        if citation.date_of_birth:
            values.update({citation.date_of_birth.isoformat(), citation.date_of_birth.strftime("%B %-d, %Y")})
    return values


def public_pages() -> list[str]:
    pages = [
        reverse("courts:home"),
        reverse("courts:court-list"),
        reverse("courts:find-ticket"),
        reverse("courts:stories"),
        reverse("courts:story-new"),
        "/cities/st-louis/",
        "/datasets/stl-citations/",
    ]
    return pages + [court.get_absolute_url() for court in Court.objects.all()]


PUBLIC_API = (
    "/api/v1/courts/courts/?page_size=500",
    "/api/v1/courts/municipalities/?page_size=500",
    "/api/v1/courts/judges/?page_size=500",
    "/api/v1/courts/court-statistics/",
    "/api/v1/datasets/stl-citations/",
)


def test_no_public_page_shows_a_persons_details(client, personal_values):
    for url in public_pages():
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        leaked = sorted(value for value in personal_values if value in text)
        assert leaked == [], (url, leaked[:5])


def test_no_public_api_answer_carries_a_persons_details(resident_api, partner_api, personal_values):
    for client in (resident_api, partner_api):
        for url in PUBLIC_API:
            response = client.get(url)
            assert response.status_code == 200, url
            text = response.content.decode()
            leaked = sorted(value for value in personal_values if value in text)
            assert leaked == [], (url, leaked[:5])
