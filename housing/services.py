"""Operations of the DC housing app that span models: loading the real DC files."""

from __future__ import annotations

from pathlib import Path

from cities.ingestion import ingest_path
from cities.models import Dataset, IngestionRun
from cities.services import DemoDataError

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
)


def housing_demo_data_load(*, data_dir: Path) -> list[IngestionRun]:
    """Ingest the real DC Preservation Catalog and NeighborhoodInfo DC files found under
    `data_dir / "dc"` (a checkout of shared/data, `settings.CIVIC_DATA_DIR`), each through
    its catalogued dataset, in dependency order.

    Needs the core's demo data (the catalogue) first. Raises DemoDataError, at the first
    refused file, naming it and its errors; the files before it stay loaded. Idempotent: a
    second load finds every row unchanged."""
    runs = []
    for slug, schema, relative_path in HOUSING_DEMO_FILES:
        dataset = Dataset.objects.filter(slug=slug).first()
        if dataset is None or dataset.schema != schema:
            raise DemoDataError(f"the catalogue has no dataset {slug!r} read with {schema}; load the core's data first")
        run = ingest_path(dataset=dataset, path=data_dir / "dc" / relative_path)
        if run.status != IngestionRun.Status.SUCCEEDED:
            raise DemoDataError(f"DC file {relative_path} was refused: {run.errors}")
        runs.append(run)
    return runs
