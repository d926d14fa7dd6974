"""Civic Portal settings: every deployment choice comes from the environment.

Two modes share this one module:
- embedded (no DATABASE_URL): SQLite, Celery tasks run eagerly, a local-memory cache,
  DEBUG on; what `make run` serves on 127.0.0.1:8000.
- deployed (DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS, DEBUG=false): PostgreSQL,
  Redis as Celery broker, result backend and cache, HTTPS-only cookies and HSTS.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from civicportal.env import env_bool, env_int, env_list, env_networks, env_str, redis_database_url

# Django's generic classes (`admin.ModelAdmin[Project]`) accept their type arguments at run
# time, as the type checker needs them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

DATABASE_URL = env_str("DATABASE_URL")
REDIS_URL = env_str("REDIS_URL")
EMBEDDED = not DATABASE_URL

DEBUG = env_bool("DEBUG", default=EMBEDDED)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
    SECRET_KEY = "embedded-mode-only-" + "x" * 40
# Old keys, still accepted for signatures and still able to decrypt contact details after a rotation.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The folder of the public data files (a checkout of shared/data); never copied into
# the repository, so a deployment points this wherever it keeps them.
CIVIC_DATA_DIR = Path(env_str("CIVIC_DATA_DIR", str(BASE_DIR.parent / "shared" / "data")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # runserver (the embedded mode) leaves static files to WhiteNoise, so they go out
    # compressed through the same middleware as in a deployment.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "auditlog",
    "csp",
    "cities",
    "youthjobs",
    "courts",
    "housing",
    "collaborative",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Every text response gzipped when the client accepts it, static files included: in a
    # deployment whitenoise serves its own pre-compressed copies, which this leaves alone;
    # in the embedded mode it compresses what the finders serve.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Makes the signed-in user the actor of the audit trail's entries (cities/audit.py).
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cities.middleware.PrivateResponseMiddleware",
    "cities.middleware.ServiceUnavailableMiddleware",
    "cities.after_response.AfterResponseMiddleware",
]

# The audit trail names the account, never the client address: X-Forwarded-For, which
# auditlog would read, is whatever the client says.
AUDITLOG_DISABLE_REMOTE_ADDR = True

ROOT_URLCONF = "civicportal.urls"
WSGI_APPLICATION = "civicportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES: dict[str, Any] = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    if DATABASE_URL
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
}
if DATABASE_URL:
    # A PostgreSQL that does not answer fails a request within 5 s (a 503, cities.middleware)
    # rather than holding a web worker until the client gives up.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache lives in its own Redis database: clearing it must never drop queued tasks.
REDIS_CACHE_URL = env_str("REDIS_CACHE_URL", redis_database_url(REDIS_URL, 1) if REDIS_URL else "")
# Two aliases on it (cities.cache_backends): `default` keeps copies and, unreachable, serves
# pages uncached; `limits` keeps the rate limits' counts and, unreachable, refuses with a 503.
# A Redis that does not answer within 2 s counts as unreachable.
if REDIS_CACHE_URL:
    _REDIS_CACHE_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2}
    CACHES = {
        "default": {
            "BACKEND": "cities.cache_backends.DegradingRedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "OPTIONS": _REDIS_CACHE_OPTIONS,
        },
        "limits": {
            "BACKEND": "cities.cache_backends.ReportingRedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "OPTIONS": _REDIS_CACHE_OPTIONS,
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
        "limits": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "limits"},
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Spanish pages write numbers and dollars the US way (civicportal/formats/es/formats.py).
FORMAT_MODULE_PATH = ["civicportal.formats"]
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Third-party browser libraries come from npm (package.json) and are served from
# node_modules under a stable prefix; nothing third-party is committed.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/cytoscape", BASE_DIR / "node_modules" / "cytoscape" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

LOGIN_URL = "admin:login"

# HTTPS everywhere a deployment runs; the embedded mode serves plain HTTP locally.
HTTPS = env_bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The reverse proxies in front of the web process (addresses or CIDR networks): only their
# X-Forwarded-For entries are believed when rate limits tell clients apart
# (cities.client_address). Empty: the socket's address is the client.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (pages, admin, API docs): scripts, styles and
# images only from the portal's own static files, no inline script, nothing from another
# site. Text from data is put into pages as text; this stops a slip from running anyway.
# Style attributes stay allowed: the housing timeline sizes its bars with them (numbers
# the template computes), and Django's admin uses a few.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Celery: Redis is broker and result backend when REDIS_URL is set; otherwise tasks
# run eagerly in the web process (the embedded mode).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged only after it finishes and is re-queued if its worker dies,
# so every task must call an idempotent service: running it twice changes nothing more.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker holds a lease on each long task it runs (cities.jobs) and renews it every third of
# JOB_LEASE_SECONDS; beat's sweep, every JOB_SWEEP_SECONDS, sends a task whose lease ran out
# (its worker died) to another worker. Lost work resumes within lease + sweep (3 minutes).
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 120)
JOB_SWEEP_SECONDS = env_int("JOB_SWEEP_SECONDS", 60)
# Redis hands an unacknowledged task to another worker after this long. Lost work is resumed
# by the lease sweep long before; this redelivery is a backstop (the worker finds the job
# finished or leased and does nothing), so it need not exceed the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "resume-lost-jobs": {"task": "cities.tasks.jobs_resume_task", "schedule": float(JOB_SWEEP_SECONDS)},
    "requeue-lost-ingestion-runs": {"task": "cities.tasks.ingestion_runs_requeue_task", "schedule": 600.0},
    # Boston summer jobs: offers not answered by their deadline expire hourly, freeing their seats.
    "youthjobs-expire-offers": {"task": "youthjobs.tasks.offers_expire_task", "schedule": 3600.0},
    # St. Louis courts: reminders 7 and 1 days before court, watches, and the deletion of past
    # subscriptions, once a day at 9:00.
    "courts-reminders": {"task": "courts.tasks.court_reminders_send_task", "schedule": crontab(hour=9, minute=0)},
}

# Messaging (cities.messaging): email through Django's backend, SMS through a pluggable one
# (cities.message_backends). The embedded mode prints both to the console, addresses masked.
PORTAL_NAME = "Civic Portal"
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000")
PHONE_NUMBER_REGION = "US"
# Where residents write to see or erase what the portal keeps about them (the privacy page).
PRIVACY_CONTACT_EMAIL = env_str("PRIVACY_CONTACT_EMAIL", "privacy@civicportal.local")
# The open data catalogue's contact (`/data.json`): where partners ask about the data and its access.
OPEN_DATA_CONTACT_EMAIL = env_str("OPEN_DATA_CONTACT_EMAIL", "opendata@civicportal.local")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Civic Portal <no-reply@civicportal.local>")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "cities.message_backends.RedactingConsoleEmailBackend"
    if EMBEDDED
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 20
SMS_BACKEND = env_str("SMS_BACKEND", "cities.message_backends.ConsoleSMSBackend")
# Twilio (SMS_BACKEND=cities.message_backends.TwilioSMSBackend): the account, the number texts
# come from, and the auth token that also checks the signature of Twilio's callbacks
# (/messages/sms/status/ and /messages/sms/inbound/, which answer 403 while it is unset).
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN", "")
TWILIO_FROM_NUMBER = env_str("TWILIO_FROM_NUMBER", "")
# The console backends print private links: a deployment (DEBUG off, the default once
# DATABASE_URL is set) refuses to start with them (system check cities.E003) unless it sends
# no message at all.
MESSAGES_DISABLED = env_bool("MESSAGES_DISABLED", default=False)
if MESSAGES_DISABLED:
    EMAIL_BACKEND = "cities.message_backends.DisabledEmailBackend"
    SMS_BACKEND = "cities.message_backends.DisabledSMSBackend"

# Contact details kept for reminders and offers are encrypted at rest (encrypted_fields, keys
# derived from SECRET_KEY and SECRET_KEY_FALLBACKS with these salts; the salt is not a secret).
SALT_KEY = env_list("FIELD_ENCRYPTION_SALTS", ["civicportal-contact-details"])

# DC preservation risk: overrides of housing.risk_rules.RiskThresholds, whose docstring states
# every rule (subsidy ends within 1/3/5 years, inspection below 80/60, a sale or notice
# within 2 years, for-profit owner types, cluster price growth above the city's x 1.25).
HOUSING_RISK_THRESHOLDS: dict[str, object] = {}

# Ingestion: files above this size are refused before they are read.
INGESTION_MAX_FILE_BYTES = env_int("INGESTION_MAX_FILE_BYTES", 200 * 1024 * 1024)

# Rows per API page, and requests per client (by token, else by address): in the settings of
# REST framework and in the API's description.
API_PAGE_SIZE = 50
API_THROTTLE_RATES = {
    "anon": env_str("API_THROTTLE_ANON", "120/minute"),
    "user": env_str("API_THROTTLE_USER", "1200/minute"),
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cities.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["cities.permissions.ReadOnlyUnlessModelPermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "cities.api.filters.StrictOrderingFilter",
        "cities.api.filters.KnownQueryParametersFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "cities.api.pagination.PortalPagination",
    "PAGE_SIZE": API_PAGE_SIZE,
    # An unknown `?format=` is a 400 naming it; lists offer CSV (cities/api/csv.py).
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "cities.api.negotiation.FormatNegotiation",
    "DEFAULT_THROTTLE_CLASSES": [
        "cities.api.throttles.AnonymousClientThrottle",
        "cities.api.throttles.UserClientThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": API_THROTTLE_RATES,
    "DEFAULT_SCHEMA_CLASS": "cities.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "cities.api.exceptions.api_exception_handler",
}

# How a partner gets a token: in the schema's description and its security scheme
# (cities.api.schema.PartnerTokenScheme).
API_PARTNER_TOKENS = (
    "A partner's program sends `Authorization: Token <key>`. Keys are made by the portal's staff "
    "in the admin (API tokens, Add) for a partner's account in the 'Partners (API reads)' role, "
    "with the permissions its work needs; the key is shown once, "
    "only its digest is kept, and it may expire. Reads of public data need no token; lists of "
    "people (citations, applicants, placements) and uploads do. Write to "
    f"{OPEN_DATA_CONTACT_EMAIL} (the contactPoint of /data.json) to ask for one."
)

API_DESCRIPTION = f"""Open data of the Civic Tech and Data Collaborative: three core cities, four
learning partners and the organisations that work with them.

