"""How often one client may do something (search for tickets, send a story), and how often one
ticket may be searched for in vain, counted in the `limits` cache (Redis when deployed), so
that every web process shares the count; without it nothing is counted and the request is
refused (CacheUnavailable, a 503). Limits that spare honest people count only what reached the
service: a form refused for its own errors is never counted."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings

from cities.cache_backends import limits_cache


@dataclass(frozen=True)
class RateLimit:
    allowed: bool
    retry_after_seconds: int

    @property
    def retry_after_minutes(self) -> int:
        return max(1, -(-self.retry_after_seconds // 60))


def _counter(scope: str, subject: str, window_seconds: int, now: float) -> tuple[str, int]:
    """The cache key of this subject's count in the current window, and the seconds until the
    next window. The subject is kept only as a keyed digest, never as itself."""
    window = int(now // window_seconds)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{subject}".encode()).hexdigest()[:32]
    return f"courts:{scope}:{digest}:{window}", int((window + 1) * window_seconds - now) + 1


def attempt_count(
    *, scope: str, subject: str, attempts: int, window_seconds: int, now: float | None = None
) -> RateLimit:
    """Count one attempt of `subject` (a client address, a ticket number...) at `scope` and
    say whether it may go ahead.

    A subject may make `attempts` attempts in each fixed window of `window_seconds` (counted
    atomically with the cache's incr); over that, every attempt is refused until the window
    ends, and `retry_after_seconds` says when that is."""
    now = time.time() if now is None else now
    key, retry_after = _counter(scope, subject, window_seconds, now)
    limits_cache.add(key, 0, timeout=window_seconds + 1)
    try:
        count = limits_cache.incr(key)
    except ValueError:
        # The window's counter expired between add and incr: this is its first attempt.
        limits_cache.set(key, 1, timeout=window_seconds + 1)
        count = 1
    return RateLimit(allowed=count <= attempts, retry_after_seconds=retry_after)


def attempts_left(
    *, scope: str, subject: str, attempts: int, window_seconds: int, now: float | None = None
) -> RateLimit:
    """Whether `subject` may still attempt `scope` in this window, counting nothing: for the
    limits that count only what succeeded (or only what failed) once it is known."""
    now = time.time() if now is None else now
    key, retry_after = _counter(scope, subject, window_seconds, now)
    return RateLimit(allowed=int(limits_cache.get(key, 0)) < attempts, retry_after_seconds=retry_after)


def client_attempt_count(
    *, scope: str, client_address: str, attempts: int, window_seconds: int, now: float | None = None
) -> RateLimit:
    """Count one attempt by this client (see `attempt_count`)."""
    return attempt_count(scope=scope, subject=client_address, attempts=attempts, window_seconds=window_seconds, now=now)


def client_attempts_left(
    *, scope: str, client_address: str, attempts: int, window_seconds: int, now: float | None = None
) -> RateLimit:
    """Whether this client may still attempt `scope`, counting nothing (see `attempts_left`)."""
    return attempts_left(scope=scope, subject=client_address, attempts=attempts, window_seconds=window_seconds, now=now)
