"""St. Louis County's municipal boundaries for the maps, from the ingested `cities.Boundary`
rows of the stl-municipal-boundaries dataset (`courts.ingest.MunicipalBoundariesSchema`):
each area carries only its code (the municipality's name in upper case, as the dashboard's
counts are keyed). `cities.boundaries` builds and caches the document."""

from __future__ import annotations

from cities.boundaries import BoundaryDocument, boundary_document
from courts.ingest import MUNICIPAL_BOUNDARIES_LAYER, MunicipalBoundariesSchema


def municipal_boundaries_document() -> BoundaryDocument:
    """The municipal boundaries as compact GeoJSON with an ETag. Raises NoSuchBoundaries."""
    return boundary_document(
        layer=MUNICIPAL_BOUNDARIES_LAYER, schema=MunicipalBoundariesSchema.slug, properties={"code": "municipality"}
    )
