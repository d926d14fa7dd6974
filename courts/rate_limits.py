"""How often one client may do something (search for tickets, send a story), counted in the
cache (Redis when deployed), so that every web process shares the count."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class RateLimit:
    allowed: bool
    retry_after_seconds: int

    @property
    def retry_after_minutes(self) -> int:
        return max(1, -(-self.retry_after_seconds // 60))


def client_attempt_count(
    *, scope: str, client_address: str, attempts: int, window_seconds: int, now: float | None = None
) -> RateLimit:
    """Count one attempt by this client at `scope` and say whether it may go ahead.

    A client may make `attempts` attempts in each fixed window of `window_seconds` (counted
    atomically with the cache's incr); over that, every attempt is refused until the window
    ends, and `retry_after_seconds` says when that is. The address is kept only as a keyed
    digest, never as itself."""
    now = time.time() if now is None else now
    window = int(now // window_seconds)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_address}".encode()).hexdigest()[:32]
    key = f"courts:{scope}:{digest}:{window}"
    cache.add(key, 0, timeout=window_seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:
        # The window's counter expired between add and incr: this is its first attempt.
        cache.set(key, 1, timeout=window_seconds + 1)
        count = 1
    retry_after = int((window + 1) * window_seconds - now) + 1
    return RateLimit(allowed=count <= attempts, retry_after_seconds=retry_after)
