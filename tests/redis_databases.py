"""The Redis databases one test process uses: Celery's (REDIS_URL), the cache's
(REDIS_CACHE_URL), and the next one up, a spare for the real Celery worker that
tests/test_celery_worker.py starts.

Tests clear the cache and the worker tests read their queue's every message, so test
processes that run at once (pytest-xdist's workers, `make test`) must not share any of
them: worker N takes the block of databases N blocks above the configured ones.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from civicportal.env import redis_database_url


def redis_database(url: str) -> int:
    return int(urlsplit(url).path.strip("/") or 0)


def redis_spare_url(*, broker_url: str, cache_url: str) -> str:
    """The spare database: the one above both the broker's and the cache's."""
    return redis_database_url(broker_url, max(redis_database(broker_url), redis_database(cache_url)) + 1)


def redis_urls_of_worker(*, broker_url: str, cache_url: str, worker: int) -> tuple[str, str]:
    """The broker's and the cache's URLs for the test process numbered `worker` (from 0): the
    same databases for the first, then each process a block (both and the spare) higher."""
    broker, cache = redis_database(broker_url), redis_database(cache_url)
    shift = worker * (max(broker, cache) + 2 - min(broker, cache))
    return redis_database_url(broker_url, broker + shift), redis_database_url(cache_url, cache + shift)
