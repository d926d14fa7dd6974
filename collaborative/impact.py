"""What the collaborative achieved, city by city: each city app's own figures (read through
the core's registry, so this app imports none of them) beside the grants the city received."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps

from cities.models import City
from cities.registry import ImpactFigure, city_app_for


@dataclass(frozen=True)
class CityImpact:
    city: City
    grant_total: Decimal
    grant_count: int
    app_name: str | None
    figures: list[ImpactFigure]


def collaborative_impact(*, city_slug: str | None = None) -> list[CityImpact]:
    """Every city (or the one `city_slug` names; City.DoesNotExist otherwise), core cities
    first, with its grants and its app's current figures; a learning partner has no app and
    so only its grants. Figures are read when asked, so they follow each ingestion or run."""
    cities = City.objects.with_grant_totals().order_by("role", "name")
    if city_slug is not None:
        cities = cities.filter(slug=city_slug)
        if not cities.exists():
            raise City.DoesNotExist(city_slug)
    rows = []
    for city in cities:
        registration = city_app_for(city.slug)
        rows.append(
            CityImpact(
                city=city,
                # Annotated by `with_grant_totals()`, which the stubs cannot see.
                grant_total=city.grant_total,  # type: ignore[attr-defined]
                grant_count=city.grant_count,  # type: ignore[attr-defined]
                app_name=str(apps.get_app_config(registration.label).verbose_name) if registration else None,
                figures=registration.impact() if registration and registration.impact else [],
            )
        )
    return rows
