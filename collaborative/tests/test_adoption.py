"""'Adopt this approach': partners by kind, datasets with their file formats, steps, lessons."""

from __future__ import annotations

import pytest
from django.urls import reverse

from collaborative.adoption import adoption_guide

pytestmark = pytest.mark.django_db


def test_housing_guide_names_partner_kinds_datasets_with_formats_and_lessons(ecosystem_data) -> None:
    guide = adoption_guide(app_label="housing")
    assert guide.city.slug == "washington-dc"
    assert {need.kind_label for need in guide.partners} >= {"Data intermediary", "Civic-tech group"}
    projects = next(need for need in guide.datasets if need.dataset.slug == "dc-preservation-catalog-projects")
    assert projects.file_format == "CSV" and projects.columns
    assert any(need.file_format == "GEOJSON" for need in guide.datasets)
    assert [lesson.slug for lesson in guide.lessons] == ["example-preservation-data-shared"]


def test_a_learning_partner_finds_what_it_can_adopt(client, ecosystem_data) -> None:
    city_page = client.get(reverse("cities:city-detail", kwargs={"slug": "cleveland"})).content.decode()
    assert reverse("collaborative:adopt-list") in city_page
    listing = client.get(reverse("collaborative:adopt-list")).content.decode()
    for label in ("youthjobs", "courts", "housing"):
        assert reverse("collaborative:adopt", kwargs={"app_label": label}) in listing
    page = client.get(reverse("collaborative:adopt", kwargs={"app_label": "youthjobs"})).content.decode()
    assert "The partners you need" in page and "File format" in page
    assert client.get(reverse("collaborative:adopt", kwargs={"app_label": "nothing"})).status_code == 404
