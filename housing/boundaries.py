"""The boundary layers the DC map draws, from the ingested `cities.Boundary` rows.

A layer is served as one compact GeoJSON document holding only what the map shows (each
area's name and, for clusters, its neighbourhoods), built once per ingestion of its file and
kept in the cache; its ETag changes with each ingestion that changed it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Max, Q

from cities.models import Boundary, IngestionRun

# The map's name of a layer: (the Boundary layer, the schema its files are read with, the
# property name the map reads the detail under).
BOUNDARY_LAYERS: dict[str, tuple[str, str, str]] = {
    "wards": ("dc-wards", "housing.ward_boundaries", ""),
    "clusters": ("dc-clusters", "housing.cluster_boundaries", "neighbourhoods"),
}


class NoSuchBoundaries(Exception):
    """The layer is unknown, or none of its files has been ingested yet."""


@dataclass(frozen=True)
class BoundaryDocument:
    body: bytes
    etag: str


def boundary_document(kind: str) -> BoundaryDocument:
    """The layer `kind` as compact GeoJSON with its ETag. Raises NoSuchBoundaries."""
    try:
        layer, schema, detail_name = BOUNDARY_LAYERS[kind]
    except KeyError:
        raise NoSuchBoundaries(kind) from None
    version = (
        IngestionRun.objects.filter(dataset__schema=schema, status=IngestionRun.Status.SUCCEEDED)
        .filter(Q(rows_created__gt=0) | Q(rows_updated__gt=0))
        .aggregate(latest=Max("pk"))["latest"]
    )
    if version is None:
        raise NoSuchBoundaries(kind)
    key = f"housing:boundaries:{layer}:{version}"
    document = cache.get(key)
    if document is None:
        document = _build(layer=layer, detail_name=detail_name)
        if not document.body:
            raise NoSuchBoundaries(kind)
        cache.set(key, document, timeout=None)
    return document


def _build(*, layer: str, detail_name: str) -> BoundaryDocument:
    features = []
    for name, detail, geometry in Boundary.objects.filter(layer=layer).values_list("name", "detail", "geometry"):
        properties = {"name": name, **({detail_name: detail} if detail_name else {})}
        # The stored geometry is compact GeoJSON already: placed as it is, never parsed again.
        features.append(f'{{"type":"Feature","properties":{json.dumps(properties)},"geometry":{geometry}}}')
    if not features:
        return BoundaryDocument(body=b"", etag="")
    body = ('{"type":"FeatureCollection","features":[' + ",".join(features) + "]}").encode()
    return BoundaryDocument(body=body, etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"')
