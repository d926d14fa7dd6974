"""DRF's throttles, counting in the `limits` cache: when it cannot be reached they refuse
(503, `cities.middleware`) rather than let every request through."""

from __future__ import annotations

from rest_framework import throttling

from cities.cache_backends import limits_cache


class AnonRateThrottle(throttling.AnonRateThrottle):
    cache = limits_cache


class UserRateThrottle(throttling.UserRateThrottle):
    cache = limits_cache
