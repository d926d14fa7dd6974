"""Boston's geography through the core's ingestion: the neighbourhoods published in State
Plane feet come out in longitude/latitude where the City's own ZIP areas (published in
longitude/latitude) say they are, and the MBTA stops keep the file's coordinates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from cities.models import Boundary
from youthjobs.geography import (
    NEIGHBOURHOODS_LAYER,
    ZIP_CODES_LAYER,
    GeographyMissing,
    area_of,
    neighbourhoods_load,
    transit_stops_load,
    zip_areas_load,
)
from youthjobs.services import boston_geography_load

pytestmark = pytest.mark.django_db


def test_the_neighbourhoods_lie_where_the_zip_areas_of_the_same_places_do(boston_geography):
    neighbourhoods = neighbourhoods_load()
    zips = zip_areas_load()

    assert len(neighbourhoods.names) == 26 and Boundary.objects.filter(layer=NEIGHBOURHOODS_LAYER).count() == 26
    # Points inside ZIP areas wholly within one neighbourhood (published apart, in other units).
    for code, neighbourhood in (("02131", "Roslindale"), ("02136", "Hyde Park"), ("02128", "East Boston")):
        inside = shapely.point_on_surface(zips.geometry(code))
        found = area_of(longitude=np.array([inside.x]), latitude=np.array([inside.y]), areas=neighbourhoods)
        assert found[0] == neighbourhood, code


def test_a_zip_published_in_pieces_is_one_area(boston_geography):
    zips = zip_areas_load()

    assert zips.names.count("02467") == 1
    assert Boundary.objects.filter(layer=ZIP_CODES_LAYER, code="02467").get().geometry.startswith('{"type":"Multi')


def test_the_stops_are_the_files_boarding_stops_around_boston_with_the_same_coordinates(boston_geography, settings):
    stops = pd.read_csv(settings.CIVIC_DATA_DIR / "boston" / "mbta_gtfs_stops.txt", dtype=str, keep_default_na=False)
    latitude, longitude = pd.to_numeric(stops["stop_lat"]), pd.to_numeric(stops["stop_lon"])
    expected = (
        stops["location_type"].isin(["0", ""]) & longitude.between(-71.25, -70.95) & latitude.between(42.20, 42.45)
    )
    expected_points = np.column_stack((longitude[expected], latitude[expected]))

    loaded = transit_stops_load()

    assert len(loaded) == len(expected_points) > 1000
    assert np.array_equal(np.unique(loaded, axis=0), np.unique(expected_points, axis=0))


def test_the_same_files_again_change_nothing(boston_geography, settings):
    again = boston_geography_load(data_dir=settings.CIVIC_DATA_DIR)

    assert [run.rows_created + run.rows_updated for run in again] == [0, 0, 0]


def test_before_the_geography_is_taken_in_it_is_missing_not_empty(demo_data):
    with pytest.raises(GeographyMissing):
        neighbourhoods_load()
    with pytest.raises(GeographyMissing):
        transit_stops_load()
