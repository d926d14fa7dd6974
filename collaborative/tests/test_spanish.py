"""The collaborative's public pages in Spanish: the interface is translated, what the
collaborative stored (organisation names, lessons) stays as written."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es"}


def test_ecosystem_page_in_spanish(client, ecosystem_data) -> None:
    page = client.get(
        reverse("collaborative:ecosystem", kwargs={"slug": "boston"}) + "?since=2016-01-01", **SPANISH
    ).content.decode()

    for spanish in ("Lo que dice el mapa", "Organizaciones", "Vínculos", "Cómo cambió el mapa", "Mostrar el mapa"):
        assert spanish in page, spanish
    assert "What the map says" not in page and "Show the map" not in page
    assert "Metropolitan Area Planning Council" in page


def test_a_bad_date_is_explained_in_spanish(client, ecosystem_data) -> None:
    page = client.get(
        reverse("collaborative:ecosystem", kwargs={"slug": "boston"}) + "?since=soon", **SPANISH
    ).content.decode()

    assert "no es una fecha escrita como 2017-01-31" in page


def test_impact_lessons_and_adoption_pages_in_spanish(client, ecosystem_data) -> None:
    impact = client.get(reverse("collaborative:impact"), **SPANISH).content.decode()
    lessons = client.get(reverse("collaborative:lesson-list"), **SPANISH).content.decode()
    adopt = client.get(reverse("collaborative:adopt-list"), **SPANISH).content.decode()

    assert "Lo que logró la colaborativa" in impact and "Subvenciones (" in impact
    assert "Jóvenes colocados en un empleo de verano" in impact
    assert "Lecciones y estudios de caso" in lessons and "Cualquier ciudad" in lessons
    assert "Buscar lecciones" in lessons and "Search lessons" not in lessons
    assert "Adopte este enfoque" in adopt and "Adopt this approach" not in adopt
