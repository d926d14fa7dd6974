"""St. Louis County's municipal boundaries for the maps, read from the public data folder
(never copied into the repository) and made light enough for a phone: coordinates rounded
to 5 decimals (about a metre) and repeated points dropped. Each feature keeps only its
municipality's name, in the file's upper case."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

BOUNDARIES_FILE = "stl_county_municipal_boundaries.geojson"
PLACES = 5


def boundaries_path() -> Path:
    return Path(settings.CIVIC_DATA_DIR) / "stlouis" / BOUNDARIES_FILE


def _ring(points: list[list[float]]) -> list[list[float]]:
    ring: list[list[float]] = []
    for longitude, latitude, *_ in points:
        point = [round(longitude, PLACES), round(latitude, PLACES)]
        if not ring or ring[-1] != point:
            ring.append(point)
    return ring


def _geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [_ring(ring) for ring in geometry["coordinates"]]}
    if geometry["type"] == "MultiPolygon":
        return {
            "type": "MultiPolygon",
            "coordinates": [[_ring(ring) for ring in polygon] for polygon in geometry["coordinates"]],
        }
    raise ValueError(f"a boundary must be a polygon, not a {geometry['type']}")


@lru_cache(maxsize=2)
def _boundaries_geojson(path: Path, modified_ns: int) -> bytes:
    collection = json.loads(path.read_text(encoding="utf-8"))
    features = [
        {
            "type": "Feature",
            "properties": {"municipality": str(feature["properties"].get("municipality", "")).strip()},
            "geometry": _geometry(feature["geometry"]),
        }
        for feature in collection["features"]
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode()


def boundaries_geojson() -> bytes:
    """The lightened GeoJSON, recomputed only when the file changes. Raises OSError when the
    data folder has no boundaries file."""
    path = boundaries_path()
    return _boundaries_geojson(path, path.stat().st_mtime_ns)
