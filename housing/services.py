"""Operations of the DC housing app that span models: loading the real DC files, refreshing
what is derived from them."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from cities.models import IngestionRun
from cities.registry import DemoFile
from cities.services import demo_files_load
from housing.owners import owners_refresh
from housing.risk import risk_assessment_refresh

# (catalogue dataset, the schema it must be read with, file under <data dir>/dc). Order
# matters: subsidies, inspections, parcels and events name projects loaded before them.
HOUSING_DEMO_FILES = (
    ("dc-preservation-catalog-projects", "housing.projects", "prescat_project.csv"),
    ("dc-preservation-catalog-subsidies", "housing.subsidies", "prescat_subsidy.csv"),
    ("dc-preservation-catalog-inspections-2016", "housing.inspections", "prescat_export_20160401/Reac_score.csv"),
    ("dc-preservation-catalog-parcels-2016", "housing.parcels", "prescat_export_20160401/Parcel.csv"),
    ("dc-preservation-catalog-sales-2016", "housing.property_events", "prescat_export_20160401/Real_property.csv"),
    ("dc-neighborhood-housing-clusters", "housing.cluster_indicators", "neighborhoodinfo_cluster/nc_housing.csv"),
    ("dc-neighborhood-housing-tracts", "housing.tract_indicators", "neighborhoodinfo_tract/housing.csv"),
    ("dc-wards", "housing.ward_boundaries", "geo/ward.geojson"),
    ("dc-neighborhood-cluster-boundaries", "housing.cluster_boundaries", "geo/neighborhood_cluster.geojson"),
    ("dc-census-tract-boundaries", "housing.tract_boundaries", "geo/census_tract.geojson"),
    ("dc-zip-code-boundaries", "housing.zip_boundaries", "geo/zip.geojson"),
)
# The rest of NeighborhoodInfo DC's profiles (population, foreclosures, schools, well-being):
# context on project pages and in the API, ~70,000 figures that no risk rule reads.
HOUSING_PROFILE_FILES = tuple(
    (f"dc-neighborhood-profiles-{geography}s", f"housing.{geography}_indicators", f"{folder}/{file_name}")
    for geography, folder, file_names in (
        (
            "cluster",
            "neighborhoodinfo_cluster",
            ("nc_population.csv", "nc_foreclosures.csv", "nc_schools.csv", "nc_well_being.csv"),
        ),
        ("tract", "neighborhoodinfo_tract", ("population.csv", "foreclosures.csv", "schools.csv", "wellbeing.csv")),
    )
    for file_name in file_names
)


def housing_demo_files(data_dir: Path, *, with_profiles: bool = True) -> list[DemoFile]:
    """The real DC Preservation Catalog, NeighborhoodInfo DC and boundary files found under
    `data_dir / "dc"` (a checkout of shared/data, `settings.CIVIC_DATA_DIR`), each for its
    catalogued dataset, in dependency order; the other profiles too unless `with_profiles`
    is false (tests that never read them)."""
    return [
        DemoFile(dataset=slug, schema=schema, path=data_dir / "dc" / relative_path)
        for slug, schema, relative_path in HOUSING_DEMO_FILES + (HOUSING_PROFILE_FILES if with_profiles else ())
    ]


def housing_demo_data_load(*, data_dir: Path, with_profiles: bool = True) -> list[IngestionRun]:
    """Ingest the DC files (`housing_demo_files`) through the core's demo loop.

    Needs the core's demo data (the catalogue) first. Raises DemoDataError, at the first
    refused file, naming it and its errors; the files before it stay loaded. Idempotent: a
    second load finds every row unchanged."""
    return demo_files_load(housing_demo_files(data_dir, with_profiles=with_profiles))


@transaction.atomic
def derived_data_refresh() -> dict[str, int]:
    """Bring everything derived from the DC files up to date with them: the owners and their
    projects, then every project's risk assessment (whose for-profit-owner rule reads the
    owner type). Returns the counts of both."""
    return {**owners_refresh(), **risk_assessment_refresh()}
