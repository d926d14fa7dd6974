"""A fourth app reaches the core through its one registration and no edit of the core: its
service on the home page, its links, its waiting work on the staff home, its demo files in the
demo loader, its figures on the impact pages, its answers to texts and its privacy section."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.html import format_html

from cities import registry
from cities.models import City, Grant
from cities.registry import (
    AppDemo,
    CityLink,
    DemoFile,
    ImpactFigure,
    NavLink,
    PortalApp,
    ResidentService,
    WaitingWork,
    portal_app_register,
)
from cities.services import app_demo_data_load
from cities.sms_inbound import sms_reply

pytestmark = pytest.mark.django_db

LABEL = "admin"  # any installed app stands in: the registry needs its verbose name only


@pytest.fixture
def fourth_app(tmp_path: Path, monkeypatch):
    """A new app serving Seattle (a learning partner), registered as `AppConfig.ready` would
    (into a copy of the registry, which the test's end puts back)."""
    monkeypatch.setattr(registry, "_portal_apps", dict(registry._portal_apps))
    (tmp_path / "grants.csv").write_text(
        "reference,funder,city,amount,purpose,starts_on,ends_on\n"
        "seattle-pilot,living-cities,seattle,1234.00,A fourth app's pilot,2026-01-01,2026-12-31\n"
    )
    done_after_files = []
    app = PortalApp(
        label=LABEL,
        city_slug="seattle",
        home_url_name="cities:dataset-list",
        resident_services=(
            ResidentService(
                title="Seattle pilot service",
                summary="Something a Seattle resident can do.",
                url_name="cities:privacy",
                order=5,
            ),
        ),
        impact=lambda: [ImpactFigure("pilots", "Pilot residents served", 4, counts_people=True)],
        waiting_work=(
            WaitingWork(
                label="Seattle pilots to review",
                permission="cities.view_city",
                changelist="admin:cities_city_changelist",
                count=lambda: 3,
            ),
        ),
        demo=AppDemo(
            order=99,
            files=lambda data_dir: [
                DemoFile(
                    dataset="seattle-pilot-grants", schema="cities.grants", path=tmp_path / "grants.csv", title="Pilot"
                )
            ],
            after=lambda: done_after_files.append(Grant.objects.filter(reference="seattle-pilot").exists()),
        ),
        sms_reply_handler=lambda number, body: "Seattle pilot here" if body.strip() == "PILOT" else None,
        nav_links=(NavLink("Pilot", "cities:dataset-list"),),
        city_links=(CityLink("{city}'s pilot", "cities:city-detail"),),
        privacy_section=lambda: format_html("<h2>{}</h2>", "Seattle pilot"),
    )
    portal_app_register(app)
    return done_after_files


def test_a_fourth_app_appears_on_the_public_pages(client, demo_data, fourth_app) -> None:
    home = client.get("/").content.decode()
    services = home[: home.index('id="collaborative"')]
    assert re.findall(r'<h2 class="card__title"><a href="([^"]+)">([^<]+)</a></h2>', services)[0] == (
        "/privacy/",
        "Seattle pilot service",
    )
    assert "Seattle, WA" in services
    assert '<a href="/datasets/">Pilot</a>' in home

    seattle = client.get("/cities/seattle/").content.decode()
    assert '<a href="/cities/seattle/">Seattle&#x27;s pilot</a>' in seattle
    assert 'In the portal: <a href="/datasets/">' in seattle
    # A city the new app serves is no longer told what it could adopt.
    assert "can adopt from the core cities" not in seattle

    impact = client.get(reverse("collaborative:city-impact", args=["seattle"])).content.decode()
    assert "Pilot residents served" in impact and "fewer than 10" in impact

    assert "<h2>Seattle pilot</h2>" in client.get("/privacy/").content.decode()


def test_a_fourth_app_s_waiting_work_is_on_the_staff_home(admin_client, fourth_app) -> None:
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert re.search(r'<a href="/admin/cities/city/">Seattle pilots to review</a></th>\s*<td>3</td>', page)


def test_the_demo_loader_loads_a_fourth_app_s_files_then_its_after_step(demo_data, fourth_app, settings) -> None:
    runs = app_demo_data_load(data_dir=settings.CIVIC_DATA_DIR, labels={LABEL})

    assert [run.dataset.slug for run in runs] == ["seattle-pilot-grants"]
    assert Grant.objects.get(reference="seattle-pilot").city == City.objects.get(slug="seattle")
    assert fourth_app == [True]


def test_a_fourth_app_answers_the_texts_it_recognises(fourth_app) -> None:
    assert sms_reply(from_number="+13145550100", body="PILOT") == "Seattle pilot here"


def test_a_second_app_for_a_served_city_is_refused(monkeypatch) -> None:
    monkeypatch.setattr(registry, "_portal_apps", dict(registry._portal_apps))
    with pytest.raises(ValueError, match="boston is already served by youthjobs"):
        portal_app_register(PortalApp(label="another", city_slug="boston"))
