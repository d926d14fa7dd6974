"""DRF's throttles, counting each client by the core's client address (the socket and the
trusted proxies), never by an X-Forwarded-For the client wrote itself."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from cities.client_address import client_address


class AnonymousClientThrottle(AnonRateThrottle):
    def get_ident(self, request: Request) -> str:
        return client_address(request)


class UserClientThrottle(UserRateThrottle):
    def get_ident(self, request: Request) -> str:
        return client_address(request)
