"""DC boundary files (GeoJSON) through the core's ingestion, and NeighborhoodInfo DC's profiles."""

from __future__ import annotations

import json

import pytest

from cities.ingestion import ingest_path
from cities.models import Boundary, Dataset, IngestionRun
from housing.models import MarketIndicator
from housing.services import HOUSING_PROFILE_FILES

pytestmark = pytest.mark.django_db


def offer_geojson(tmp_path, schema: str, document) -> IngestionRun:
    path = tmp_path / "offered.geojson"
    path.write_bytes(document if isinstance(document, bytes) else json.dumps(document).encode())
    return ingest_path(dataset=Dataset.objects.get(schema=schema), path=path)


def ward(name: str, corner: float = 0.0, **properties) -> dict:
    ring = [[-77.0 + corner, 38.9], [-77.01 + corner, 38.9], [-77.01 + corner, 38.91], [-77.0 + corner, 38.9]]
    return {
        "type": "Feature",
        "properties": {"NAME": name, **properties},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def collection(*features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def test_a_boundary_file_becomes_one_area_per_feature_with_compact_geometry(demo_data, tmp_path):
    precise = ward("Ward 1")
    precise["geometry"]["coordinates"][0][0] = [-77.123456789, 38.987654321]

    run = offer_geojson(tmp_path, "housing.ward_boundaries", collection(precise, ward("Ward 2", 0.02)))

    assert run.status == IngestionRun.Status.SUCCEEDED and run.rows_created == 2
    area = Boundary.objects.get(layer="dc-wards", code="Ward 1")
    assert area.name == "Ward 1"
    assert json.loads(area.geometry)["coordinates"][0][0] == [-77.123457, 38.987654]
    again = offer_geojson(tmp_path, "housing.ward_boundaries", collection(precise, ward("Ward 2", 0.02)))
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 0, 2)


def test_the_real_clusters_keep_their_neighbourhoods(demo_data, settings):
    run = ingest_path(
        dataset=Dataset.objects.get(slug="dc-neighborhood-cluster-boundaries"),
        path=settings.CIVIC_DATA_DIR / "dc" / "geo" / "neighborhood_cluster.geojson",
    )

    assert run.status == IngestionRun.Status.SUCCEEDED and run.rows_created == 46
    assert Boundary.objects.get(layer="dc-clusters", code="Cluster 7").detail.startswith("Shaw")


@pytest.mark.parametrize(
    ("document", "errors"),
    [
        pytest.param(
            b"{not json",
            [(None, None, "the file is not valid JSON: Expecting property name enclosed in double quotes (line 1)")],
            id="not-json",
        ),
        pytest.param(
            {"type": "Feature"}, [(None, None, "the file is not a GeoJSON FeatureCollection")], id="not-a-collection"
        ),
        pytest.param(
            collection(
                ward("Ward 1"), ward(""), {"type": "Feature", "properties": {"NAME": "Ward 3"}, "geometry": None}
            ),
            [
                (2, "code", "a value is required"),
                (2, "name", "a value is required"),
                (3, "geometry", "a value is required"),
            ],
            id="feature-without-a-name-or-a-shape",
        ),
        pytest.param(
            collection(ward("Ward 1"), ward("Ward 1", 0.05)),
            [(2, "code", "key code='Ward 1', layer='dc-wards' is already on row 1")],
            id="one-code-two-shapes",
        ),
    ],
)
def test_a_bad_boundary_file_changes_nothing_and_names_the_feature(demo_data, tmp_path, document, errors):
    offer_geojson(tmp_path, "housing.ward_boundaries", collection(ward("Ward 8")))
    before = list(Boundary.objects.values())

    run = offer_geojson(tmp_path, "housing.ward_boundaries", document)

    assert run.status == IngestionRun.Status.FAILED
    assert [(error["row"], error["column"], error["message"]) for error in run.errors] == errors
    assert list(Boundary.objects.values()) == before


def test_the_other_profiles_load_as_indicators_of_their_geographies(demo_data, settings):
    for slug, _, relative_path in HOUSING_PROFILE_FILES:
        run = ingest_path(dataset=Dataset.objects.get(slug=slug), path=settings.CIVIC_DATA_DIR / "dc" / relative_path)
        assert run.status == IngestionRun.Status.SUCCEEDED, (relative_path, run.errors[:3])

    population_2010 = MarketIndicator.objects.filter(indicator="TotPop", period="2010")
    assert population_2010.filter(geography_type="cluster").count() == 40
    assert population_2010.filter(geography_type="tract").count() == 179
    assert population_2010.get(geography_type="cluster", geography_code="Cluster 1").value == 18338