- **core**: cities, organisations, partnerships (found by city and organisation,
  `/partnerships/boston/living-cities/`), grants, the dataset catalogue, and ingestion runs:
  a partner offers a file to a dataset and follows what became of its rows.
- **youthjobs**: Boston's summer jobs. Positions and the programme's figures for anyone;
  applicants and placements (personal data) only for tokens of the summer jobs staff.
- **courts**: St. Louis County's municipal courts, municipalities and judges; *find my
  ticket* (`POST /courts/lookup/`), where a resident proves who they are and sees only their
  own citations; every court's statistics; all citations only for tokens allowed to see defendants.
- **housing**: Washington DC's subsidised rental projects from the Preservation Catalog,
  their subsidies, inspections, preservation risk with its evidence, the expiry timeline and
  the housing market indicators; owners only for tokens with `housing.view_owner`.
- **collaborative**: each city's ecosystem map and its network figures, peer-learning
  meetings and their action items, lessons, and each city's impact.

Rows are named by natural ids that stay when data is loaded again (slugs, a grant's
reference, a citation's number, a project's NLIHC id), not by database ids.

## Conventions
- **Pages**: every list comes in pages of {API_PAGE_SIZE} rows (`page`, `page_size` up to
  500): `count`, `next`, `previous` and `results`. A page past the last is 404.
