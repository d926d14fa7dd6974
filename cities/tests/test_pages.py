"""The core's public pages, read through Django's test client as a resident reads them."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.http import HttpResponse
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from cities import ingestion
from cities.ingestion import DATE, Column, DatasetSchema, ingest_path
from cities.models import City, Dataset, Grant, Organization
from cities.services import demo_data_load

pytestmark = pytest.mark.django_db

CORE_CITIES = ["Boston", "St. Louis", "Washington"]
LEARNING_PARTNERS = ["Cleveland", "Pittsburgh", "San Antonio", "Seattle"]


class _TextReader(HTMLParser):
    """Collects the text a person reads: block elements and table cells apart, inline ones run on."""

    BLOCKS = frozenset(
        {"p", "li", "dt", "dd", "td", "th", "tr", "caption", "summary", "h1", "h2", "h3", "h4", "div"}
        | {"section", "header", "footer", "nav", "main", "ul", "ol", "dl", "table"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "title"):
            self.hidden += 1
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title"):
            self.hidden -= 1
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def text_of(html: str) -> str:
    reader = _TextReader()
    reader.feed(html)
    return " ".join("".join(reader.parts).split())


def seen(response: HttpResponse) -> str:
    """The page's text as a person reads it, whitespace collapsed."""
    return text_of(response.content.decode())


def section(response: HttpResponse, heading_id: str) -> str:
    """The text of one <section> of a page, found by the id of its heading."""
    html = response.content.decode()
    match = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', html, re.DOTALL)
    assert match, f"the page has no section headed #{heading_id}"
    return text_of(match.group(1))


# ---------------------------------------------------------------- the layout


def test_every_page_has_the_portal_header_skip_link_and_main_landmark(client, demo_data) -> None:
    response = client.get("/datasets/")

    assertContains(response, '<a class="skip-link" href="#main">Skip to main content</a>', html=True)
    assertContains(response, '<main id="main"', count=1)
    assertContains(response, '<a href="/">Home</a>', html=True)
    assertContains(response, '<a href="/datasets/" aria-current="page">Datasets</a>', html=True)
    assertContains(response, "<footer", count=1)


def test_pages_load_nothing_from_another_site(client, demo_data) -> None:
    for url in ("/", "/cities/boston/", "/datasets/", "/datasets/grants/"):
        html = client.get(url).content.decode()
        loaded = re.findall(r'<(?:script|img|iframe)[^>]*\bsrc="([^"]+)"', html)
        loaded += re.findall(r'<link[^>]*\bhref="([^"]+)"', html)
        assert loaded, url
        # Static files, and Django's JavaScript catalogue of the page's language: both ours.
        ours = [address for address in loaded if address.startswith("/static/") or address == "/jsi18n/"]
        assert ours == loaded, (url, loaded)


# ---------------------------------------------------------------- home


def test_home_says_what_the_collaborative_is(client, demo_data) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assertTemplateUsed(response, "cities/home.html")
    text = seen(response)
    assert "The Civic Tech and Data Collaborative" in text
    assert (
        "City governments, civic-tech volunteer groups, local data intermediaries, universities and a national "
        "funder working together, across sectors" in text
    )
    assert "3 core cities" in text
    assert "4 learning partners" in text


def test_home_leads_with_what_a_resident_can_do_in_each_city_one_click_away(client, demo_data) -> None:
    response = client.get("/")

    html = response.content.decode()
    services = html[: html.index('id="collaborative"')]
    links = re.findall(r'<h2 class="card__title"><a href="([^"]+)">([^<]+)</a></h2>', services)
    assert links == [
        ("/cities/st-louis/courts/find-my-ticket/", "Find my ticket"),
        ("/cities/washington-dc/housing/", "DC affordable housing"),
        ("/cities/boston/summer-jobs/", "Boston summer jobs"),
    ]
    text = text_of(services)
    assert "what you owe and when your court date is" in text
    assert "when their subsidies end" in text
    assert "check your own offer" in text
    for address, _ in links:
        assert client.get(address).status_code == 200


@pytest.mark.parametrize("address", ["/", "/datasets/", "/privacy/", "/cities/boston/"])
def test_every_footer_links_the_privacy_page_and_the_partners_api(client, demo_data, address: str) -> None:
    html = client.get(address).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]

    assert '<a href="/privacy/">Privacy: what we keep and how to be forgotten</a>' in footer
    assert '<a href="/api/docs/">Open data API for partners and developers</a>' in footer
    assert re.search(r'<link rel="icon" href="/static/favicon[^"]*\.svg"', html)


