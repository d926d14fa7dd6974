"""Fixtures of the collaborative's tests: the ecosystem demo data."""

from __future__ import annotations

import pytest
from django.conf import settings

from cities.services import app_demo_data_load


@pytest.fixture
def ecosystem_data(demo_data) -> None:
    """The core's demo data and the seven cities' ecosystem maps."""
    app_demo_data_load(data_dir=settings.CIVIC_DATA_DIR, labels={"collaborative"})
