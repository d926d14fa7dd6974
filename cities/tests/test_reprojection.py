"""GeoJSON published in a projected coordinate system is stored in longitude/latitude by the
core's reader (`cities.ingestion`), whichever app's file it is."""

from __future__ import annotations

import json

import pytest
from pyproj import Transformer

from cities.ingestion import LONGITUDE_LATITUDE, geometry_reprojected
from cities.models import Boundary, Dataset, IngestionRun
from cities.tests.test_ingestion import offer

# The origin of Massachusetts State Plane (mainland, feet, EPSG:2249) by its definition:
# 71°30'W, 41°N lies at the false easting and northing, 200,000 m and 750,000 m in US feet.
US_SURVEY_FOOT_METRES = 1200 / 3937
ORIGIN_FEET = (200_000 / US_SURVEY_FOOT_METRES, 750_000 / US_SURVEY_FOOT_METRES)
ORIGIN_DEGREES = (-71.5, 41.0)


def test_a_state_plane_point_becomes_its_longitude_and_latitude():
    to_degrees = Transformer.from_crs("EPSG:2249", LONGITUDE_LATITUDE, always_xy=True)

    point = geometry_reprojected({"type": "Point", "coordinates": list(ORIGIN_FEET)}, to_degrees)

    assert point["type"] == "Point"
    assert point["coordinates"] == pytest.approx(list(ORIGIN_DEGREES), abs=1e-8)  # a millimetre


def state_plane_square(crs_name: str | None) -> bytes:
    east, north = ORIGIN_FEET
    ring = [[east, north], [east + 1000, north], [east + 1000, north + 1000], [east, north + 1000], [east, north]]
    document: dict = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"municipality": "Origin"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        ],
    }
    if crs_name is not None:
        document["crs"] = {"type": "name", "properties": {"name": crs_name}}
    return json.dumps(document).encode()


@pytest.mark.django_db
def test_a_file_naming_its_crs_is_stored_in_longitude_and_latitude(demo_data, tmp_path):
    dataset = Dataset.objects.get(schema="courts.municipal_boundaries")

    run = offer(dataset, state_plane_square("urn:ogc:def:crs:EPSG::2249"), tmp_path, name="origin.geojson")

    assert run.status == IngestionRun.Status.SUCCEEDED, run.errors
    corner = json.loads(Boundary.objects.get(code="ORIGIN").geometry)["coordinates"][0][0]
    assert corner == pytest.approx(list(ORIGIN_DEGREES), abs=1e-6)


@pytest.mark.django_db
def test_a_file_naming_an_unknown_crs_is_refused_whole(demo_data, tmp_path):
    dataset = Dataset.objects.get(schema="courts.municipal_boundaries")

    run = offer(dataset, state_plane_square("EPSG:999999"), tmp_path, name="origin.geojson")

    assert run.status == IngestionRun.Status.FAILED
    assert run.errors[0]["message"] == "the file's coordinate reference system 'EPSG:999999' is not one we know"
    assert not Boundary.objects.filter(code="ORIGIN").exists()
