"""What the portal sends: boundaries simplified for the maps, and text compressed for any
client that accepts it."""

from __future__ import annotations

import gzip
import json
import math

import pytest
import shapely
from django.conf import settings
from django.urls import reverse

from cities.boundaries import DISPLAY_TOLERANCE_DEGREES, display_geometry
from cities.ingestion import ingest_path
from cities.models import Boundary, Dataset

pytestmark = pytest.mark.django_db


def dense_circle(points: int) -> str:
    """A circle about 1 km across with a vertex every few metres, as published outlines have."""
    ring = [
        [-90.3 + 0.006 * math.cos(2 * math.pi * step / points), 38.6 + 0.006 * math.sin(2 * math.pi * step / points)]
        for step in range(points)
    ]
    return json.dumps({"type": "Polygon", "coordinates": [[*ring, ring[0]]]})


def test_a_boundary_is_drawn_with_fewer_points_and_the_same_outline() -> None:
    stored = dense_circle(2000)

    shown = display_geometry(stored)

    original, simplified = shapely.from_geojson(stored), shapely.from_geojson(shown)
    assert shapely.get_num_coordinates(simplified) < shapely.get_num_coordinates(original) / 4
    assert simplified.is_valid
    assert original.hausdorff_distance(simplified) <= DISPLAY_TOLERANCE_DEGREES * 1.5
    assert all(len(str(value).split(".")[1]) <= 5 for point in json.loads(shown)["coordinates"][0] for value in point)


def test_the_court_maps_boundaries_go_out_simplified_and_gzipped(client, demo_data) -> None:
    dataset = Dataset.objects.get(slug="stl-municipal-boundaries")
    ingest_path(dataset=dataset, path=settings.CIVIC_DATA_DIR / "stlouis" / "stl_county_municipal_boundaries.geojson")
    stored_bytes = sum(len(geometry) for geometry in Boundary.objects.values_list("geometry", flat=True))

    response = client.get(reverse("courts:boundaries"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    body = gzip.decompress(response.content)
    assert len(body) < stored_bytes / 4
    assert len(response.content) < 100 * 1024
    assert len(json.loads(body)["features"]) == Boundary.objects.filter(layer=Boundary.objects.first().layer).count()


@pytest.mark.parametrize(
    "address",
    ["/", "/datasets/", "/api/v1/datasets/", "/static/css/portal.css", "/static/vendor/chart.js/chart.umd.min.js"],
)
def test_text_goes_out_gzipped_when_the_client_accepts_it(client, demo_data, address: str) -> None:
    compressed = client.get(address, HTTP_ACCEPT_ENCODING="gzip")
    plain = client.get(address)

    assert compressed.status_code == plain.status_code == 200
    assert compressed["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain
    body = compressed.getvalue() if compressed.streaming else compressed.content
    assert len(gzip.decompress(body)) > len(body)
