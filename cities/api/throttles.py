"""DRF's throttles, kept by the core's one rate limit (`cities.rate_limits`): each client is
counted by the core's client address (the socket and the trusted proxies), never by an
X-Forwarded-For the client wrote itself, in the `limits` cache: when it cannot be reached they
refuse (503, `cities.middleware`) rather than let every request through. The rates are DRF's
(`DEFAULT_THROTTLE_RATES`), counted in fixed windows of the rate's period."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from cities.client_address import client_address
from cities.rate_limits import Limit, RateLimit, rate_limit_take


class _ClientThrottle(SimpleRateThrottle):
    taken: RateLimit | None = None

    def get_ident(self, request: Request) -> str:
        return client_address(request)

    def allow_request(self, request: Request, view: Any) -> bool:
        attempts, window_seconds = self.parse_rate(self.rate)
        if attempts is None or window_seconds is None:
            return True
        subject = self.get_cache_key(request, view)
        if subject is None:
            return True
        limit = Limit(scope=f"api-{self.scope}", attempts=attempts, window_seconds=window_seconds)
        self.taken = rate_limit_take(limit=limit, subject=subject)
        return self.taken.allowed

    def wait(self) -> float | None:
        return self.taken.retry_after_seconds if self.taken is not None else None


class AnonymousClientThrottle(_ClientThrottle, AnonRateThrottle):
    pass


class UserClientThrottle(_ClientThrottle, UserRateThrottle):
    pass
