"""One computation at a time across every web and worker process: a lock kept in the cache.

Figures that take seconds to compute (a dashboard at county scale) must not be computed
by every request that finds them missing at once. `single_flight` holds a lock for the
computation; the others wait for it to finish and then use what it stored.

The lock is an entry of the `limits` cache (the one that reports an unreachable Redis
rather than pretending to be empty, `cities.cache_backends`) added with `add` (atomic in
Redis) and holding a random token, so only its holder deletes it; it expires after
`hold_seconds` should its holder die. When the cache cannot be reached there is no lock
to take: the caller computes at once, unlocked (a slower page, never a request that
waits or retries forever).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from cities.cache_backends import CacheUnavailable, limits_cache

logger = logging.getLogger(__name__)

# How often a waiting caller looks whether the lock has been released.
POLL_SECONDS = 0.1


@contextmanager
def single_flight(name: str, *, hold_seconds: int, wait_seconds: float) -> Iterator[bool]:
    """Hold the lock ``name`` for the ``with`` block, waiting up to ``wait_seconds`` while
    another process holds it.

    Yields True when this caller holds the lock or the cache cannot be reached (then no
    lock exists and the caller goes ahead); False when another process still held it
    after the wait. The lock is released when the block ends, whatever happens in it.
    """
    key = f"single-flight:{name}"
    token = uuid.uuid4().hex
    held: bool | None
    try:
        held = _acquire(key, token, hold_seconds=hold_seconds, wait_seconds=wait_seconds)
    except CacheUnavailable:
        logger.warning("the cache cannot be reached: %s is computed without its lock", name)
        held = None
    if held is None:
        yield True
        return
    if not held:
        yield False
        return
    try:
        yield True
    finally:
        _release(key, token)


def _acquire(key: str, token: str, *, hold_seconds: int, wait_seconds: float) -> bool:
    deadline = time.monotonic() + wait_seconds
    held = bool(limits_cache.add(key, token, timeout=hold_seconds))
    while not held and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        held = bool(limits_cache.add(key, token, timeout=hold_seconds))
    return held


def _release(key: str, token: str) -> None:
    # Only the holder deletes the lock: after a computation that outlived hold_seconds,
    # the key may already be another process's lock.
    try:
        if limits_cache.get(key) == token:
            limits_cache.delete(key)
    except CacheUnavailable:
        logger.warning("the cache cannot be reached: the lock %s expires by itself", key)
