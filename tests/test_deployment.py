"""The deployed mode: production settings, the process commands docker-compose.yml and
the Dockerfile run, and the health checks compose relies on, each run for real here
(there is no Docker engine on the test machines, so the containers' commands are run
as processes against the test PostgreSQL and Redis)."""

from __future__ import annotations

import importlib
import json
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml
from celery import Celery
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from cities.http import private_response
from cities.middleware import PrivateResponseMiddleware
from civicportal.env import ImproperEnvironment, env_bool, env_int, env_list
from tests.processes import REPO, VENV_BIN, answers, database_url, free_port, http_get, start

PORTAL_SERVICES = ("web", "worker", "beat")
HOST = "portal.example.org"
# A backend that delivers (to memory), standing in for a provider's.
LOCMEM_SMS = "cities.message_backends.LocmemSMSBackend"

# What pyproject.toml sets for the test run; a deployment's environment has none of it.
TEST_ONLY_VARIABLES = (
    "DEBUG",
    "HTTPS",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CELERY_TASK_ALWAYS_EAGER",
    "API_THROTTLE_ANON",
    "API_THROTTLE_USER",
    "STATIC_ROOT",
    "MEDIA_ROOT",
)


@pytest.fixture(scope="module")
def production(django_db_setup: None) -> Callable[..., dict[str, str]]:
    """Builds the environment docker-compose.yml gives the portal, pointed at the test
    services (the test database, so a served request finds the portal's tables)."""
    database = database_url(connection.settings_dict)

    def environment(**overrides: str) -> dict[str, str]:
        variables = {name: value for name, value in os.environ.items() if name not in TEST_ONLY_VARIABLES}
        variables.update(
            DEBUG="false",
            SECRET_KEY=secrets.token_urlsafe(60),
            ALLOWED_HOSTS=HOST,
            DATABASE_URL=database,
            REDIS_URL=os.environ["REDIS_URL"],
            # No SMS provider here: the deployment says it sends no message (compose's .env must too).
            MESSAGES_DISABLED="true",
            PATH=f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}",
        )
        variables.update(overrides)
        return variables

    return environment


def run(command: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO, env=environment, capture_output=True, text=True, timeout=120, check=False)


def manage(*arguments: str, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "manage.py", *arguments], environment)


def in_venv(command: list[str]) -> list[str]:
    """A container command with its program taken from this virtual environment."""
    return [str(VENV_BIN / command[0]), *command[1:]]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return (REPO / "Dockerfile").read_text()


def dockerfile_cmd(dockerfile: str) -> list[str]:
    match = re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)
    assert match, "the Dockerfile has no CMD in exec form"
    return json.loads(match.group(1))


# ---------------------------------------------------------------- production settings


def test_deploy_check_passes_with_production_settings(production: Callable[..., dict[str, str]]) -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", environment=production())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output


