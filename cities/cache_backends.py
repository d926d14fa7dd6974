"""The portal's two uses of Redis as a cache, and what each does when Redis cannot be reached.

- `default` (`DegradingRedisCache`): copies of what can be read or computed again (dashboards,
  map documents, filter choices). Unreachable, it holds nothing: reads miss, writes are
  dropped, and pages are served uncached, more slowly, never with an error.
- `limits` (`ReportingRedisCache`, reached through `limits_cache`): the counts behind rate
  limits (API throttles, ticket lookups, stories). Without them a limit cannot be kept, so
  they fail closed: `CacheUnavailable`, which `cities.middleware` answers with a 503 "try
  again in a few minutes".
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, cast

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.connection import ConnectionProxy
from redis import RedisError

logger = logging.getLogger(__name__)

# Like django.core.cache.cache: a proxy that answers as the alias's backend in each thread.
limits_cache = cast(BaseCache, ConnectionProxy(caches, "limits"))


class CacheUnavailable(Exception):
    """The cache could not be reached (or answered with an error)."""


def _reporting(command: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(command)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except RedisError as error:
            raise CacheUnavailable(type(error).__name__) from error

    return call


class ReportingRedisCacheClient(RedisCacheClient):
    """Django's Redis client whose every command raises CacheUnavailable, not redis-py's own
    errors, so callers need not know which cache library is behind the cache."""


# Every command of Django's client, wrapped alike.
for _command in (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
):
    setattr(ReportingRedisCacheClient, _command, _reporting(getattr(RedisCacheClient, _command)))


class ReportingRedisCache(RedisCache):
    """Django's Redis cache raising CacheUnavailable when Redis cannot be reached."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReportingRedisCacheClient


def _unreachable(operation: str, error: CacheUnavailable) -> None:
    logger.warning("cache unreachable (%s); %s skipped, served uncached", error, operation)


class DegradingRedisCache(ReportingRedisCache):
    """A cache that cannot be reached is an empty cache that keeps nothing. Counting (`incr`)
    still raises: a count that silently restarts at zero would lift a limit."""

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except CacheUnavailable as error:
            _unreachable("get", error)
            return default

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        try:
            return super().get_many(keys, version)
        except CacheUnavailable as error:
            _unreachable("get_many", error)
            return {}

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except CacheUnavailable as error:
            _unreachable("has_key", error)
            return False

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except CacheUnavailable as error:
            _unreachable("add", error)
            return False

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except CacheUnavailable as error:
            _unreachable("set", error)

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        try:
            return super().set_many(data, timeout, version)
        except CacheUnavailable as error:
            _unreachable("set_many", error)
            return list(data)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return super().touch(key, timeout, version)
        except CacheUnavailable as error:
            _unreachable("touch", error)
            return False

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except CacheUnavailable as error:
            _unreachable("delete", error)
            return False

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        try:
            super().delete_many(keys, version)
        except CacheUnavailable as error:
            _unreachable("delete_many", error)
