"""St. Louis County's municipal boundaries for the maps, from the ingested `cities.Boundary`
rows of the stl-municipal-boundaries dataset (`courts.ingest.MunicipalBoundariesSchema`).

Served as one compact GeoJSON document holding only each area's code (the municipality's
name in upper case, as the dashboard's counts are keyed), built once per ingestion that
changed the layer and kept in the cache; its ETag changes with it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Max, Q

from cities.models import Boundary, IngestionRun
from courts.ingest import MUNICIPAL_BOUNDARIES_LAYER, MunicipalBoundariesSchema


class NoBoundaries(Exception):
    """No file of the municipal boundaries has been ingested yet."""


@dataclass(frozen=True)
class BoundaryDocument:
    body: bytes
    etag: str


def municipal_boundaries_document() -> BoundaryDocument:
    """The municipal boundaries as compact GeoJSON with an ETag. Raises NoBoundaries."""
    version = (
        IngestionRun.objects.filter(
            dataset__schema=MunicipalBoundariesSchema.slug, status=IngestionRun.Status.SUCCEEDED
        )
        .filter(Q(rows_created__gt=0) | Q(rows_updated__gt=0))
        .aggregate(latest=Max("pk"))["latest"]
    )
    if version is None:
        raise NoBoundaries
    key = f"courts:boundaries:{version}"
    document = cache.get(key)
    if not isinstance(document, BoundaryDocument):
        areas = Boundary.objects.filter(layer=MUNICIPAL_BOUNDARIES_LAYER).values_list("code", "geometry")
        # The stored geometry is compact GeoJSON already: placed as it is, never parsed again.
        features = [
            f'{{"type":"Feature","properties":{json.dumps({"municipality": code})},"geometry":{geometry}}}'
            for code, geometry in areas
        ]
        if not features:
            raise NoBoundaries
        body = ('{"type":"FeatureCollection","features":[' + ",".join(features) + "]}").encode()
        document = BoundaryDocument(body=body, etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"')
        cache.set(key, document, timeout=None)
    return document
