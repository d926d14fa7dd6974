""" "Adopt this approach": for a city that wants to do what a core city's app does, the
problem, the partners it needs (by kind, from the core city's own partnerships), the
datasets with their file formats (from the ingestion schemas) and the lessons tagged to it."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps

from cities.ingestion import registered_schemas
from cities.models import City, Dataset, Organization, Partnership
from cities.registry import city_apps
from collaborative.models import Lesson

# The steps of the collaborative's approach, after its mapping guide and its synthesis.
ADOPTION_STEPS = (
    "Map your local civic tech and data ecosystem: who holds the data, who builds, who reaches residents.",
    "Bring together the partners of each kind below, with one of them leading.",
    "Agree which datasets you will share, in the formats below, and who keeps them up to date.",
    "Involve the residents the service is for from the start, through the community partners.",
    "Load the datasets through the portal's ingestion (each file is checked row by row), then test with residents.",
    "Meet your peers, record what you learn as lessons, and follow up the actions you agree.",
)


@dataclass(frozen=True)
class PartnerNeed:
    kind_label: str
    roles: list[str]
    example_organizations: list[str]


@dataclass(frozen=True)
class DatasetNeed:
    dataset: Dataset
    file_format: str
    columns: list[dict[str, str]]


@dataclass(frozen=True)
class AdoptionGuide:
    app_label: str
    app_name: str
    city: City
    partners: list[PartnerNeed]
    datasets: list[DatasetNeed]
    steps: tuple[str, ...]
    lessons: list[Lesson]


def adoption_apps() -> list[tuple[str, str, City]]:
    """(app label, app name, city) of every registered city app."""
    cities = {city.slug: city for city in City.objects.all()}
    return [
        (app.label, str(apps.get_app_config(app.label).verbose_name), cities[app.city_slug])
        for app in city_apps()
        if app.city_slug in cities
    ]


def adoption_guide(*, app_label: str) -> AdoptionGuide:
    """The guide for one registered app. Raises LookupError for an unknown app."""
    registration = next((app for app in city_apps() if app.label == app_label), None)
    if registration is None:
        raise LookupError(app_label)
    city = City.objects.get(slug=registration.city_slug)
    partnerships = Partnership.objects.filter(city=city).select_related("organization").order_by("organization__name")
    by_kind: dict[str, list[Partnership]] = {}
    for partnership in partnerships:
        by_kind.setdefault(partnership.organization.kind, []).append(partnership)
    schemas = registered_schemas()
    datasets = [
        DatasetNeed(dataset=dataset, file_format=schema.file_format.upper(), columns=schema.documentation())
        for dataset in Dataset.objects.filter(city=city).exclude(schema="").order_by("title")
        if (schema := schemas.get(dataset.schema)) is not None
    ]
    return AdoptionGuide(
        app_label=app_label,
        app_name=str(apps.get_app_config(app_label).verbose_name),
        city=city,
        partners=[
            PartnerNeed(
                kind_label=str(Organization.Kind(kind).label),
                roles=sorted({str(p.get_role_display()) for p in group}),
                example_organizations=[p.organization.name for p in group],
            )
            for kind, group in sorted(by_kind.items())
        ],
        datasets=datasets,
        steps=ADOPTION_STEPS,
        lessons=list(Lesson.objects.filter(app_label=app_label).order_by("-published_on")),
    )
