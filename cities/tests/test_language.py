"""English and Spanish, read through Django's test client: how a page's language is chosen,
that it is stated (`lang`, Content-Language) and that no cache can mix the two."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from courts.guidance import CourtFacts, court_guidance

pytestmark = pytest.mark.django_db


def test_a_browser_asking_for_spanish_gets_the_page_in_spanish_and_told_so(client) -> None:
    response = client.get("/privacy/", headers={"accept-language": "es-US,es;q=0.9,en;q=0.5"})
    assertContains(response, '<html lang="es">')
    assertContains(response, "<h1>Privacidad</h1>", html=False)
    assert response["Content-Language"] == "es"


def test_english_is_the_default(client) -> None:
    response = client.get("/privacy/", headers={"accept-language": "fr"})
    assertContains(response, '<html lang="en">')
    assertContains(response, "<h1>Privacy</h1>", html=False)


def test_the_switcher_keeps_the_choice_and_comes_back_to_the_page(client) -> None:
    page = client.get("/privacy/")
    assertContains(page, 'name="next" value="/privacy/"')
    assertContains(
        page, '<button type="submit" class="language-switcher__choice" name="language" value="es" lang="es">'
    )

    switched = client.post(reverse("set_language"), {"language": "es", "next": "/privacy/"})

    assert switched.status_code == 302 and switched["Location"] == "/privacy/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    # The choice outweighs the browser's own preference, page after page.
    later = client.get("/", headers={"accept-language": "en"})
    assertContains(later, '<html lang="es">')
    assertContains(later, "Lo que puede hacer aquí")
    assertContains(later, 'aria-current="true">Español</span>')


def test_a_switch_never_leaves_the_site(client) -> None:
    switched = client.post(reverse("set_language"), {"language": "es", "next": "https://example.org/"})
    assert switched.status_code == 302 and switched["Location"] == "/"


def test_pages_vary_by_language_so_no_cache_serves_one_language_for_another(client) -> None:
    """The language comes from the cookie or Accept-Language: every page says it varies on both."""
    for address in ("/", "/privacy/", "/cities/st-louis/courts/find-my-ticket/"):
        response = client.get(address)
        vary = {header.strip().lower() for header in response["Vary"].split(",")}
        assert {"accept-language", "cookie"} <= vary, (address, response["Vary"])


def test_the_scripts_catalogue_is_in_the_page_language(client) -> None:
    response = client.get(reverse("javascript-catalog"), headers={"accept-language": "es"})
    assertContains(response, "menos de 10 citaciones")
    english = client.get(reverse("javascript-catalog"), headers={"accept-language": "en"})
    assertNotContains(english, "citaciones")


def test_a_courts_guidance_is_in_the_active_language() -> None:
    facts = CourtFacts(court_name="Ballwin Court", court_phone="636-227-8580", court_address="1 Government Ctr")
    with translation.override("es"):
        steps = court_guidance(facts)
    assert [step.title for step in steps][:2] == ["Pague o hable con la corte en persona", "Vaya a la corte"]
    assert "Llame a Ballwin Court al 636-227-8580" in steps[0].text
    with translation.override("en"):
        assert court_guidance(facts)[0].title == "Pay or talk to the court in person"
