"""Boston's real geography for the summer jobs app: which neighbourhood a point lies in, random
points inside a neighbourhood, and where riders board the MBTA.

The layers enter through the core's ingestion machinery like every city's boundaries
(`youthjobs.ingest`: the City's 26 neighbourhoods, published in Massachusetts State Plane feet
and turned into longitude/latitude by the core's reader; its ZIP code areas; the MBTA's GTFS
stops) and are read here from the stored `cities.Boundary` rows, kept in the data cache until
the next ingestion of Boston data (`cities.data_cache`). `area_of` and `points_in` are pure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from cities.boundaries import BoundaryDocument, boundary_document
from cities.data_cache import data_cached
from cities.models import Boundary

NEIGHBOURHOODS_LAYER = "boston-neighbourhoods"
ZIP_CODES_LAYER = "boston-zip-codes"
TRANSIT_STOPS_LAYER = "boston-transit-stops"
# The catalogue's datasets of the layers (youthjobs/demo/datasets.csv): (schema, file under
# settings.CIVIC_DATA_DIR).
GEOGRAPHY_FILES = {
    "boston-neighborhoods": ("youthjobs.neighbourhood_boundaries", Path("boston") / "boston_neighborhoods.geojson"),
    "boston-zip-codes": ("youthjobs.zip_boundaries", Path("boston") / "boston_zip_codes.geojson"),
    "mbta-stops": ("youthjobs.transit_stops", Path("boston") / "mbta_gtfs_stops.txt"),
}


class GeographyMissing(LookupError):
    """A layer of Boston's geography has not been taken in yet."""


@dataclass(frozen=True)
class Areas:
    """Named polygons: Boston's neighbourhoods, or its ZIP code areas."""

    names: tuple[str, ...]
    geometries: tuple[shapely.Geometry, ...]

    def geometry(self, name: str) -> shapely.Geometry:
        return self.geometries[self.names.index(name)]


def _stored_layer(layer: str) -> list[tuple[str, str]]:
    rows = list(Boundary.objects.filter(layer=layer).order_by("pk").values_list("code", "geometry"))
    if not rows:
        raise GeographyMissing(f"Boston's {layer} have not been taken in yet")
    return rows


def _areas_load(layer: str) -> Areas:
    rows = data_cached("youthjobs", f"geography:{layer}", lambda: _stored_layer(layer))
    geometries = tuple(shapely.from_geojson([geometry for _, geometry in rows]))
    shapely.prepare(geometries)
    return Areas(names=tuple(code for code, _ in rows), geometries=geometries)


def neighbourhoods_load() -> Areas:
    """The neighbourhood polygons (longitude/latitude), prepared for fast point tests.
    Raises GeographyMissing."""
    return _areas_load(NEIGHBOURHOODS_LAYER)


def zip_areas_load() -> Areas:
    """Boston's ZIP code areas (a ZIP published in several pieces is one MultiPolygon).
    Raises GeographyMissing."""
    return _areas_load(ZIP_CODES_LAYER)


def area_of(*, longitude: np.ndarray, latitude: np.ndarray, areas: Areas) -> np.ndarray:
    """The name of the area each point lies in, "" for a point in none of them
    (vectorised: one test of all points per area)."""
    names = np.full(len(longitude), "", dtype=object)
    for name, geometry in zip(areas.names, areas.geometries, strict=True):
        inside = shapely.contains_xy(geometry, longitude, latitude) & (names == "")
        names[inside] = name
    return names


def points_in(*, geometry: shapely.Geometry, count: int, rng: np.random.Generator) -> np.ndarray:
    """`count` points (longitude, latitude) drawn uniformly inside `geometry`, by rejection
    from its bounding box; the same generator state gives the same points."""
    west, south, east, north = geometry.bounds
    found: list[np.ndarray] = []
    needed = count
    while needed > 0:
        # Neighbourhoods fill a third or more of their box, so four times as many tries
        # almost always suffice in one round.
        tries = max(needed * 4, 16)
        candidates = np.column_stack((rng.uniform(west, east, tries), rng.uniform(south, north, tries)))
        inside = candidates[shapely.contains_xy(geometry, candidates[:, 0], candidates[:, 1])][:needed]
        found.append(inside)
        needed -= len(inside)
    return np.concatenate(found) if found else np.empty((0, 2))


# Only the stops around the City matter for Boston's youth and sites.
AROUND_BOSTON = (-71.25, 42.20, -70.95, 42.45)  # west, south, east, north


def _stored_stops() -> np.ndarray:
    points = [json.loads(geometry)["coordinates"] for _, geometry in _stored_layer(TRANSIT_STOPS_LAYER)]
    stops = np.array(points, dtype=float).reshape(-1, 2)
    west, south, east, north = AROUND_BOSTON
    around = (stops[:, 0] >= west) & (stops[:, 0] <= east) & (stops[:, 1] >= south) & (stops[:, 1] <= north)
    return stops[around]


def transit_stops_load() -> np.ndarray:
    """The MBTA's boarding stops around Boston as (longitude, latitude) rows.
    Raises GeographyMissing."""
    return data_cached("youthjobs", f"geography:{TRANSIT_STOPS_LAYER}", _stored_stops)


def neighbourhoods_document() -> BoundaryDocument:
    """The neighbourhoods as the map draws them, each feature named `name`. Raises
    NoSuchBoundaries."""
    return boundary_document(
        layer=NEIGHBOURHOODS_LAYER, schema="youthjobs.neighbourhood_boundaries", properties={"name": "name"}
    )
