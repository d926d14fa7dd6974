"""Boundary layers as the maps draw them: one compact GeoJSON document per layer, built from
the ingested `cities.Boundary` rows, holding only the properties a map asks for.

A document is built once per ingestion that changed its layer and kept in the cache; its
ETag changes with it, so browsers revalidate cheaply.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Max, Q

from cities.models import Boundary, IngestionRun

BOUNDARY_FIELDS = ("code", "name", "detail")


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
        # The stored geometry is compact GeoJSON already: placed as it is, never parsed again.
        features.append(f'{{"type":"Feature","properties":{json.dumps(shown)},"geometry":{row["geometry"]}}}')
    if not features:
        raise NoSuchBoundaries(layer)
    body = ('{"type":"FeatureCollection","features":[' + ",".join(features) + "]}").encode()
    return BoundaryDocument(body=body, etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"')
