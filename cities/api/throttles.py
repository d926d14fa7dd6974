"""DRF's throttles, counting each client by the core's client address (the socket and the
trusted proxies), never by an X-Forwarded-For the client wrote itself, in the `limits` cache:
when it cannot be reached they refuse (503, `cities.middleware`) rather than let every
request through."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from cities.cache_backends import limits_cache
from cities.client_address import client_address


class AnonymousClientThrottle(AnonRateThrottle):
    cache = limits_cache

    def get_ident(self, request: Request) -> str:
        return client_address(request)


class UserClientThrottle(UserRateThrottle):
    cache = limits_cache

    def get_ident(self, request: Request) -> str:
        return client_address(request)
