"""The named cast every test can use, and the real services the suite runs on.

- a resident: anonymous, through `client` (pages) or `resident_api` (API);
- staff of the core (`core_staff`) and of each city's app (`boston_staff`,
  `st_louis_staff`, `dc_staff`), who sign in to the admin;
- a partner with an API token (`partner_api`), allowed to offer files to datasets;
- an outsider: signed in, no rights at all (`outsider_api`).
"""

from __future__ import annotations

import os

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.test import override_settings
from django.utils import translation
from rest_framework.test import APIClient

from cities import message_backends
from cities.registry import portal_apps
from cities.roles import roles_install
from cities.services import demo_data_load
from tests.accounts import STAFF_PASSWORD
from tests.api_clients import token_client
from tests.processes import free_port
from tests.redis_databases import redis_urls_of_worker


def pytest_configure(config: pytest.Config) -> None:
    """A pytest-xdist worker (`make test` runs two) on Redis databases of its own
    (tests/redis_databases.py), in the settings and for the processes its tests start."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        return
    broker_url, cache_url = redis_urls_of_worker(
        broker_url=settings.REDIS_URL, cache_url=settings.REDIS_CACHE_URL, worker=int(worker.removeprefix("gw"))
    )
    os.environ.update(REDIS_URL=broker_url, REDIS_CACHE_URL=cache_url)
    # For the worker's whole life; Celery reads its configuration from the settings when
    # first used, which is later.
    override_settings(
        REDIS_URL=broker_url,
        REDIS_CACHE_URL=cache_url,
        CELERY_BROKER_URL=broker_url,
        CELERY_RESULT_BACKEND=broker_url,
        CACHES={alias: {**cache, "LOCATION": cache_url} for alias, cache in settings.CACHES.items()},
    ).enable()


@pytest.fixture(scope="session", autouse=True)
def real_services_are_up() -> None:
    """The suite runs on real PostgreSQL and Redis; a missing service fails the run."""
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except (redis.ConnectionError, ValueError) as error:
        pytest.fail(f"Redis at {settings.REDIS_URL!r} is not reachable ({error}); run `make test`", pytrace=False)
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql", (
        "tests run on PostgreSQL: set DATABASE_URL or run `make test`"
    )


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language() -> None:
    # A request through Django's test client leaves the language LocaleMiddleware chose active
    # in the test's thread: a later test in the same process would read lazy texts in Spanish.
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def redis_cache_down(settings) -> None:
    """Both caches (copies and the rate limits' counts) on a port nothing listens on."""
    closed = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {alias: {**config, "LOCATION": closed} for alias, config in settings.CACHES.items()}


@pytest.fixture(autouse=True)
def _sms_in_memory(settings) -> None:
    settings.SMS_BACKEND = "cities.message_backends.LocmemSMSBackend"
    message_backends.sms_outbox.clear()


@pytest.fixture
def sms_outbox() -> list[message_backends.SMSOutboxEntry]:
    """The text messages sent during the test (email is in django.core.mail.outbox)."""
    return message_backends.sms_outbox


@pytest.fixture
def demo_data(db) -> None:
    demo_data_load()


def _staff(django_user_model, username: str, *permissions: str):
    user = django_user_model.objects.create_user(username=username, password=STAFF_PASSWORD, is_staff=True)
    group, _ = Group.objects.get_or_create(name=f"{username} group")
    for permission in permissions:
        app_label, codename = permission.split(".")
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    user.groups.add(group)
    return user


CORE_STAFF_PERMISSIONS = tuple(
    f"cities.{action}_{model}"
    for model in ("city", "organization", "partnership", "grant", "dataset", "ingestionrun")
    for action in ("view", "add", "change")
)


@pytest.fixture
def core_staff(db, django_user_model):
    return _staff(django_user_model, "core-staff", *CORE_STAFF_PERMISSIONS)


# Boston summer jobs: staff see applicants, run matching and review placements.
BOSTON_STAFF_PERMISSIONS = (
    *(
        f"youthjobs.view_{model}"
        for model in ("season", "site", "position", "applicant", "directhire", "matchrun", "placement")
    ),
    "youthjobs.add_matchrun",
    "youthjobs.approve_matchrun",
    "youthjobs.change_placement",
    "youthjobs.add_applicantnote",
    "youthjobs.add_eligibilityfact",
    "youthjobs.add_season",
    "youthjobs.change_position",
)


@pytest.fixture
def boston_staff(db, django_user_model):
    return _staff(django_user_model, "boston-staff", *BOSTON_STAFF_PERMISSIONS)


@pytest.fixture
def boston_staff_api(boston_staff) -> APIClient:
    return token_client(boston_staff)


# St. Louis courts: staff see every court table and defendants' details, and moderate stories.
ST_LOUIS_STAFF_PERMISSIONS = (
    *(
        f"courts.view_{model}"
        for model in (
            "municipality",
            "court",
            "municipalitycourt",
            "judge",
            "courtsurvey",
            "finescheduleentry",
            "courtquestion",
            "citation",
            "violation",
            "warrant",
            "courtdate",
            "story",
            "remindersubscription",
        )
    ),
    "courts.change_story",
    "courts.view_defendant_details",
)


@pytest.fixture
def st_louis_staff(db, django_user_model):
    return _staff(django_user_model, "st-louis-staff", *ST_LOUIS_STAFF_PERMISSIONS)


@pytest.fixture
def dc_staff(db, django_user_model):
    return _staff(django_user_model, "dc-staff")


# The collaborative's staff: fill in the ecosystem maps, send surveys and review their answers.
COLLABORATIVE_STAFF_PERMISSIONS = (
    *(
        f"collaborative.{action}_{model}"
        for model in ("ecosystemmember", "relationship", "surveyinvitation", "meeting", "actionitem")
        for action in ("view", "add", "change")
    ),
    "cities.view_organization",
    "cities.view_city",
)


@pytest.fixture
def collaborative_staff(db, django_user_model):
    return _staff(django_user_model, "collaborative-staff", *COLLABORATIVE_STAFF_PERMISSIONS)


@pytest.fixture
def partner(db, django_user_model):
    user = django_user_model.objects.create_user(username="partner", password="a-partner-password-1")
    # Partners offer the collaborative's own files (grants); a city's files need that app's permission.
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="cities", codename__in=["add_ingestionrun", "add_grant"])
    )
    return user


