"""The one cache of shared reads (`cities.data_cache`): entries per version of an app's data,
the version replaced when an ingestion of that app's data commits, one read at a time."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.http import Http404
from django.test import RequestFactory

from cities.boundaries import BoundaryDocument, NoSuchBoundaries, boundary_document_view
from cities.data_cache import data_cached, data_etag, data_version, data_version_bump
from cities.models import Dataset
from cities.tests.test_ingestion import NEW_GRANTS, offer


def counting_read() -> tuple[list[int], Callable[[], int]]:
    reads: list[int] = []

    def read() -> int:
        reads.append(1)
        return len(reads)

    return reads, read


def test_a_read_is_made_once_per_data_version() -> None:
    reads, read = counting_read()

    assert data_cached("housing", "test:reads", read) == 1
    assert data_cached("housing", "test:reads", read) == 1
    data_version_bump("housing")
    assert data_cached("housing", "test:reads", read) == 2
    assert len(reads) == 2


def test_a_bump_leaves_the_other_apps_entries_alone() -> None:
    reads, read = counting_read()
    data_cached("courts", "test:reads", read)

    data_version_bump("housing")

    assert data_cached("courts", "test:reads", read) == 1
    assert len(reads) == 1


def test_a_read_of_nothing_is_cached_too() -> None:
    reads: list[int] = []

    def read() -> list[str]:
        reads.append(1)
        return []

    assert data_cached("housing", "test:empty", read) == []
    assert data_cached("housing", "test:empty", read) == []
    assert len(reads) == 1


def test_a_read_that_fails_stores_nothing() -> None:
    def failing() -> int:
        raise NoSuchBoundaries("dc-wards")

    with pytest.raises(NoSuchBoundaries):
        data_cached("housing", "test:failing", failing)

    assert data_cached("housing", "test:failing", lambda: 7) == 7


def test_a_cache_that_lost_the_version_starts_a_new_one() -> None:
    before = data_version("housing")
    assert data_version("housing") == before

    cache.clear()

    assert data_version("housing") != before


def test_the_etag_changes_with_the_version_and_the_name() -> None:
    first = data_etag("housing", "map-points:a")

    assert first.startswith('W/"') and data_etag("housing", "map-points:a") == first
    assert data_etag("housing", "map-points:b") != first
    data_version_bump("housing")
    assert data_etag("housing", "map-points:a") != first


def test_without_a_reachable_cache_every_read_is_made_and_served(redis_cache_down) -> None:
    _, read = counting_read()

    assert data_cached("housing", "test:reads", read) == 1
    assert data_cached("housing", "test:reads", read) == 2


def test_an_ingestion_that_changed_rows_replaces_its_apps_version_once_committed(
    demo_data, tmp_path, django_capture_on_commit_callbacks
) -> None:
    grants = Dataset.objects.get(slug="grants")  # a dataset of the core, cities.grants
    before = data_version("cities")
    other_app = data_version("housing")

    with django_capture_on_commit_callbacks() as callbacks:
        offer(grants, NEW_GRANTS, tmp_path)
        # Until the run commits, readers still read (and may cache) the old rows.
        assert data_version("cities") == before
    for callback in callbacks:
        callback()

    changed = data_version("cities")
    assert changed != before
    assert data_version("housing") == other_app
    with django_capture_on_commit_callbacks(execute=True):
        unchanged = offer(grants, NEW_GRANTS, tmp_path)
    assert unchanged.rows_unchanged == 2
    assert data_version("cities") == changed


@pytest.mark.django_db(transaction=True)
def test_misses_at_once_read_only_once() -> None:
    reads: list[str] = []

    def slow_read() -> int:
        reads.append(threading.current_thread().name)
        time.sleep(0.4)  # every caller arrives while the first reads
        return 42

    served: list[int] = []
    callers = [
        threading.Thread(target=lambda: served.append(data_cached("courts", "test:slow", slow_read)), name=f"c{n}")
        for n in range(5)
    ]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join()

    assert len(reads) == 1
    assert served == [42] * 5


def document_of(reads: list[str]) -> Callable[..., BoundaryDocument]:
    def document(kind: str) -> BoundaryDocument:
        reads.append(kind)
        if kind != "wards":
            raise NoSuchBoundaries(kind)
        return BoundaryDocument(body=b'{"type":"FeatureCollection","features":[]}', etag='"abc123"')

    return document


def test_the_boundary_view_answers_the_document_with_its_etag_and_304_when_unchanged() -> None:
    view = boundary_document_view(document_of([]))
    factory = RequestFactory()

    response = view(factory.get("/wards.geojson"), kind="wards")
    again = view(factory.get("/wards.geojson", HTTP_IF_NONE_MATCH='"abc123"'), kind="wards")
    changed = view(factory.get("/wards.geojson", HTTP_IF_NONE_MATCH='"older"'), kind="wards")

    assert response.status_code == 200 and response["ETag"] == '"abc123"'
    assert response["Content-Type"] == "application/geo+json"
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    assert again.status_code == 304 and again.content == b"" and "max-age=86400" in again["Cache-Control"]
    assert changed.status_code == 200 and changed.content.startswith(b'{"type":"FeatureCollection"')


def test_the_boundary_view_answers_404_for_a_layer_not_taken_in_and_refuses_writes() -> None:
    view = boundary_document_view(document_of([]))

    with pytest.raises(Http404):
        view(RequestFactory().get("/clusters.geojson"), kind="clusters")
    assert view(RequestFactory().post("/wards.geojson"), kind="wards").status_code == 405
