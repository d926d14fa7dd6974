"""Boundary layers as the maps draw them: one compact GeoJSON document per layer, built from
the ingested `cities.Boundary` rows, holding only the properties a map asks for.

A document is built once per version of its app's data and kept in the data cache
(`cities.data_cache`); its ETag changes with it, so browsers revalidate cheaply
(`boundary_document_view`, the one view every map's layers are served by). The stored geometry keeps every
published vertex (for placing records in areas); the maps get it simplified for display,
a sixth of the size, and the response is compressed on the way out (GZipMiddleware).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe
from shapely.geometry import mapping

from cities.data_cache import data_cached
from cities.models import Boundary

BOUNDARY_FIELDS = ("code", "name", "detail")
# Degrees of longitude/latitude. 0.00002 is about 2 m in DC and St. Louis: under one pixel
# at the maps' closest zoom (15, about 4 m a pixel), so the outlines look the same while
# the St. Louis County file shrinks from 1.4 MB to 230 KB. Simplification keeps topology
# (no ring crosses itself); 5 decimals are about 1 m.
DISPLAY_TOLERANCE_DEGREES = 0.00002
DISPLAY_DECIMALS = 5
# Boundaries change once a decade; a day's reuse without asking, then revalidation by ETag.
BOUNDARY_MAX_AGE = 24 * 60 * 60


class NoSuchBoundaries(Exception):
    """None of the layer's files has been ingested yet (or the layer is empty)."""


@dataclass(frozen=True)
class BoundaryDocument:
    body: bytes
    etag: str


def boundary_document(*, layer: str, schema: str, properties: Mapping[str, str]) -> BoundaryDocument:
    """The `layer` (whose files are read with `schema`) as a GeoJSON FeatureCollection whose
    features carry, as properties, the Boundary fields named by the keys of `properties`
    under the names they map to (e.g. {"detail": "neighbourhoods"}). Cached under the data
    version of the app that publishes the layer (`cities.data_cache`), which every ingestion
    of its files replaces. Raises NoSuchBoundaries."""
    unknown = set(properties) - set(BOUNDARY_FIELDS)
    if unknown:
        raise ValueError(f"boundaries have no fields {sorted(unknown)}; they have {BOUNDARY_FIELDS}")
    shape = ",".join(f"{field}={name}" for field, name in sorted(properties.items()))
    app = schema.partition(".")[0]
    return data_cached(app, f"boundaries:{layer}:{shape}", lambda: _build(layer=layer, properties=properties))


def boundary_document_view(
    document_of: Callable[..., BoundaryDocument],
) -> Callable[..., HttpResponse]:
    """The one view of a boundary document: `document_of` is called with the URL's keyword
    arguments and may raise NoSuchBoundaries (a 404). The response carries the document's
    ETag, so a browser revalidating an unchanged layer gets a 304 without a body (Django's
    `condition`); any cache may keep it a day (boundaries change once a decade), and it is
    compressed on the way out (GZipMiddleware)."""

    def etag_of(request: HttpRequest, **kwargs: Any) -> str | None:
        try:
            return document_of(**kwargs).etag
        except NoSuchBoundaries:
            return None

    @require_safe
    @cache_control(public=True, max_age=BOUNDARY_MAX_AGE)
    @condition(etag_func=etag_of)
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        try:
            document = document_of(**kwargs)
        except NoSuchBoundaries:
            raise Http404("These boundaries have not been taken in yet.") from None
        return HttpResponse(document.body, content_type="application/geo+json")

    return view


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
