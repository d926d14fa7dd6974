"""Fixtures of the DC housing tests: the DC demo data with its derived figures."""

from __future__ import annotations

import pytest

from housing.services import housing_demo_data_load


@pytest.fixture
def dc_data(demo_data, settings, django_capture_on_commit_callbacks) -> None:
    """The core's demo data and the real DC files but the profiles no test reads, with the
    refresh the ingestion sends on commit (run here, as a worker would)."""
    with django_capture_on_commit_callbacks(execute=True):
        housing_demo_data_load(data_dir=settings.CIVIC_DATA_DIR, with_profiles=False)
