"""How often one client may do something (search for tickets, send a story), counted in the
`limits` cache (Redis when deployed), so that every web process shares the count; without
it nothing is counted and the request is refused (CacheUnavailable, a 503)."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from cities.cache_backends import limits_cache


@dataclass(frozen=True)
class RateLimit:
    allowed: bool
    retry_after_seconds: int

    @property
    def retry_after_minutes(self) -> int:
        return max(1, -(-self.retry_after_seconds // 60))


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or, behind COURTS_TRUSTED_PROXIES proxies (a load
    balancer in front of gunicorn), the address the outermost of them saw in
    X-Forwarded-For. Entries a client wrote itself (further left) are never believed."""
    proxies = settings.COURTS_TRUSTED_PROXIES
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))


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
    limits_cache.add(key, 0, timeout=window_seconds + 1)
    try:
        count = limits_cache.incr(key)
    except ValueError:
        # The window's counter expired between add and incr: this is its first attempt.
        limits_cache.set(key, 1, timeout=window_seconds + 1)
        count = 1
    retry_after = int((window + 1) * window_seconds - now) + 1
    return RateLimit(allowed=count <= attempts, retry_after_seconds=retry_after)
