"""The DC housing pages in Spanish, as a resident whose browser asks for Spanish reads them:
the interface, the filters, the risk levels and their rules in Spanish and numbers written
as US Spanish writes them; the data (project and neighbourhood names) as published; the CSV files,
read by programs, still in English."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from housing.models import RiskAssessment
from housing.risk import risk_thresholds
from housing.risk_rules import DEFAULT_THRESHOLDS
from housing.risk_text import flag_label, level_rules

pytestmark = pytest.mark.django_db

DASHBOARD = "/cities/washington-dc/housing/"
SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es"}


def test_dashboard_in_spanish(client, dc_data) -> None:
    response = client.get(DASHBOARD, {"risk_level": "high"}, **SPANISH)
    page = response.content.decode()

    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    for spanish in (
        "Vivienda asequible en riesgo",
        "Nivel de riesgo",
        "Cualquier distrito",
        "Mostrar proyectos",
        "Viviendas asistidas cuya asequibilidad vence, por año",
        "Proyectos que coinciden: Nivel de riesgo: Alto",
        "Riesgo alto",
        "La inspección más reciente obtuvo menos de 60 puntos de 100",
        'data-text-units="{units} viviendas asistidas"',
    ):
        assert spanish in page, spanish
    for english in ("Affordable housing at risk", "Show projects", "Any ward", "High risk", "Assisted homes"):
        assert english not in page, english


def test_dashboard_writes_large_numbers_as_us_spanish_does(client, dc_data) -> None:
    def assisted_homes(page: str) -> str:
        return page.split('<dd id="figure-assisted-units">', 1)[1].split("</dd>", 1)[0]

    english = assisted_homes(client.get(DASHBOARD).content.decode())
    spanish = assisted_homes(client.get(DASHBOARD, **SPANISH).content.decode())

    # US Spanish, like US English, groups thousands with a comma (civicportal/formats/es).
    assert "," in english
    assert spanish == english


def test_project_page_in_spanish_names_its_flags_and_keeps_its_data(client, dc_data) -> None:
    flagged = RiskAssessment.objects.filter(level=RiskAssessment.Level.HIGH).select_related("project").first()
    assert flagged is not None
    response = client.get(reverse("housing:project", args=[flagged.project.nlihc_id]), **SPANISH)
    page = response.content.decode()

    assert response.status_code == 200
    assert "Por qué este nivel de riesgo" in page and "Riesgo de preservación:" in page
    assert "Volver a todos los proyectos" in page and "Back to all projects" not in page
    assert '<span class="risk risk--high">Alto</span>' in page
    assert flagged.project.name in page.replace("&#x27;", "'").replace("&amp;", "&")
    # Each flag is named in Spanish; its rule and record stay as the rules recorded them.
    titles = re.findall(r'<h3 class="risk-flag__title">(.*?)</h3>', page)
    assert len(titles) == len(flagged.flags)
    with translation.override("es"):
        spanish = [flag_label(flag["code"], recorded="", thresholds=risk_thresholds()) for flag in flagged.flags]
    assert titles == spanish
    assert all(title != flag["label"] for title, flag in zip(titles, flagged.flags, strict=True))


def test_risk_levels_are_explained_in_the_resident_language() -> None:
    with translation.override("es"):
        spanish = level_rules(DEFAULT_THRESHOLDS)
    with translation.override("en"):
        english = level_rules(DEFAULT_THRESHOLDS)

    assert [level for level, _, _ in spanish] == ["high", "medium", "low"]
    assert [name for _, name, _ in spanish] == ["Alto", "Medio", "Bajo"]
    assert spanish[0][2][0] == "la asequibilidad vence dentro de 1 año"
    assert english[0][2][0] == "affordability ends within 1 year"
    assert "1.25 veces" in spanish[1][2][3] and "1.25 times" in english[1][2][3]


def test_csv_files_stay_in_english_for_programs(client, dc_data) -> None:
    timeline = client.get(DASHBOARD + "expiry-timeline.csv", **SPANISH).content.decode()
    projects = client.get(DASHBOARD + "projects.csv", {"risk_level": "high"}, **SPANISH).content.decode()

    assert timeline.splitlines()[0] == "Year,Projects,Assisted homes,Projects without a count of homes"
    assert projects.splitlines()[0].startswith("NLIHC id,Project,Address")
    assert ",High," in projects and ",Alto," not in projects