def test_privacy_page_says_what_is_kept_how_long_who_sees_it_and_how_to_be_forgotten(client, settings) -> None:
    settings.PRIVACY_CONTACT_EMAIL = "privacy@portal.example.org"

    response = client.get("/privacy/")

    assert response.status_code == 200
    text = seen(response)
    for heading in ("Court date reminders (St. Louis)", "Who sees it", "How to be forgotten"):
        assert heading in text
    assert "until your court date has passed; then we delete them" in text
    assert f"for {settings.COURTS_LOOKUP_WINDOW_SECONDS // 60} minutes" in text
    assert '<a href="mailto:privacy@portal.example.org">privacy@portal.example.org</a>' in response.content.decode()


def test_the_favicon_is_a_static_file(client) -> None:
    response = client.get("/static/favicon.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"


def test_home_splits_the_cities_into_core_cities_and_learning_partners_with_their_focus(client, demo_data) -> None:
    response = client.get("/")

    core = section(response, "core-cities")
    learning = section(response, "learning-partners")
    for name in CORE_CITIES:
        assert name in core
        assert name not in learning
    for name in LEARNING_PARTNERS:
        assert name in learning
        assert name not in core
    assert "Matching young people to summer jobs" in core
    assert "Helping residents navigate the municipal courts" in core
    assert "Preserving affordable housing" in core
    assert "Learning from the core cities' civic tech and data work" in learning


def test_home_shows_grant_totals_per_city_and_overall(client, demo_data) -> None:
    response = client.get("/")

    grants = section(response, "grants")
    assert "The collaborative's cities have received $640,000 in 7 grants." in grants
    assertContains(
        response,
        '<tr data-group="Core cities"><th scope="row"><a href="/cities/boston/">Boston</a></th>'
        '<td class="num">1</td><td class="num" data-value="200000">$200,000</td></tr>',
        html=True,
    )
    assertContains(
        response,
        '<tr data-group="Learning partners"><th scope="row"><a href="/cities/seattle/">Seattle</a></th>'
        '<td class="num">1</td><td class="num" data-value="10000">$10,000</td></tr>',
        html=True,
    )
    assert "All cities 7 $640,000" in grants


def test_home_grant_totals_follow_the_grant_rows(client, demo_data) -> None:
    Grant.objects.create(
        reference="test-boston-extra",
        funder=Organization.objects.get(slug="bny-mellon"),
        city=City.objects.get(slug="boston"),
        amount=Decimal("25000.00"),
        purpose="Local support",
        starts_on=date(2017, 1, 1),
        ends_on=date(2017, 12, 31),
    )

    response = client.get("/")

    assert "$665,000 in 8 grants" in section(response, "grants")
    assertContains(response, 'data-value="225000">$225,000</td>')


def test_home_chart_reads_the_grants_table_and_chart_js_is_served_locally(client, demo_data) -> None:
    response = client.get("/")

    assertContains(response, 'data-chart-for="grants-by-city"')
    assertContains(response, '<table id="grants-by-city"')
    assertContains(response, 'src="/static/vendor/chart.js/chart.umd.min.js"')
    assertContains(response, 'src="/static/js/table-chart.js"')


# ---------------------------------------------------------------- a city


def test_city_page_shows_description_focus_and_role(client, demo_data) -> None:
    response = client.get("/cities/boston/")

    assert response.status_code == 200
    assertTemplateUsed(response, "cities/city_detail.html")
    text = seen(response)
    assert "Boston, MA" in text
    assert "Core city" in text
    assert "Matching young people to summer jobs" in text
    assert "places about 8,000 young people in summer jobs each year" in text


def test_city_page_groups_partners_by_kind_of_organisation_with_role_and_contribution(client, demo_data) -> None:
    partners = section(client.get("/cities/boston/"), "partners")

    kinds = ["Government agency", "Civic-tech group", "Data intermediary", "University", "Funder"]
    positions = [partners.index(kind) for kind in kinds]
    assert positions == sorted(positions), "groups follow the order of Organization.Kind"
    government = partners[partners.index("Government agency") : partners.index("Civic-tech group")]
    assert "Department of Youth Engagement and Employment Program owner Runs the summer jobs programme" in government
    assert "Code for Boston Technology partner Volunteer developers" in partners
    assert "Living Cities Funder Grant funding and convening of the collaborative" in partners
    assert "Rise" not in partners, "only the city's own partners"


def test_city_page_lists_its_grants_with_their_total(client, demo_data) -> None:
    grants = section(client.get("/cities/st-louis/"), "grants")

    assert "Living Cities" in grants
    assert "Civic Tech and Data Collaborative: core city grant" in grants
    assert "Oct 2016 to Mar 2018" in grants
    assert "Total $200,000" in grants


def test_city_page_links_its_datasets_to_their_pages(client, demo_data) -> None:
    response = client.get("/cities/washington-dc/")

    datasets = section(response, "datasets")
    assert "DC Preservation Catalog: projects" in datasets
    assert "Municipal court citations" not in datasets
    assertContains(response, 'href="/datasets/dc-preservation-catalog-projects/"')
    assertContains(response, 'href="/datasets/?city=washington-dc"')


@pytest.mark.parametrize(
    ("city", "link"),
    [
        ("boston", '<a href="/cities/boston/summer-jobs/">Boston summer jobs</a>'),
        ("st-louis", '<a href="/cities/st-louis/courts/">St. Louis municipal courts</a>'),
        ("washington-dc", '<a href="/cities/washington-dc/housing/">Washington DC affordable housing</a>'),
    ],
)
def test_a_core_city_page_links_its_app(client, demo_data, city, link) -> None:
    assertContains(client.get(f"/cities/{city}/"), link, html=True)


def test_learning_partner_page_has_no_app_and_no_datasets(client, demo_data) -> None:
    response = client.get("/cities/cleveland/")

    text = seen(response)
    assert "Learning partner" in text
    assert "In the portal" not in text
    assert "Cleveland has no datasets in the catalogue yet." in text
    assert "Total $10,000" in text


def test_unknown_city_is_a_friendly_404(client, demo_data) -> None:
    response = client.get("/cities/atlantis/")

    assert response.status_code == 404
    assertTemplateUsed(response, "404.html")
    assertContains(response, "We can't find that page", status_code=404)
    assertContains(response, '<a class="skip-link" href="#main">', status_code=404)


# ---------------------------------------------------------------- the catalogue


def test_catalogue_lists_every_dataset_with_its_provenance(client, demo_data) -> None:
    response = client.get("/datasets/")

    assert response.status_code == 200
    text = seen(response)
    assert f"{Dataset.objects.count()} datasets" in text
    for dataset in Dataset.objects.all():
        assertContains(response, f'href="{dataset.get_absolute_url()}"')
    citations = text[text.index("Municipal court citations") : text.index("Municipal judges")]
    assert "City St. Louis" in citations
    assert "Publisher Open Data STL" in citations
    assert "Updated Published once" in citations
    assert "Personal data Yes" in citations
    assert "MIT (license.txt" in citations
    assert "No file ingested yet" in citations
    transit = text[text.index("Metro rail stations and bus stops") :]
    assert "Catalogued only" in transit[: transit.index("Latest ingestion") + 40]


def test_catalogue_shows_the_collaborative_and_the_latest_ingestion(client, demo_data) -> None:
    text = seen(client.get("/datasets/"))

    grants = text[text.index("Grants to the cities") :]
    assert grants.startswith("Grants to the cities City The collaborative Publisher Living Cities")
    assert "Latest ingestion Succeeded" in grants[:400]


def test_catalogue_filters_by_city_with_a_plain_form(client, demo_data) -> None:
    response = client.get("/datasets/", {"city": "st-louis"})

    assertContains(response, '<form class="filter" method="get" action="/datasets/"')
    assertContains(response, '<option value="st-louis" selected>St. Louis</option>', html=True)
    text = seen(response)
    expected = Dataset.objects.filter(city__slug="st-louis").count()
    assert f"{expected} datasets of St. Louis" in text
    assert "Municipal court citations" in text
    assert "DC Preservation Catalog" not in text
    assert "The dataset catalogue" not in text


def test_catalogue_ignores_an_unknown_city(client, demo_data) -> None:
    response = client.get("/datasets/", {"city": "atlantis"})

    assert response.status_code == 200
    assert f"{Dataset.objects.count()} datasets" in seen(response)


# ---------------------------------------------------------------- a dataset


def test_dataset_page_shows_provenance_and_file_format(client, demo_data) -> None:
    response = client.get("/datasets/grants/")

    assert response.status_code == 200
    provenance = section(response, "provenance")
    assert "Source Civic Portal demo data (cities/demo/grants.csv)" in provenance
    assert "Licence CC0 1.0" in provenance
    assert "Publisher Living Cities" in provenance
    assert "Updated Irregularly" in provenance
    assert "Personal data No" in provenance
    file_format = section(response, "file-format")
    assert "reference text yes yes" in file_format
    assert "funder organisation (slug) yes no" in file_format
    assert "starts_on date (YYYY-MM-DD) yes no" in file_format


def test_catalogued_dataset_page_links_its_source_and_says_it_is_not_ingested(client, demo_data) -> None:
    response = client.get("/datasets/dc-transit-stops/")

    provenance = section(response, "provenance")
    assert "focusconsulting/housing-insights:scripts/wmata_data/wmatainfo.csv @ fb9bae51" in provenance
    assertContains(response, '<a class="wrap-anywhere" href="https://github.com/focusconsulting/housing-insights">')
    assert "does not take in its files yet" in section(response, "file-format")
    assert "No file of this dataset has been taken in yet." in section(response, "history")


def test_dataset_page_shows_the_ingestion_history_newest_first(client, demo_data) -> None:
    demo_data_load()

    history = section(client.get("/datasets/grants/"), "history")

    assert "Every file offered to this dataset, newest first." in history
    runs = re.findall(r"grants\.csv [0-9a-f]{12} Succeeded (\d+) (\d+) (\d+) (\d+) (\d+)", history)
    assert runs == [("7", "0", "0", "7", "0"), ("7", "7", "0", "0", "0")]


def test_dataset_page_lists_the_rows_a_failed_run_refused(client, demo_data, tmp_path: Path) -> None:
    offered = tmp_path / "grants-2019.csv"
    offered.write_text(
        "reference,funder,city,amount,purpose,starts_on,ends_on\n"
        "ctdc-2019-boston,living-cities,boston,lots,Second round,2019-01-01,2019-12-31\n"
        "ctdc-2019-atlantis,living-cities,atlantis,1000.00,Second round,2019-01-01,2019-12-31\n"
    )
    ingest_path(dataset=Dataset.objects.get(slug="grants"), path=offered)

    history = section(client.get("/datasets/grants/"), "history")

    assert "grants-2019.csv" in history
    assert "Failed see why 2 0 0 0 2" in history
    assert re.search(r"Why grants-2019\.csv was refused \(\d+ \w+ \d{4}, \d\d:\d\d\): 2 problems", history)
    assert "Row 2, column amount: 'lots' is not a number with at most 2 decimal places" in history
    assert "Row 3, column city: 'atlantis' is not a known city" in history


def test_dataset_page_never_shows_the_personal_values_of_a_refused_file(
    client, demo_data, monkeypatch, tmp_path: Path
) -> None:
    class ResidentsSchema(DatasetSchema):
        # A file of people, as the court and youth apps will offer; every file this test
        # offers is refused, so nothing is ever written to the model.
        slug = "tests.residents"
        model = City
        key = ("licence_number",)
        columns = (
            Column("licence_number", personal=True),
            Column("last_name", personal=True, choices=("Doe",)),
            Column("date_of_birth", kind=DATE, personal=True),
        )

    monkeypatch.setitem(ingestion._schemas, ResidentsSchema.slug, ResidentsSchema)
    dataset = Dataset.objects.create(
        slug="test-residents",
        title="Residents",
        source="tests",
        schema=ResidentsSchema.slug,
        contains_personal_data=True,
    )
    offered = tmp_path / "residents.csv"
    offered.write_text(
        "licence_number,last_name,date_of_birth\nS530-4417-7719,Quixley-Marsh,31/01/1990\nS530-4417-7719,Doe,1991-02-02\n"
    )
    ingest_path(dataset=dataset, path=offered)

    response = client.get("/datasets/test-residents/")

    history = section(response, "history")
    assert "Row 2, column date_of_birth: the value is not a date written like 2016-09-30" in history
    assert "Row 2, column last_name: the value is not one of Doe" in history
    assert "Row 3, column licence_number: this row's key is already on row 2" in history
    for personal_value in ("S530-4417-7719", "Quixley-Marsh", "31/01/1990", "1991-02-02"):
        assertNotContains(response, personal_value)
        assertNotContains(client.get("/datasets/"), personal_value)


def test_unknown_dataset_is_a_friendly_404(client, demo_data) -> None:
    response = client.get("/datasets/no-such-data/")

    assert response.status_code == 404
    assertContains(response, "We can't find that page", status_code=404)
    assertContains(response, 'href="/datasets/"', status_code=404)


# ---------------------------------------------------------------- queries


def test_pages_make_a_fixed_number_of_queries_whatever_the_number_of_rows(
    client, demo_data, django_assert_max_num_queries
) -> None:
    # Twice as many ingestion runs, and dozens of partners, grants and datasets: a page
    # that queried per row would far exceed these limits.
    demo_data_load()

    with django_assert_max_num_queries(2):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/cities/boston/").status_code == 200
    # The catalogue: its cities, its datasets, their latest runs and their current versions.
    with django_assert_max_num_queries(4):
        assert client.get("/datasets/").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/datasets/", {"city": "boston"}).status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get("/datasets/grants/").status_code == 200


@pytest.mark.parametrize(
    "address", ["/", "/datasets/", "/admin/login/", "/api/v1/cities/", "/api/docs/", "/api/schema/", "/healthz/"]
)
def test_every_response_carries_a_content_security_policy_without_inline_script(client, address: str) -> None:
    response = client.get(address)

    directives = dict(part.strip().partition(" ")[::2] for part in response["Content-Security-Policy"].split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in directives["style-src"]


def test_api_docs_start_swagger_ui_from_a_script_file(client) -> None:
    page = client.get("/api/docs/").content.decode()

    assert re.findall(r"<script>", page) == []
    assert "<style>" not in page
    script = client.get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert b"/api/schema/" in script.content