- **CSV**: a list answers `?format=csv` with the same rows as a CSV file, its neighbouring
  pages in the `Link` header.
- **Strict parameters**: a query parameter an address does not take, or a malformed value,
  is refused with 400 naming it; nothing is guessed and nothing changes.
- **Errors** are JSON: `{{"detail": "..."}}`, or for 400 each refused field or parameter
  with its reasons.
- **Data-Version**: each successful answer says which loads of the data it comes from,
  `dataset-slug=ingestion-run-id` (e.g. `grants=4`), so a partner knows when to read again.
- **Throttling**: {API_THROTTLE_RATES["anon"]} per client without a token,
  {API_THROTTLE_RATES["user"]} with one; ticket searches have their own,
  lower limit. Past it the answer is 429 with a `Retry-After` header (seconds).

## Authentication
{API_PARTNER_TOKENS}
"""

SPECTACULAR_SETTINGS = {
    "TITLE": "Civic Portal API",
    "DESCRIPTION": API_DESCRIPTION,
    # One tag per app (cities.api.schema.PortalAutoSchema.get_tags).
    "TAGS": [
        {
            "name": "core",
            "description": "The collaborative's cities, organisations, partnerships, grants, "
            "its dataset catalogue, and the ingestion runs partners start by offering files.",
        },
        {
            "name": "youthjobs",
            "description": "Boston: summer job positions, the programme's figures by season, "
            "and for the summer jobs staff, applicants and placements.",
        },
        {
            "name": "courts",
            "description": "St. Louis County: municipal courts, municipalities, judges, court "
            "statistics and find my ticket; citations for tokens allowed to see defendants.",
        },
        {
            "name": "housing",
            "description": "Washington DC: the Preservation Catalog's subsidised projects, "
            "subsidies, inspections, preservation risk, the expiry timeline and market indicators.",
        },
        {
            "name": "collaborative",
            "description": "The collaborative itself: ecosystem maps and their figures, "
            "peer-learning meetings, action items, lessons and impact.",
        },
    ],
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # A file upload's request body is multipart with a binary part, not the response's shape.
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models name their choices "status": each set gets its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "ActionItemStatusEnum": "collaborative.models.ActionItem.Status",
        "IngestionRunStatusEnum": "cities.models.IngestionRun.Status",
    },
    # Tags and operation ids name the resource (`cities_list`), not the version in the path.
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # Say what Django's slug converter matches, so clients (and the schema tests) know it.
    "PATH_CONVERTER_OVERRIDES": {"slug": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}},
}

# No log line carries a private link or an address (cities.log_redaction): the filter sits on
# the loggers that write request paths, before any handler, and on the console handler.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"private_data": {"()": "cities.log_redaction.PrivateDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["private_data"]}},
    "loggers": {
        **{
            name: {"filters": ["private_data"]}
            for name in ("django.request", "django.server", "django.security", "celery.app.trace", "cities.messaging")
        },
        # Twilio's library logs each API request's address and headers at INFO: the message
        # resource's address names the message, and logs never need it; its warnings still show.
        "twilio": {"level": "WARNING"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# St. Louis courts (courts/)

# Find my ticket: searches a client address may make per window before being asked to wait
# (enough for a legal-aid clinic behind one address), and searches that found nothing one
# ticket, licence or name may get per window, from any address (so guessing a birth date
# is slow however many addresses guess).
COURTS_LOOKUP_ATTEMPTS = env_int("COURTS_LOOKUP_ATTEMPTS", 100)
COURTS_LOOKUP_WINDOW_SECONDS = env_int("COURTS_LOOKUP_WINDOW_SECONDS", 15 * 60)
COURTS_LOOKUP_FAILURES_PER_IDENTITY = env_int("COURTS_LOOKUP_FAILURES_PER_IDENTITY", 5)
COURTS_LOOKUP_IDENTITY_WINDOW_SECONDS = env_int("COURTS_LOOKUP_IDENTITY_WINDOW_SECONDS", 60 * 60)
# Stories: how many a client may send per window.
COURTS_STORY_ATTEMPTS = env_int("COURTS_STORY_ATTEMPTS", 3)
COURTS_STORY_WINDOW_SECONDS = env_int("COURTS_STORY_WINDOW_SECONDS", 60 * 60)
