"""Fixtures of the Boston summer jobs tests: a small synthetic season."""

from __future__ import annotations

import pytest

from youthjobs.services import boston_geography_load, synthetic_data_load


@pytest.fixture
def small_season(demo_data, settings, django_capture_on_commit_callbacks) -> None:
    """The core's catalogue and a synthetic season of 120 youth (15 sites), with the
    eligibility the ingestion sends on commit (run here, as a worker would)."""
    with django_capture_on_commit_callbacks(execute=True):
        synthetic_data_load(youth=120, seed=7, data_dir=settings.CIVIC_DATA_DIR)


@pytest.fixture
def boston_geography(demo_data, settings) -> None:
    """The core's catalogue and Boston's neighbourhoods, ZIP code areas and MBTA stops."""
    boston_geography_load(data_dir=settings.CIVIC_DATA_DIR)
