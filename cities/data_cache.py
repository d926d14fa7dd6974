"""The one cache of reads every visitor shares (dashboards, filter choices, map points, boundary
documents), kept in the `default` cache under the current version of an app's data.

Each app's data has a version (`data_version`); an entry is stored under the version it was
read at, so nothing read before a change is served after it. One invalidation for all:
`data_version_bump(app)`, sent on commit by the ingestion machinery for every run that changed
an app's rows (`cities.ingestion`) and by the other writes that change public figures (a risk
refresh, a dashboard's recomputation). Entries of a replaced version are never read again and
expire by themselves.

A missing entry is read by one process at a time (`cities.single_flight`): the others wait
for it and then take what it stored, so a new version does not set every web process reading
the same seconds-long query at once.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import TypeVar, cast

from django.core.cache import cache

from cities.single_flight import single_flight

# How long an entry lives. It stands for its version's data until a change replaces the
# version; the limit only reclaims entries of replaced versions, and bounds how long a
# change made outside the services (none should be) could go unseen.
ENTRY_SECONDS = 60 * 60
# A read that outlives this is done again by a waiting process (its reader may have died).
READ_LOCK_SECONDS = 120

_MISSING = object()
Value = TypeVar("Value")


def _version_key(app: str) -> str:
    return f"data-version:{app}"


def data_version(app: str) -> str:
    """The current version of `app`'s data (an app label: "housing", "courts"...). A cache
    that has lost it (flushed, restarted) starts a new version, never one it may have held
    entries under before."""
    key = _version_key(app)
    version = cache.get(key)
    if version is None:
        # `add`, so that of two requests starting a version at once, both use the first one's.
        cache.add(key, uuid.uuid4().hex, timeout=None)
        version = cache.get(key)
        if version is None:
            # The cache cannot be reached (`DegradingRedisCache` keeps nothing): a version of
            # its own for this read, under which nothing will be found.
            return uuid.uuid4().hex
    return cast(str, version)


def data_version_bump(app: str) -> str:
    """Start a new version of `app`'s data: every entry cached so far is stale. Call it once
    the change is committed (`transaction.on_commit`). Returns the new version."""
    version = uuid.uuid4().hex
    cache.set(_version_key(app), version, timeout=None)
    return version


def data_etag(app: str, name: str) -> str:
    """A weak ETag for what `data_cached(app, name, ...)` holds, known without reading it:
    it changes with the version of the app's data."""
    return f'W/"{hashlib.sha256(f"{app}:{data_version(app)}:{name}".encode()).hexdigest()[:32]}"'


def data_cached(app: str, name: str, read: Callable[[], Value], *, timeout: int = ENTRY_SECONDS) -> Value:
    """What `read()` returns for the current version of `app`'s data: from the cache, or read
    (by one process at a time) and stored there under `name` (a key unique to what `read`
    reads, at most ~200 characters). An exception from `read` stores nothing."""
    key = f"data:{app}:{data_version(app)}:{name}"
    value = cache.get(key, _MISSING)
    if value is not _MISSING:
        return cast(Value, value)
    # Whether it held the lock or waited in vain, the caller reads: after the wait, the
    # entry is either there or its reader is too slow to wait for.
    with single_flight(f"data-cache:{key}", hold_seconds=READ_LOCK_SECONDS, wait_seconds=READ_LOCK_SECONDS):
        value = cache.get(key, _MISSING)
        if value is _MISSING:
            value = read()
            cache.set(key, value, timeout=timeout)
    return cast(Value, value)