@pytest.fixture
def outsider(db, django_user_model):
    return django_user_model.objects.create_user(username="outsider", password="an-outsider-password-1")


@pytest.fixture
def resident_api() -> APIClient:
    return APIClient()


@pytest.fixture
def partner_api(partner) -> APIClient:
    return token_client(partner)


@pytest.fixture
def outsider_api(outsider) -> APIClient:
    return token_client(outsider)


@pytest.fixture
def core_staff_client(client, core_staff):
    client.force_login(core_staff)
    return client


def portal_roles_install() -> None:
    """The groups the migrations ship; again here because a transactional test's flush
    empties them."""
    from django.apps import apps

    roles_install(apps=apps, shares=[share for app in portal_apps() for share in app.role_shares])


@pytest.fixture
def member_of(db, django_user_model):
    """`member_of(group_name)`: a new account in one of the portal's shipped roles, with the
    permissions of that group only (staff may sign in to the admin; partners may not)."""
    portal_roles_install()

    def member(group_name: str, *, is_staff: bool = True):
        username = group_name.lower().replace(" ", "-").replace(".", "").replace("(", "").replace(")", "")
        user = django_user_model.objects.create_user(username=username, password=STAFF_PASSWORD, is_staff=is_staff)
        user.groups.add(Group.objects.get(name=group_name))
        return user

    return member


def pytest_report_header() -> str:
    database = settings.DATABASES["default"]
    ci = os.environ.get("CI", "")
    return f"CI={ci} database={database['ENGINE']}@{database.get('HOST')} redis={settings.REDIS_URL}"
