"""axe-core (from npm) on the main resident pages of the core and the three cities, in
English and in Spanish: no moderate, serious or critical violation.

The language is switched as a resident switches it, with the visible switcher on `/`; the
other pages are then opened by address in the same browser profile, where the choice sticks.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from cities.services import app_demo_data_load
from collaborative.models import Lesson
from courts.models import Court
from housing.models import Project
from tests.browser.conftest import Site
from youthjobs.models import MatchRun, Season
from youthjobs.placements import match_run_approve
from youthjobs.services import match_run_execute, synthetic_data_load

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"moderate", "serious", "critical"}
FIND = "/cities/st-louis/courts/find-my-ticket/"
# A citation of the published GlobalHack sample (made-up people): one charge with a warrant.
CITATION, BORN = "104114023", "1959-09-18"
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.slice(0, 4).map((node) => node.target.join(" ")),
  }));
}"""


@pytest.fixture
def whole_site(site: Site) -> Site:
    app_demo_data_load(data_dir=settings.CIVIC_DATA_DIR, labels={"courts", "housing", "collaborative"})
    synthetic_data_load(youth=150, seed=3, data_dir=settings.CIVIC_DATA_DIR)
    run = match_run_execute(run_id=MatchRun.objects.create(season=Season.objects.get(), mechanism="optimal", seed=1).pk)
    match_run_approve(run=run, approved_by=None)
    return site


def axe_page(site: Site) -> Page:
    """A tab whose context lets the test inject axe. The portal's Content-Security-Policy
    (rightly) refuses inline scripts, and Playwright injects a file as an inline script, so
    this context alone bypasses the CSP; the pages' own scripts run as they do for anyone."""
    context = site.browser.new_context(bypass_csp=True, viewport={"width": 1366, "height": 900})
    site.contexts.append(context)
    return context.new_page()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE)
    return violations


def resident_pages(site: Site) -> dict[str, str]:
    project = Project.objects.order_by("nlihc_id").first()
    lesson = Lesson.objects.order_by("pk").first()
    court = Court.objects.get(name="Richmond Heights Court")
    assert project is not None and lesson is not None
    return {
        "home": "/",
        "privacy": "/privacy/",
        "St. Louis courts dashboard": "/cities/st-louis/courts/",
        "find my ticket": FIND,
        "court page": court.get_absolute_url(),
        "court list": "/cities/st-louis/courts/courts/",
        "DC dashboard and project list": "/cities/washington-dc/housing/",
        "DC project": f"/cities/washington-dc/housing/projects/{project.nlihc_id}/",
        "Boston dashboard": "/cities/boston/summer-jobs/",
        "Boston open positions": "/cities/boston/summer-jobs/positions/",
        "impact": "/impact/",
        "lessons": "/lessons/",
        "lesson": lesson.get_absolute_url(),
        "adopt": "/adopt/",
        "San Antonio's ecosystem": "/cities/san-antonio/ecosystem/",
        "Boston's learning": "/cities/boston/learning/",
        "datasets": "/datasets/",
    }


def _ticket_found(page: Page, site: Site, *, label: str, born: str, button: str) -> None:
    page.goto(site.url + FIND)
    form = page.locator("section.lookup-form").first
    form.get_by_label(label).fill(CITATION)
    form.locator("input[type=date]").fill(born)
    form.get_by_role("button", name=button).click()
    expect(page.locator("article.ticket")).to_be_visible()


def _described(violation: dict[str, Any]) -> str:
    return f"{violation['id']} ({violation['impact']}): {violation['help']} at {violation['nodes']}"


def _report(language: str, found: dict[str, list[dict[str, Any]]]) -> str:
    lines = []
    for name, violations in found.items():
        summary = ", ".join(f"{violation['id']} ({violation['impact']})" for violation in violations) or "none"
        lines.append(f"  [{language}] {name}: {len(violations)} violation(s): {summary}")
        lines += [_described(violation) for violation in violations if violation["impact"] in BLOCKING]
    return "\n".join(lines)


def test_axe_finds_no_moderate_or_worse_violation_on_resident_pages_in_english_and_spanish(whole_site: Site) -> None:
    page = axe_page(whole_site)
    pages = resident_pages(whole_site)
    blocking: list[str] = []
    for language, switch in (("en", None), ("es", "Español")):
        page.goto(whole_site.url + "/")
        if switch is not None:
            page.get_by_role("button", name=switch).click()
        expect(page.locator("html")).to_have_attribute("lang", language)
        found: dict[str, list[dict[str, Any]]] = {}
        for name, path in pages.items():
            page.goto(whole_site.url + path)
            expect(page.locator("html")).to_have_attribute("lang", language)
            found[name] = axe_violations(page)
        if language == "en":
            _ticket_found(page, whole_site, label="Citation (ticket) number", born=BORN, button="Find my ticket")
        else:
            _ticket_found(page, whole_site, label="Número de citación (multa)", born=BORN, button="Buscar mi multa")
        found["ticket result"] = axe_violations(page)
        # The per-page figures, for the record (pytest -s shows them).
        print(_report(language, found))
        blocking += [
            f"[{language}] {name}: {_described(violation)}"
            for name, violations in found.items()
            for violation in violations
            if violation["impact"] in BLOCKING
        ]
    assert not blocking, "axe-core found moderate, serious or critical violations:\n" + "\n".join(blocking)
    assert re.match(r"^[a-z]{2}$", page.evaluate("document.documentElement.lang"))
