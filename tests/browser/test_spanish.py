"""A Spanish-speaking resident on a phone: from `/`, switches to Español, finds their ticket,
reads what to do in Spanish and asks for a reminder; the language sticks from page to page,
and switching back to English works. The switcher is a plain form: it works without JavaScript.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from courts.models import ReminderSubscription
from tests.browser.conftest import Site
from tests.browser.screen import fits_the_screen

pytestmark = pytest.mark.browser

PHONE = 390
# The demo's synthetic ticket whose court date is 6 days after the demo was loaded.
UPCOMING, UPCOMING_BORN = "SYNDEMO0001", "1990-05-01"
SPANISH_WEEKDAY = re.compile(r"(lunes|martes|miércoles|jueves|viernes|sábado|domingo) \d{1,2} de [a-z]+ de \d{4}")


@pytest.fixture
def stl_site(site: Site) -> Site:
    site.load("courts")
    return site


def test_resident_on_a_phone_finds_a_ticket_and_sets_a_reminder_in_spanish(stl_site: Site) -> None:
    page = stl_site.page(width=PHONE)
    page.goto(stl_site.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    switcher = page.get_by_role("form", name="Language")
    expect(switcher.locator("[aria-current=true]")).to_have_text("English")

    switcher.get_by_role("button", name="Español").click()

    expect(page).to_have_url(stl_site.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lo que puede hacer aquí")
    expect(page.get_by_role("form", name="Idioma").locator("[aria-current=true]")).to_have_text("Español")
    assert fits_the_screen(page)
    page.get_by_role("link", name="Buscar mi multa").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Buscar mi multa")
    form = page.locator("section", has=page.get_by_role("heading", name="Por número de citación"))
    form.get_by_label("Número de citación (multa)").fill(UPCOMING)
    form.get_by_label("Fecha de nacimiento").fill(UPCOMING_BORN)
    form.get_by_role("button", name="Buscar mi multa").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Encontramos 1 multa")
    expect(page.get_by_role("heading", name=f"Multa {UPCOMING}")).to_be_visible()
    go_to_court = page.locator(".guidance__step--appear").first
    expect(go_to_court).to_contain_text("Vaya a la corte.")
    expect(go_to_court).to_contain_text("Su fecha de corte es el ")
    expect(go_to_court).to_contain_text("Si no se presenta, el juez puede emitir una orden de arresto.")
    assert SPANISH_WEEKDAY.search(go_to_court.inner_text()), go_to_court.inner_text()
    expect(page.locator(".guidance__step--rights").first).to_contain_text("Tiene derecho a un abogado.")
    main = page.locator("main")
    for english in ("What to do", "Go to court", "Remind me", "Your court date", "Total you owe"):
        expect(main).not_to_contain_text(english)
    assert fits_the_screen(page)

    reminder = page.locator("section.reminder")
    expect(reminder.get_by_role("heading")).to_have_text("Recordarme antes de la corte")
    reminder.get_by_label("Teléfono o correo electrónico").fill("314-555-01")
    reminder.get_by_role("button", name="Recordarme").click()
    expect(page.locator(".field__error")).to_contain_text("Escriba un número de teléfono válido")
    assert ReminderSubscription.objects.count() == 0

    page.locator("section.reminder").get_by_label("Teléfono o correo electrónico").fill("314-555-0187")
    page.locator("section.reminder").get_by_role("button", name="Recordarme").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sus recordatorios están activados")
    expect(page.get_by_role("status")).to_contain_text("7 días y 1 día antes de la fecha de corte de la multa")
    subscription = ReminderSubscription.objects.get()
    assert subscription.citation.citation_number == UPCOMING
    page.screenshot(path="/tmp/stl-reminders-es.png", full_page=True)  # noqa: S108

    # The choice sticks: the ticket again, then home by the menu, still in Spanish.
    page.get_by_role("link", name="Volver a su multa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Encontramos 1 multa")
    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Inicio").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("What you can do here")
    page.get_by_role("link", name="Find my ticket").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find my ticket")
    assert stl_site.foreign_requests() == []


def test_the_language_switcher_works_without_javascript_and_comes_back_to_the_page(stl_site: Site) -> None:
    page = stl_site.page(javascript=False, width=PHONE)
    page.goto(stl_site.url + "/privacy/")
    page.get_by_role("button", name="Español").click()
    expect(page).to_have_url(stl_site.url + "/privacy/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacidad")
    expect(page.get_by_role("button", name="English")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy")
