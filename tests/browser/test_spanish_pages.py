"""The DC housing and Boston summer jobs pages in Spanish, in Chromium on a 390 px phone, as a
resident who chose Spanish (the `django_language` cookie the language switcher sets) reads
them: headings, filters, map and chart texts in Spanish, numbers written as US Spanish writes them,
place and project names as published."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site
from tests.browser.map_markers import open_popup
from tests.browser.screen import fits_the_screen

pytestmark = pytest.mark.browser

PHONE = 390
# Fixed addresses, so a reviewer finds the pages as Chromium drew them after every run.
DC_SCREENSHOT = Path("/tmp/dc-es-390.png")  # noqa: S108
BOSTON_SCREENSHOT = Path("/tmp/boston-es-390.png")  # noqa: S108


def spanish_phone(site: Site) -> Page:
    page = site.page(width=PHONE)
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "es", "url": site.url}])
    return page


def test_dc_dashboard_in_spanish_on_a_phone(site: Site) -> None:
    site.load("dc")
    page = spanish_phone(site)
    page.goto(site.url + "/")

    page.locator('a[href="/cities/washington-dc/housing/"]').first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vivienda asequible en riesgo")
    page.get_by_label("Nivel de riesgo", exact=True).select_option(label="Alto")
    page.get_by_role("button", name="Mostrar proyectos").click()

    expect(page).to_have_url(re.compile(r"risk_level=high"))
    expect(page.locator("#active-filters")).to_have_text("Proyectos que coinciden: Nivel de riesgo: Alto")
    expect(page.get_by_label("Nivel de riesgo", exact=True)).to_have_value("high")
    expect(page.locator("#projects-table thead")).to_contain_text("Vencimiento de la asequibilidad")
    expect(page.locator(".map-legend")).to_contain_text("Riesgo alto")
    page.wait_for_selector('#project-map[data-markers-drawn][aria-busy="false"]')
    drawn = page.locator("#project-map").get_attribute("data-markers-drawn")
    assert drawn is not None and drawn.isdigit()
    expect(page.locator("#project-map-status")).to_have_text(re.compile(r"^(1 proyecto|\d+ proyectos) en el mapa\.$"))
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("Límites: datos abiertos de DC GIS")
    expect(open_popup(page)).to_contain_text("Riesgo: Alto")
    expect(page.locator("[data-chart-for=expiry-timeline] canvas")).to_have_attribute(
        "aria-label", re.compile(r"^Viviendas asistidas cuya asequibilidad vence, por año: un gráfico de barras")
    )
    # Thousands grouped with a comma, as US Spanish writes them (civicportal/formats/es).
    page.goto(site.url + "/cities/washington-dc/housing/")
    expect(page.locator("#figure-assisted-units")).to_have_text(re.compile(r"^\d{1,3}(,\d{3})+$"))
    assert fits_the_screen(page)
    page.screenshot(path=str(DC_SCREENSHOT), full_page=True)
    assert site.foreign_requests() == []


def test_boston_pages_in_spanish_on_a_phone(site: Site) -> None:
    site.load("boston 150 run approved")
    page = spanish_phone(site)
    page.goto(site.url + "/")

    page.locator('a[href="/cities/boston/summer-jobs/"]').first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Empleos de verano para jóvenes de Boston")
    expect(page.locator("#by-neighbourhood thead")).to_contain_text("Tasa de colocación")
    expect(page.locator("#by-neighbourhood tbody")).to_contain_text("menos de 10")
    # The season's four charts and the five of the seasons compared, each drawn.
    expect(page.locator(".chart canvas")).to_have_count(9)
    expect(page.locator("[data-chart-for=by-category] canvas")).to_have_attribute(
        "aria-label",
        "Jóvenes con puesto por categoría de empleo: un gráfico de barras con las cifras de la tabla de al lado.",
    )
    expect(page.locator("path.neighbourhood").first).to_be_attached()
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("Límites: Ciudad de Boston")
    assert fits_the_screen(page)
    page.screenshot(path=str(BOSTON_SCREENSHOT), full_page=True)

    page.get_by_role("link", name="Vea los puestos disponibles de esta temporada").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Empleos de verano disponibles")
    expect(page.locator("#positions-count")).to_have_text(re.compile(r"^\d+ empleos? con puestos libres\.$"))
    expect(page.locator("#positions-table thead")).to_contain_text("Horas por semana")
    assert site.foreign_requests() == []
