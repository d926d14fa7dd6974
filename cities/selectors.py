"""Reads of the core for the public pages: each page's rows in a fixed, small number of queries.

Selectors raise the model's `DoesNotExist` for an unknown slug; the view decides it is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import TypedDict

from django.apps import apps
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from cities.ingestion import registered_schemas
from cities.models import City, Dataset, Grant, IngestionRun, Organization, Partnership
from cities.registry import city_app_for, portal_apps

INGESTION_HISTORY_LENGTH = 20


@dataclass(frozen=True)
class ResidentService:
    """What a resident can do in one of the core cities' apps, for the home page."""

    title: str
    city: str
    summary: str
    url: str


@dataclass(frozen=True)
class CollaborativeOverview:
    core_cities: list[City]
    learning_partners: list[City]
    grant_total: Decimal
    grant_count: int
    resident_services: list[ResidentService]

    @property
    def groups(self) -> list[tuple[str, str, list[City]]]:
        """(anchor, heading, cities) for each role."""
        return [
            ("core-cities", str(_("Core cities")), self.core_cities),
            ("learning-partners", str(_("Learning partners")), self.learning_partners),
        ]


@dataclass(frozen=True)
class PartnerGroup:
    kind_label: str
    partnerships: list[Partnership]


@dataclass(frozen=True)
class CityApp:
    name: str
    url: str


@dataclass(frozen=True)
class PageLink:
    text: str
    url: str


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    text: str
    url: str


@dataclass(frozen=True)
class CityProfile:
    city: City
    partner_groups: list[PartnerGroup]
    grants: list[Grant]
    datasets: list[Dataset]
    app: CityApp | None
    links: list[PageLink]


@dataclass(frozen=True)
class DatasetCatalogue:
    cities: list[City]
    selected_city: City | None
    datasets: list[Dataset]


@dataclass(frozen=True)
class DatasetProfile:
    dataset: Dataset
    file_format: list[dict[str, str]] | None
    runs: list[IngestionRun]
    run_count: int


def collaborative_overview() -> CollaborativeOverview:
    """Every city with its grant total and count (`grant_total`, `grant_count`), split by role,
    the collaborative's total over all grants, and what residents can do in the portal."""
    cities = list(City.objects.with_grant_totals().order_by("name"))
    grant_total, grant_count = Grant.objects.summary()
    return CollaborativeOverview(
        core_cities=[city for city in cities if city.role == City.Role.CORE],
        learning_partners=[city for city in cities if city.role == City.Role.LEARNING],
        grant_total=grant_total,
        grant_count=grant_count,
        resident_services=resident_services(cities),
    )


def resident_services(cities: list[City]) -> list[ResidentService]:
    """What residents can do in the registered apps (each under its city), in the apps' order."""
    places = {city.slug: f"{city.name}, {city.state}" for city in cities}
    offered = [(app, service) for app in portal_apps() for service in app.resident_services]
    return [
        ResidentService(
            # In the language of the request being answered.
            title=str(service.title),
            city=places.get(app.city_slug or "", ""),
            summary=str(service.summary),
            url=reverse(service.url_name),
        )
        for app, service in sorted(offered, key=lambda entry: entry[1].order)
    ]


def city_app(city: City) -> CityApp | None:
    """The portal app serving a city and its home page; None for a learning partner."""
    registration = city_app_for(city.slug)
    if registration is None or registration.home_url_name is None:
        return None
    return CityApp(
        name=str(apps.get_app_config(registration.label).verbose_name), url=reverse(registration.home_url_name)
    )


def city_profile(*, slug: str) -> CityProfile:
    """A city with its grant total, its partners grouped by kind of organisation (in the
    order of `Organization.Kind`), its grants, its datasets and its portal app."""
    city = (
        City.objects.with_grant_totals()
        .prefetch_related(
            Prefetch(
                "partnerships",
                queryset=Partnership.objects.select_related("organization").order_by("organization__name"),
            ),
            Prefetch("grants", queryset=Grant.objects.select_related("funder").order_by("starts_on", "reference")),
            Prefetch("datasets", queryset=Dataset.objects.select_related("publisher").order_by("title")),
        )
        .get(slug=slug)
    )
    by_kind: dict[str, list[Partnership]] = {kind: [] for kind in Organization.Kind.values}
    for partnership in city.partnerships.all():
        by_kind[partnership.organization.kind].append(partnership)
    app = city_app(city)
    return CityProfile(
        city=city,
        partner_groups=[
            PartnerGroup(kind_label=Organization.Kind(kind).label, partnerships=partnerships)
            for kind, partnerships in by_kind.items()
            if partnerships
        ],
        grants=list(city.grants.all()),
        datasets=list(city.datasets.all()),
        app=app,
        links=city_links(city, served=app is not None),
    )


