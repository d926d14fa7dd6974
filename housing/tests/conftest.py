"""Fixtures of the DC housing tests: the DC demo data with its derived figures."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cities.data_cache import data_version_bump
from housing.services import derived_data_refresh, housing_demo_data_load


@pytest.fixture
def dc_files_load(demo_data, settings, django_capture_on_commit_callbacks) -> Callable[..., None]:
    """`dc_files_load(with_profiles=...)`: the real DC files on the core's demo data, then
    what their ingestions send on commit, as a worker would find it once they are all in.

    Each file's ingestion sends the same refresh, which reads every file: the first does the
    work and the others find nothing to change, so it runs once here. The dashboard's default
    view is not computed in advance (`dashboard_warm`, tests/test_dashboard_cache.py): a test
    that needs it warm says so."""

    def load(*, with_profiles: bool) -> None:
        with django_capture_on_commit_callbacks():
            housing_demo_data_load(data_dir=settings.CIVIC_DATA_DIR, with_profiles=with_profiles)
        derived_data_refresh()
        data_version_bump("housing")

    return load


@pytest.fixture
def dc_data(dc_files_load) -> None:
    """The core's demo data and the real DC files but the profiles no test reads, with the
    refresh their ingestion sends."""
    dc_files_load(with_profiles=False)
