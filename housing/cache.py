"""Reads of the DC housing data that every visitor shares (the filters' choices, the map's
points), kept in the Django cache under the current version of the data.

The version changes after each risk refresh (`housing.risk.risk_assessment_refresh`), the
step every ingestion of DC data ends with, so nothing read before an ingestion is served
after it; entries of a replaced version are never read again and expire by themselves.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar, cast

from django.core.cache import cache

DATA_VERSION_KEY = "housing:data-version"
# How long an entry lives. It stands for its version's data until a refresh replaces the
# version; the limit only reclaims entries of replaced versions, and bounds how long a
# change made outside an ingestion (none should be) could go unseen.
ENTRY_SECONDS = 60 * 60

_MISSING = object()
Value = TypeVar("Value")


def housing_data_version() -> str:
    """The current version of the DC housing data. A cache that has lost it (flushed,
    restarted) starts a new version, never one it may have held entries under before."""
    version = cache.get(DATA_VERSION_KEY)
    if version is None:
        # `add`, so that of two requests starting a version at once, both use the first one's.
        cache.add(DATA_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(DATA_VERSION_KEY)
    return cast(str, version)


def housing_data_version_bump() -> str:
    """Start a new version of the DC housing data: every entry cached so far is stale.
    Called once the data has changed and that change is committed. Returns the version."""
    version = uuid.uuid4().hex
    cache.set(DATA_VERSION_KEY, version, timeout=None)
    return version


def housing_cached(name: str, read: Callable[[], Value]) -> Value:
    """What `read()` returns for the current data version: from the cache, or read and
    stored there under `name` (a key unique to what `read` reads, at most ~200 characters)."""
    key = f"housing:{housing_data_version()}:{name}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = read()
        cache.set(key, value, timeout=ENTRY_SECONDS)
    return cast(Value, value)
