"""The one way every rate limit is kept (API throttles, ticket lookups by page, API and text
message, stories): counts of attempts per subject in fixed windows, in the `limits` cache
(Redis when deployed), so that every web process shares them.

One call shape: `rate_limit_take` counts an attempt and answers whether it may go ahead, in
one atomic step (the cache's `add` and `incr`), so that requests arriving together can never
all read "one left" and all go ahead. An attempt that turns out not to count (a form refused
for its own errors, a search that found its ticket, where only failures are limited) is given
back with `rate_limit_give_back`. Without the cache nothing can be counted and the request is
refused (CacheUnavailable, a 503, `cities.middleware`): a limit fails closed.

The subject (a client address, a ticket number...) is kept only as a keyed digest, never as
itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from dataclasses import dataclass

from django.conf import settings

from cities.cache_backends import limits_cache


@dataclass(frozen=True)
class Limit:
    """`attempts` attempts of one subject at `scope` in each fixed window of `window_seconds`."""

    scope: str
    attempts: int
    window_seconds: int


@dataclass(frozen=True)
class RateLimit:
    """The answer to one attempt: whether it may go ahead, and when the window ends."""

    allowed: bool
    retry_after_seconds: int
    # The counter the attempt was counted in, for giving it back.
    counter: str = ""

    @property
    def retry_after_minutes(self) -> int:
        return max(1, -(-self.retry_after_seconds // 60))


def _counter(limit: Limit, subject: str, now: float) -> tuple[str, int]:
    """The cache key of this subject's count in the current window, and the seconds until the
    next window."""
    window = int(now // limit.window_seconds)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{subject}".encode()).hexdigest()[:32]
    return f"rate:{limit.scope}:{digest}:{window}", int((window + 1) * limit.window_seconds - now) + 1


def rate_limit_take(*, limit: Limit, subject: str, now: float | None = None) -> RateLimit:
    """Count one attempt of `subject` at `limit.scope` and say whether it may go ahead.

    The first `limit.attempts` attempts of a window are allowed; over that, every attempt is
    refused until the window ends, and `retry_after_seconds` says when that is. Counting and
    deciding are one atomic step: of any number of attempts at once, at most the limit go
    ahead."""
    now = time.time() if now is None else now
    key, retry_after = _counter(limit, subject, now)
    timeout = limit.window_seconds + 1
    if limits_cache.add(key, 1, timeout=timeout):
        count = 1
    else:
        try:
            count = limits_cache.incr(key)
        except ValueError:
            # The window's counter expired between add and incr: this is its first attempt.
            limits_cache.add(key, 1, timeout=timeout)
            count = 1
    return RateLimit(allowed=count <= limit.attempts, retry_after_seconds=retry_after, counter=key)


def rate_limit_give_back(taken: RateLimit) -> None:
    """Un-count an allowed attempt that turned out not to count. A refused attempt is never
    given back: the subject stays refused until its window ends."""
    if not taken.allowed or not taken.counter:
        return
    # ValueError: the window ended meanwhile and its counter with it; nothing to give back.
    with contextlib.suppress(ValueError):
        limits_cache.decr(taken.counter)
