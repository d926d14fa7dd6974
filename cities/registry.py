"""What the core knows of each city app, told by the app itself from `AppConfig.ready`: the
city it serves, its home page, and the figures of what it achieved. `cities` imports no app;
apps call `city_app_register`, and the core and the collaborative read the registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# Counts of people below this are shown as "fewer than 10" on public pages and in the API.
SMALL_CELL = 10
FEWER_THAN_SMALL_CELL = f"fewer than {SMALL_CELL}"


@dataclass(frozen=True)
class ImpactFigure:
    """One figure of what an app achieved, e.g. ("youth-placed", "Young people placed", 812).
    `counts_people` marks a count of people, suppressed when small."""

    key: str
    label: str
    value: int
    counts_people: bool = False

    @property
    def shown(self) -> str:
        if self.counts_people and self.value < SMALL_CELL:
            return FEWER_THAN_SMALL_CELL
        return f"{self.value:,}"


@dataclass(frozen=True)
class CityAppRegistration:
    app_label: str
    city_slug: str
    home_url_name: str
    impact: Callable[[], list[ImpactFigure]]


_city_apps: dict[str, CityAppRegistration] = {}


def city_app_register(
    *, app_label: str, city_slug: str, home_url_name: str, impact: Callable[[], list[ImpactFigure]]
) -> None:
    """Record the app serving `city_slug`; `impact()` reads the app's figures from its own data,
    so they are current after each ingestion or run. One app per city."""
    registered = _city_apps.get(city_slug)
    if registered is not None and registered.app_label != app_label:
        raise ValueError(f"{city_slug} is already served by {registered.app_label}")
    _city_apps[city_slug] = CityAppRegistration(
        app_label=app_label, city_slug=city_slug, home_url_name=home_url_name, impact=impact
    )


def city_app_for(city_slug: str) -> CityAppRegistration | None:
    return _city_apps.get(city_slug)


def city_apps() -> list[CityAppRegistration]:
    return sorted(_city_apps.values(), key=lambda app: app.city_slug)
