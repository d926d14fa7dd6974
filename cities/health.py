"""Whether the services the portal depends on answer, for `/healthz/` and load balancers."""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection

from cities.cache_backends import CacheUnavailable, limits_cache
from civicportal.celery import app as celery_app

logger = logging.getLogger(__name__)

OK = "ok"
UNAVAILABLE = "unavailable"
NOT_USED = "not used"

# A broker that does not answer within this is as good as down for a health check.
BROKER_TIMEOUT_SECONDS = 2


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        logger.warning("health: the database does not answer (%s)", type(error).__name__)
        return UNAVAILABLE
    return OK


def _cache() -> str:
    try:
        limits_cache.set("healthz", OK, timeout=10)
    except CacheUnavailable as error:
        logger.warning("health: the cache does not answer (%s)", error)
        return UNAVAILABLE
    return OK


def _broker() -> str:
    if celery_app.conf.task_always_eager and celery_app.conf.broker_url.startswith("memory://"):
        return NOT_USED
    try:
        with celery_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception as error:  # kombu raises its transport's own errors, whichever they are
        logger.warning("health: the broker does not answer (%s)", type(error).__name__)
        return UNAVAILABLE
    return OK


def dependencies_check() -> dict[str, str]:
    """Each dependency, "ok", "unavailable" or "not used" (the embedded mode has no broker).
    Says which is down, never why: the reasons go to the log."""
    return {"database": _database(), "cache": _cache(), "broker": _broker()}
