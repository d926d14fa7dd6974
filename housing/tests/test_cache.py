"""The cache of shared reads of the DC housing data, and the data version that retires it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.core.cache import cache

from housing.cache import housing_cached, housing_data_version, housing_data_version_bump
from housing.risk import risk_assessment_refresh


def counting_read() -> tuple[list[int], Callable[[], int]]:
    reads: list[int] = []

    def read() -> int:
        reads.append(1)
        return len(reads)

    return reads, read


def test_a_read_is_made_once_per_data_version() -> None:
    reads, read = counting_read()

    assert housing_cached("test:reads", read) == 1
    assert housing_cached("test:reads", read) == 1
    housing_data_version_bump()
    assert housing_cached("test:reads", read) == 2
    assert len(reads) == 2


def test_a_read_of_nothing_is_cached_too() -> None:
    reads: list[int] = []

    def read() -> list[str]:
        reads.append(1)
        return []

    assert housing_cached("test:empty", read) == []
    assert housing_cached("test:empty", read) == []
    assert len(reads) == 1


def test_a_cache_that_lost_the_version_starts_a_new_one() -> None:
    before = housing_data_version()
    assert housing_data_version() == before

    cache.clear()

    assert housing_data_version() != before


def test_the_risk_refresh_starts_a_new_version_once_committed(dc_data, django_capture_on_commit_callbacks) -> None:
    before = housing_data_version()

    with django_capture_on_commit_callbacks() as callbacks:
        risk_assessment_refresh(as_of=date(2016, 4, 1))
        # Until the refresh commits, readers still read (and may cache) the old rows.
        assert housing_data_version() == before
    for callback in callbacks:
        callback()

    assert housing_data_version() != before
