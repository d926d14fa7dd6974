"""The boundary layers the DC map draws: each area's name and, for clusters, its
neighbourhoods (`cities.boundaries` builds and caches the documents)."""

from __future__ import annotations

from cities.boundaries import BoundaryDocument, NoSuchBoundaries, boundary_document

# The map's name of a layer: the Boundary layer, the schema its files are read with, and the
# properties the map reads.
BOUNDARY_LAYERS: dict[str, tuple[str, str, dict[str, str]]] = {
    "wards": ("dc-wards", "housing.ward_boundaries", {"name": "name"}),
    "clusters": ("dc-clusters", "housing.cluster_boundaries", {"name": "name", "detail": "neighbourhoods"}),
}


def map_boundary_document(kind: str) -> BoundaryDocument:
    """The layer `kind` ("wards" or "clusters") as compact GeoJSON. Raises NoSuchBoundaries."""
    try:
        layer, schema, properties = BOUNDARY_LAYERS[kind]
    except KeyError:
        raise NoSuchBoundaries(kind) from None
    return boundary_document(layer=layer, schema=schema, properties=properties)
