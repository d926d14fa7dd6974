"""Boston's real geography for the summer jobs app: which neighbourhood a point lies in, and
random points inside a neighbourhood. Pure (no Django): the boundary file's path comes in.

The boundaries are the City's 26 neighbourhoods (shared/data/boston/boston_neighborhoods.geojson,
Analyze Boston), published in Massachusetts State Plane feet (EPSG:2249) and turned into
longitude/latitude (WGS 84) on loading, and its ZIP code areas, published in longitude/latitude.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry import shape

NEIGHBOURHOODS_FILE = Path("boston") / "boston_neighborhoods.geojson"
ZIP_CODES_FILE = Path("boston") / "boston_zip_codes.geojson"


@dataclass(frozen=True)
class Areas:
    """Named polygons: Boston's neighbourhoods, or its ZIP code areas."""

    names: tuple[str, ...]
    geometries: tuple[shapely.Geometry, ...]

    def geometry(self, name: str) -> shapely.Geometry:
        return self.geometries[self.names.index(name)]


STATE_PLANE_FEET = "EPSG:2249"
LONGITUDE_LATITUDE = "EPSG:4326"


def _areas_load(path: Path, name_property: str, crs: str = LONGITUDE_LATITUDE) -> Areas:
    features = json.loads(path.read_text())["features"]
    geometries = [shape(feature["geometry"]) for feature in features]
    if crs != LONGITUDE_LATITUDE:
        to_degrees = Transformer.from_crs(crs, LONGITUDE_LATITUDE, always_xy=True)
        geometries = [
            shapely.transform(geometry, lambda xy: np.column_stack(to_degrees.transform(xy[:, 0], xy[:, 1])))
            for geometry in geometries
        ]
    for geometry in geometries:
        shapely.prepare(geometry)
    names = tuple(str(feature["properties"][name_property]) for feature in features)
    return Areas(names=names, geometries=tuple(geometries))


@lru_cache(maxsize=4)
def neighbourhoods_load(data_dir: Path) -> Areas:
    """The neighbourhood polygons under `data_dir` (settings.CIVIC_DATA_DIR), prepared for
    fast point tests. Read once per process."""
    return _areas_load(data_dir / NEIGHBOURHOODS_FILE, "Name", crs=STATE_PLANE_FEET)


@lru_cache(maxsize=4)
def zip_areas_load(data_dir: Path) -> Areas:
    """Boston's ZIP code areas (a ZIP may come in several pieces, each its own polygon)."""
    return _areas_load(data_dir / ZIP_CODES_FILE, "ZIP5")


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


TRANSIT_STOPS_FILE = Path("boston") / "mbta_gtfs_stops.txt"
# GTFS location_type 0: a stop or platform where riders board (not a station's shell,
# entrance or node). Only those around the City matter for Boston's youth and sites.
BOARDING_STOP = "0"
AROUND_BOSTON = (-71.25, 42.20, -70.95, 42.45)  # west, south, east, north


@lru_cache(maxsize=4)
def transit_stops_load(data_dir: Path) -> np.ndarray:
    """The MBTA's boarding stops around Boston (GTFS stops.txt) as (longitude, latitude) rows."""
    stops = pd.read_csv(
        data_dir / TRANSIT_STOPS_FILE,
        usecols=["stop_lat", "stop_lon", "location_type"],
        dtype=str,
        keep_default_na=False,
    )
    # Generic nodes and boarding areas carry no coordinates; they are not boarding stops.
    stops = stops.assign(
        stop_lat=pd.to_numeric(stops["stop_lat"], errors="coerce"),
        stop_lon=pd.to_numeric(stops["stop_lon"], errors="coerce"),
    )
    west, south, east, north = AROUND_BOSTON
    boarding = (
        (stops["location_type"].isin([BOARDING_STOP, ""]))
        & stops["stop_lon"].between(west, east)
        & stops["stop_lat"].between(south, north)
    )
    coordinates: np.ndarray = stops.loc[boarding, ["stop_lon", "stop_lat"]].to_numpy(dtype=float)
    return coordinates


@lru_cache(maxsize=4)
def neighbourhoods_geojson(data_dir: Path) -> str:
    """The neighbourhoods as a GeoJSON FeatureCollection in longitude/latitude, simplified to
    about 10 m (plenty for a city map, a fraction of the file), each feature named `name`."""
    areas = neighbourhoods_load(data_dir)
    features = [
        {
            "type": "Feature",
            "properties": {"name": name},
            "geometry": json.loads(shapely.to_geojson(shapely.simplify(geometry, 0.0001))),
        }
        for name, geometry in zip(areas.names, areas.geometries, strict=True)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features})
