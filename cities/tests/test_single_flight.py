"""One computation at a time: the cache lock of `cities.single_flight`."""

from __future__ import annotations

import time

import pytest

from cities.cache_backends import limits_cache
from cities.single_flight import single_flight


def test_a_second_caller_does_not_get_the_lock_while_the_first_holds_it() -> None:
    with single_flight("figures", hold_seconds=30, wait_seconds=0) as first:
        started = time.monotonic()
        with single_flight("figures", hold_seconds=30, wait_seconds=0.3) as second:
            waited = time.monotonic() - started
        assert first is True and second is False
        assert 0.3 <= waited < 2
    with single_flight("figures", hold_seconds=30, wait_seconds=0) as third:
        assert third is True


def test_the_lock_is_released_when_the_block_fails() -> None:
    with pytest.raises(RuntimeError), single_flight("figures", hold_seconds=30, wait_seconds=0):
        raise RuntimeError("the computation failed")

    with single_flight("figures", hold_seconds=30, wait_seconds=0) as held:
        assert held is True


def test_a_lock_that_expired_and_was_taken_by_another_is_left_to_it() -> None:
    with single_flight("figures", hold_seconds=30, wait_seconds=0) as held:
        assert held
        # Our hold ran out and another process took the lock: it is theirs to release.
        limits_cache.set("single-flight:figures", "another process's token", timeout=30)

    assert limits_cache.get("single-flight:figures") == "another process's token"


def test_without_a_reachable_cache_the_caller_goes_ahead_at_once(redis_cache_down) -> None:
    started = time.monotonic()

    with single_flight("figures", hold_seconds=30, wait_seconds=30) as held:
        assert held is True

    assert time.monotonic() - started < 5