def city_links(city: City, *, served: bool) -> list[PageLink]:
    """The links the registered apps add to a city's page (`served`: an app serves the city)."""
    return [
        PageLink(
            text=str(link.text).format(city=city.name),
            url=reverse(link.url_name, args=[city.slug] if link.with_slug else []),
        )
        for app in portal_apps()
        for link in app.city_links
        if not (link.only_without_app and served)
    ]


def privacy_sections() -> list[SafeString]:
    """Each registered app's section of the privacy page (rendered HTML), in the apps' order."""
    return [app.privacy_section() for app in portal_apps() if app.privacy_section is not None]


def nav_links() -> list[NavEntry]:
    """The registered apps' links in the site's main navigation, after Home."""
    return [
        NavEntry(url_name=link.url_name, text=str(link.text), url=reverse(link.url_name))
        for app in portal_apps()
        for link in app.nav_links
    ]


def dataset_catalogue(*, city_slug: str | None = None) -> DatasetCatalogue:
    """Every dataset, or a city's when `city_slug` names one (an unknown slug filters nothing),
    each with `latest_runs`: a list holding its latest ingestion run, if it has one."""
    cities = list(City.objects.order_by("name"))
    selected_city = next((city for city in cities if city.slug == city_slug), None)
    datasets = dataset_list()
    if selected_city is not None:
        datasets = datasets.filter(city=selected_city)
    return DatasetCatalogue(cities=cities, selected_city=selected_city, datasets=list(datasets.order_by("title")))


def dataset_profile(*, slug: str) -> DatasetProfile:
    """A dataset with its provenance, the file format of its schema (None when the portal
    only catalogues it) and its latest ingestion runs, newest first."""
    dataset = Dataset.objects.select_related("city", "publisher").get(slug=slug)
    schema = registered_schemas().get(dataset.schema) if dataset.schema else None
    runs = dataset.ingestion_runs.order_by("-created_at", "-id")
    return DatasetProfile(
        dataset=dataset,
        file_format=schema.documentation() if schema is not None else None,
        runs=list(runs[:INGESTION_HISTORY_LENGTH]),
        run_count=runs.count(),
    )


# ---------------------------------------------------------------- the API's lists
# Querysets rather than lists: the API filters, orders and pages them in the database, and
# each serialised row reads only what these select or prefetch.


def city_list() -> QuerySet[City]:
    """Cities with `grant_total` and `grant_count`."""
    return City.objects.with_grant_totals()


def organization_list() -> QuerySet[Organization]:
    return Organization.objects.select_related("home_city")


def partnership_list() -> QuerySet[Partnership]:
    return Partnership.objects.select_related("organization", "city")


def grant_list() -> QuerySet[Grant]:
    return Grant.objects.select_related("funder", "city")


class LatestRuns(TypedDict):
    """What `dataset_list` and `dataset_catalogue` add to each dataset."""

    latest_runs: list[IngestionRun]
    current_versions: list[IngestionRun]


def dataset_list() -> QuerySet[Dataset]:
    """Datasets with `latest_runs`: a list holding the latest ingestion run, if any, and
    `current_versions`: one holding the last successful run (the current version), if any,
    both without their errors (which can be hundreds of rows, and no list shows them)."""
    return Dataset.objects.select_related("city", "publisher").prefetch_related(
        Prefetch(
            "ingestion_runs",
            queryset=IngestionRun.objects.defer("errors").order_by("-created_at", "-id")[:1],
            to_attr="latest_runs",
        ),
        Prefetch(
            "ingestion_runs",
            queryset=IngestionRun.objects.versions().defer("errors")[:1],
            to_attr="current_versions",
        ),
    )


def ingestion_run_list() -> QuerySet[IngestionRun]:
    return IngestionRun.objects.select_related("dataset")


def ingestion_runs_stale(*, queued_for: timedelta) -> list[int]:
    """Runs whose message was lost before any worker took it: queued too long. (A run a
    worker took has a job whose lease the sweep watches: `cities.jobs`.)"""
    stale = IngestionRun.objects.filter(status=IngestionRun.Status.QUEUED, created_at__lt=timezone.now() - queued_for)
    return list(stale.order_by("pk").values_list("pk", flat=True))
