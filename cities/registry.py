"""The one registry of the portal's apps. Each app describes itself once, in a `PortalApp`
passed to `portal_app_register` from its `AppConfig.ready`; the core reads everything it must
know of an app from here: its city and home page, the home page's resident services, its
links in the site's navigation and on the cities' pages, the staff home's waiting work, its
demo files, its SMS replies, the models in the audit trail, its share of the staff roles and
its impact figures. `cities` imports no app, so a new app needs no edit of the core. The core
registers itself the same way (label "cities", no city), and so does the collaborative, which
serves no single city.

Module roles, the same in every app: `models.py` (fields, constraints, querysets),
`services.py` (operations that change data; named modules such as `matching.py` for one
concern), `selectors.py` (reads that cross relations), `tasks.py` (thin Celery tasks that
call services; services enqueue them by name, `cities.enqueue`), `ingest.py` (the app's
dataset schemas), `views.py`, `admin.py`, `api/`, `roles.py` (its share of the roles),
`waiting.py` (its waiting work), `impact.py` (its figures), `apps.py` (this registration).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db.models import Model
from django.utils.safestring import SafeString

from cities.audit import audit_register
from cities.roles import RoleShare

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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
class ResidentService:
    """What a resident can do in an app, as the home page offers it: `order` places it among
    the other apps' services (lowest first)."""

    title: StrOrPromise
    summary: StrOrPromise
    url_name: str
    order: int


@dataclass(frozen=True)
class NavLink:
    """A link an app adds to the site's main navigation, after Home (in registration order)."""

    text: StrOrPromise
    url_name: str


@dataclass(frozen=True)
class CityLink:
    """A link an app adds to every city's page. `text` may name the city as "{city}"; the URL
    name is reversed with the city's slug unless `with_slug` is false. `only_without_app`
    shows it only on the pages of cities no app serves (the learning partners)."""

    text: StrOrPromise
    url_name: str
    with_slug: bool = True
    only_without_app: bool = False


@dataclass(frozen=True)
class WaitingWork:
    """Work waiting for staff, on the admin's home page: `count()` rows wait; the changelist
    `changelist` (an admin URL name) with the query `query()` lists them. Both are called per
    request, so they may depend on today. Shown to users holding `permission`."""

    label: str
    permission: str
    changelist: str
    count: Callable[[], int]
    query: Callable[[], Mapping[str, str]] = field(default=dict)


@dataclass(frozen=True)
class DemoFile:
    """One file of an app's demo data, offered to the catalogued dataset `dataset`, which must
    be read with `schema`. Read from `path`, or `content` when the app generates or converts
    the file (then `path` only names it). With a `title` (and `source`), the dataset is added to
    the catalogue when missing (files the app itself ships); otherwise the catalogue must hold it."""

    dataset: str
    schema: str
    path: Path
    content: bytes | None = None
    title: str = ""
    source: str = ""


@dataclass(frozen=True)
class AppDemo:
    """An app's demo data. `files(data_dir)` lists its files in dependency order
    (`data_dir` is settings.CIVIC_DATA_DIR); `after()` runs once they are in (e.g. synthetic
    rows written directly, a first match run). `catalogue` is the app's rows of the dataset
    catalogue (a `cities.datasets` CSV), loaded with the core's. Apps load by `order`."""

    order: int
    files: Callable[[Path], Iterable[DemoFile]]
    after: Callable[[], object] | None = None
    catalogue: Path | None = None


@dataclass(frozen=True)
class AuditedModel:
    """A model whose changes the audit trail records, with django-auditlog's `register`
    options (exclude_fields, m2m_fields, ...)."""

    model: type[Model]
    options: Mapping[str, Any] = field(default_factory=dict)


# (the sender's E.164 number, the text as sent) -> the reply, or None when it is not the app's.
SMSReplyHandler = Callable[[str, str], "str | None"]


@dataclass(frozen=True)
class PortalApp:
    """What the core knows of one app. `city_slug` and `home_url_name` for a city app (one app
    per city; the city's page links its home); `impact()` reads the app's figures from its own
    data, so they are current after each ingestion or run."""

    label: str
    city_slug: str | None = None
    home_url_name: str | None = None
    resident_services: tuple[ResidentService, ...] = ()
    impact: Callable[[], list[ImpactFigure]] | None = None
    waiting_work: tuple[WaitingWork, ...] = ()
    demo: AppDemo | None = None
    sms_reply_handler: SMSReplyHandler | None = None
    audited: tuple[AuditedModel, ...] = ()
    role_shares: tuple[RoleShare, ...] = ()
    nav_links: tuple[NavLink, ...] = ()
    city_links: tuple[CityLink, ...] = ()
    # The privacy page's section on what the app keeps about people (a rendered template).
    privacy_section: Callable[[], SafeString] | None = None


_portal_apps: dict[str, PortalApp] = {}


def portal_app_register(app: PortalApp) -> None:
    """Record `app` (again for the same label replaces it) and put its models in the audit
    trail. Raises ValueError for a second app serving the same city."""
    serving = next(
        (other for other in _portal_apps.values() if app.city_slug and other.city_slug == app.city_slug), None
    )
    if serving is not None and serving.label != app.label:
        raise ValueError(f"{app.city_slug} is already served by {serving.label}")
    _portal_apps[app.label] = app
    for audited in app.audited:
        audit_register(audited.model, **audited.options)


def portal_apps() -> list[PortalApp]:
    """Every registered app, in registration order (INSTALLED_APPS)."""
    return list(_portal_apps.values())


def city_apps() -> list[PortalApp]:
    """The apps serving a city, by city slug."""
    return sorted((app for app in _portal_apps.values() if app.city_slug), key=lambda app: app.city_slug or "")


def city_app_for(city_slug: str) -> PortalApp | None:
    return next((app for app in _portal_apps.values() if app.city_slug == city_slug), None)
