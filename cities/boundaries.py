"""Boundary layers as the maps draw them: one compact GeoJSON document per layer, built from
the ingested `cities.Boundary` rows, holding only the properties a map asks for.

A document is built once per ingestion that changed its layer and kept in the cache; its
ETag changes with it, so browsers revalidate cheaply. The stored geometry keeps every
published vertex (for placing records in areas); the maps get it simplified for display,
a sixth of the size, and the response is compressed on the way out (GZipMiddleware).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import shapely
from django.core.cache import cache
from django.db.models import Max, Q
from shapely.geometry import mapping

from cities.models import Boundary, IngestionRun

BOUNDARY_FIELDS = ("code", "name", "detail")
# Degrees of longitude/latitude. 0.00002 is about 2 m in DC and St. Louis: under one pixel
# at the maps' closest zoom (15, about 4 m a pixel), so the outlines look the same while
# the St. Louis County file shrinks from 1.4 MB to 230 KB. Simplification keeps topology
# (no ring crosses itself); 5 decimals are about 1 m.
DISPLAY_TOLERANCE_DEGREES = 0.00002
DISPLAY_DECIMALS = 5


class NoSuchBoundaries(Exception):
    """None of the layer's files has been ingested yet (or the layer is empty)."""


@dataclass(frozen=True)
class BoundaryDocument:
    body: bytes
    etag: str


def boundary_document(*, layer: str, schema: str, properties: Mapping[str, str]) -> BoundaryDocument:
    """The `layer` (whose files are read with `schema`) as a GeoJSON FeatureCollection whose
    features carry, as properties, the Boundary fields named by the keys of `properties`
    under the names they map to (e.g. {"detail": "neighbourhoods"}). Raises NoSuchBoundaries."""
    unknown = set(properties) - set(BOUNDARY_FIELDS)
    if unknown:
        raise ValueError(f"boundaries have no fields {sorted(unknown)}; they have {BOUNDARY_FIELDS}")
    version = (
        IngestionRun.objects.filter(dataset__schema=schema, status=IngestionRun.Status.SUCCEEDED)
        .filter(Q(rows_created__gt=0) | Q(rows_updated__gt=0))
        .aggregate(latest=Max("pk"))["latest"]
    )
    if version is None:
        raise NoSuchBoundaries(layer)
    shape = ",".join(f"{field}={name}" for field, name in sorted(properties.items()))
    key = f"cities:boundaries:{layer}:{version}:{shape}"
    document = cache.get(key)
    if not isinstance(document, BoundaryDocument):
        document = _build(layer=layer, properties=properties)
        cache.set(key, document, timeout=None)
    return document


def _build(*, layer: str, properties: Mapping[str, str]) -> BoundaryDocument:
    features = []
    for row in Boundary.objects.filter(layer=layer).values(*properties, "geometry"):
        shown = {name: row[field] for field, name in properties.items()}
        geometry = display_geometry(row["geometry"])
        features.append(f'{{"type":"Feature","properties":{json.dumps(shown)},"geometry":{geometry}}}')
    if not features:
        raise NoSuchBoundaries(layer)
    body = ('{"type":"FeatureCollection","features":[' + ",".join(features) + "]}").encode()
    return BoundaryDocument(body=body, etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"')


def display_geometry(geojson: str) -> str:
    """A stored GeoJSON geometry as a map draws it: simplified within
    DISPLAY_TOLERANCE_DEGREES, keeping its topology, coordinates rounded to DISPLAY_DECIMALS,
    as compact GeoJSON."""
    simplified = shapely.from_geojson(geojson).simplify(DISPLAY_TOLERANCE_DEGREES, preserve_topology=True)
    rounded = shapely.transform(simplified, lambda coordinates: np.round(coordinates, DISPLAY_DECIMALS))
    # json.dumps writes each float in its shortest form (-90.35346, not -90.353460000000001).
    return json.dumps(mapping(rounded), separators=(",", ":"))