def test_models_and_migrations_agree(production: Callable[..., dict[str, str]]) -> None:
    # A deployment only ever runs `migrate`: a model change without its migration would
    # leave the deployed schema behind the code.
    result = manage("makemigrations", "--check", "--dry-run", environment=production())
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_are_https_only(production: Callable[..., dict[str, str]]) -> None:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({name: getattr(s, name) for name in ("
        "'DEBUG', 'SECURE_SSL_REDIRECT', 'SECURE_PROXY_SSL_HEADER', 'SECURE_REDIRECT_EXEMPT', "
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', "
        "'CELERY_TASK_ALWAYS_EAGER', 'CELERY_BROKER_URL')} | {"
        "'static': s.STORAGES['staticfiles']['BACKEND'], 'cache': s.CACHES['default']['BACKEND'], "
        "'database': s.DATABASES['default']['ENGINE']}))"
    )
    result = run([sys.executable, "-c", code], production(DJANGO_SETTINGS_MODULE="civicportal.settings"))
    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout)

    assert settings["DEBUG"] is False
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SECURE_REDIRECT_EXEMPT"] == [r"^healthz/$"]
    assert settings["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert settings["SECURE_HSTS_PRELOAD"] is True
    assert settings["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert settings["database"] == "django.db.backends.postgresql"
    assert settings["cache"] == "cities.cache_backends.DegradingRedisCache"
    assert settings["CELERY_TASK_ALWAYS_EAGER"] is False
    assert settings["CELERY_BROKER_URL"] == os.environ["REDIS_URL"]


def test_settings_refuse_to_start_without_a_secret_key(production: Callable[..., dict[str, str]]) -> None:
    environment = production()
    del environment["SECRET_KEY"]
    result = manage("check", environment=environment)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is false" in result.stderr


def test_a_deployment_refuses_console_message_backends(production: Callable[..., dict[str, str]]) -> None:
    printing = production(MESSAGES_DISABLED="false", SMS_BACKEND="cities.message_backends.ConsoleSMSBackend")

    refused = manage("check", environment=printing)
    delivering = manage("check", environment=production(MESSAGES_DISABLED="false", SMS_BACKEND=LOCMEM_SMS))

    assert refused.returncode != 0
    assert "cities.E003" in refused.stderr and "SMS_BACKEND print messages" in refused.stderr
    assert "EMAIL_BACKEND" not in refused.stderr.split("HINT")[0], "SMTP is a real backend"
    assert delivering.returncode == 0, delivering.stderr


def test_settings_refuse_to_start_with_a_mistyped_boolean(production: Callable[..., dict[str, str]]) -> None:
    result = manage("check", environment=production(DEBUG="maybe"))
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


# ---------------------------------------------------------------- environment readers


@pytest.mark.parametrize(("raw", "expected"), [("true", True), (" Yes ", True), ("1", True), ("off", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool) -> None:
    monkeypatch.setenv("PORTAL_FLAG", raw)
    assert env_bool("PORTAL_FLAG", default=not expected) is expected


def test_env_bool_fails_loudly_on_anything_else(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperEnvironment, match="DEBUG='maybe' is not a boolean"):
        env_bool("DEBUG", default=False)


def test_env_bool_keeps_the_default_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PORTAL_FLAG", raising=False)
    assert env_bool("PORTAL_FLAG", default=True) is True


def test_env_int_fails_loudly_on_a_bad_number(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INGESTION_MAX_FILE_BYTES", "200MB")
    with pytest.raises(ImproperEnvironment, match="INGESTION_MAX_FILE_BYTES='200MB' is not a whole number"):
        env_int("INGESTION_MAX_FILE_BYTES", 1)


def test_env_int_reads_a_number_and_defaults_when_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_NUMBER", "42")
    assert env_int("PORTAL_NUMBER", 1) == 42
    monkeypatch.setenv("PORTAL_NUMBER", " ")
    assert env_int("PORTAL_NUMBER", 7) == 7


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_HOSTS", " portal.example.org, ,.example.org ")
    assert env_list("ALLOWED_HOSTS", ["x"]) == ["portal.example.org", ".example.org"]
    monkeypatch.delenv("ALLOWED_HOSTS")
    assert env_list("ALLOWED_HOSTS", ["x"]) == ["x"]


# ---------------------------------------------------------------- private responses


def assert_never_stored(cache_control: str) -> None:
    assert "no-store" in cache_control
    assert "private" in cache_control


@pytest.mark.django_db
def test_anonymous_public_response_may_be_cached(client) -> None:
    response = client.get("/datasets/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "private" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_signed_in_response_is_never_stored(client, outsider) -> None:
    client.force_login(outsider)
    assert_never_stored(client.get("/healthz/")["Cache-Control"])


@pytest.mark.django_db
def test_response_to_an_authorization_header_is_never_stored(client) -> None:
    response = client.get("/healthz/", HTTP_AUTHORIZATION="Token not-checked-by-this-page")
    assert_never_stored(response["Cache-Control"])


def test_response_marked_private_is_never_stored() -> None:
    request = RequestFactory().get("/courts/lookup/")
    middleware = PrivateResponseMiddleware(lambda request: private_response(HttpResponse("own records")))
    assert_never_stored(middleware(request)["Cache-Control"])


# ---------------------------------------------------------------- static files


@pytest.fixture(scope="module")
def collected_static(production: Callable[..., dict[str, str]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What the Dockerfile's collectstatic step builds, built here the same way."""
    static_root = tmp_path_factory.mktemp("staticfiles")
    result = manage("collectstatic", "--no-input", environment=production(STATIC_ROOT=str(static_root)))
    assert result.returncode == 0, result.stdout + result.stderr
    return static_root


def test_collectstatic_builds_the_manifest_and_compressed_files(collected_static: Path) -> None:
    manifest = json.loads((collected_static / "staticfiles.json").read_text())["paths"]
    chart = manifest["vendor/chart.js/chart.umd.min.js"]
    assert chart != "vendor/chart.js/chart.umd.min.js", "production static names carry a content hash"
    assert (collected_static / chart).is_file()
    assert (collected_static / f"{chart}.gz").is_file()
    assert "admin/css/base.css" in manifest


# ---------------------------------------------------------------- docker-compose.yml and the Dockerfile


def interpolated(value: str) -> str:
    """A compose value with ${VARIABLE...} replaced, as compose would with a filled .env."""
    return re.sub(r"\$\{[^}]+\}", "filled-in", value)


def test_compose_runs_the_five_services_each_with_a_healthcheck(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(services)
    for name in ("web", "worker", "beat", "postgres", "redis"):
        assert services[name]["healthcheck"]["test"], f"{name} has no healthcheck"
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"]
    assert services["redis"]["healthcheck"]["test"][1:] == ["redis-cli", "ping"]


def test_compose_commands_are_the_portal_processes(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert services["web"]["command"][:2] == ["gunicorn", "civicportal.wsgi:application"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "civicportal", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "civicportal", "beat"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--no-input"]


def test_compose_configures_the_portal_by_environment(compose: dict[str, Any]) -> None:
    for name in PORTAL_SERVICES:
        environment = compose["services"][name]["environment"]
        database = urlparse(interpolated(environment["DATABASE_URL"]))
        assert (database.scheme, database.hostname, database.path) == ("postgres", "postgres", "/civicportal")
        assert urlparse(environment["REDIS_URL"]).hostname == "redis"
        assert environment["DEBUG"] == "false"
        assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?"), "a deployment must set its own key"
        assert environment["ALLOWED_HOSTS"].startswith("${ALLOWED_HOSTS:?")
        assert environment["CIVIC_DATA_DIR"] == "/data"
        assert environment["PORTAL_BASE_URL"].startswith("${PORTAL_BASE_URL:?"), "links in messages need it"
        assert environment["PRIVACY_CONTACT_EMAIL"].startswith("${PRIVACY_CONTACT_EMAIL:?"), "the privacy page names it"
        assert "HTTPS" not in environment, "deployments are HTTPS-only by default"


def test_web_and_worker_share_the_uploaded_files(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in ("web", "worker"):
        media_root = services[name]["environment"]["MEDIA_ROOT"]
        assert f"media:{media_root}" in services[name]["volumes"]
    assert "media" in compose["volumes"]
    assert any(volume.endswith(":/data:ro") for volume in services["worker"]["volumes"])


def test_compose_starts_each_service_after_what_it_needs(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in ("web", "worker"):
        assert services[name]["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }
    assert services["beat"]["depends_on"]["redis"] == {"condition": "service_healthy"}
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}


def test_every_required_compose_variable_is_in_env_example(compose: dict[str, Any]) -> None:
    required = set(re.findall(r"\$\{(\w+):\?", (REPO / "docker-compose.yml").read_text()))
    example = {line.split("=", 1)[0] for line in (REPO / ".env.example").read_text().splitlines() if "=" in line}
    assert required == {"SECRET_KEY", "ALLOWED_HOSTS", "POSTGRES_PASSWORD", "PORTAL_BASE_URL", "PRIVACY_CONTACT_EMAIL"}
    assert required <= example


def test_dockerfile_builds_a_non_root_gunicorn_image(dockerfile: str) -> None:
    assert re.search(r"^FROM python:3\.11\.\d+-slim", dockerfile, re.MULTILINE)
    assert "npm ci" in dockerfile
    assert "manage.py collectstatic" in dockerfile
    assert re.search(r"^USER (?!root\b|0\b)\S+", dockerfile, re.MULTILINE), "the image must not run as root"
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", dockerfile, re.MULTILINE):
        for path in source.split():
            assert (REPO / path).exists(), f"the Dockerfile copies {path}, which is not in the repository"
    assert dockerfile_cmd(dockerfile)[:2] == ["gunicorn", "civicportal.wsgi:application"]


def test_the_modules_the_containers_run_exist() -> None:
    assert callable(importlib.import_module("civicportal.wsgi").application)
    assert isinstance(importlib.import_module("civicportal.celery").app, Celery)


def test_gunicorn_loads_the_dockerfile_command_with_production_settings(
    production: Callable[..., dict[str, str]], dockerfile: str
) -> None:
    command = in_venv(dockerfile_cmd(dockerfile))
    result = run([command[0], "--check-config", *command[1:]], production())
    assert result.returncode == 0, result.stdout + result.stderr


# ---------------------------------------------------------------- the containers' commands, run


@pytest.fixture(scope="module")
def web(
    production: Callable[..., dict[str, str]],
    compose: dict[str, Any],
    collected_static: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[int]:
    """The web service's command, served with production settings on a free port."""
    port = free_port()
    server = start(
        in_venv(compose["services"]["web"]["command"]),
        env=production(PORT=str(port), WEB_CONCURRENCY="2", STATIC_ROOT=str(collected_static)),
        log=tmp_path_factory.mktemp("web") / "gunicorn.log",
    )
    try:
        server.wait_for(answers(port, "/healthz/", {"Host": HOST}), timeout=60, what="answer from gunicorn")
        yield port
    finally:
        server.stop()


def test_web_healthcheck_passes(production: Callable[..., dict[str, str]], compose: dict[str, Any], web: int) -> None:
    check = compose["services"]["web"]["healthcheck"]["test"]
    assert check[0] == "CMD"
    result = run(in_venv(check[1:]), production(PORT=str(web)))
    assert result.returncode == 0, result.stderr


def test_web_redirects_plain_http_to_https(web: int) -> None:
    response = http_get(web, "/admin/login/", {"Host": HOST})
    assert response.status == 301
    assert response.headers["Location"] == f"https://{HOST}/admin/login/"


def test_web_behind_the_proxy_sends_hsts_and_secure_cookies(web: int) -> None:
    response = http_get(web, "/admin/login/", {"Host": HOST, "X-Forwarded-Proto": "https"})
    assert response.status == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    csrf_cookie = next(value for value in response.headers.get_all("Set-Cookie") if value.startswith("csrftoken="))
    assert "Secure" in csrf_cookie


def test_web_serves_hashed_static_files_compressed_and_immutable(web: int, collected_static: Path) -> None:
    manifest = json.loads((collected_static / "staticfiles.json").read_text())["paths"]
    response = http_get(
        web,
        f"/static/{manifest['vendor/chart.js/chart.umd.min.js']}",
        {"Host": HOST, "X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"},
    )
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]


def test_web_refuses_a_host_it_does_not_serve(web: int) -> None:
    assert http_get(web, "/healthz/", {"Host": "attacker.example"}).status == 400


def test_beat_starts_and_its_healthcheck_passes(
    production: Callable[..., dict[str, str]], compose: dict[str, Any], tmp_path: Path
) -> None:
    beat = compose["services"]["beat"]
    command = in_venv(beat["command"])
    command[command.index("--schedule") + 1] = str(tmp_path / "celerybeat-schedule")
    scheduler = start(command, env=production(), log=tmp_path / "beat.log")
    try:
        scheduler.wait_for(lambda: "beat: Starting" in scheduler.output(), timeout=60, what="beat start-up")
    finally:
        scheduler.stop()
    check = beat["healthcheck"]["test"]
    assert check[0] == "CMD"
    result = run(in_venv(check[1:]), production())
    assert result.returncode == 0, result.stderr
