"""Operations of the Boston summer jobs app that span models: loading a season's files."""

from __future__ import annotations

import io
from pathlib import Path

from cities.ingestion import ingestion_run_create, ingestion_run_execute
from cities.models import Dataset, IngestionRun
from cities.services import DemoDataError
from youthjobs.synthetic import synthetic_files

# The catalogue's dataset of each generated file (see cities/demo/datasets.csv).
SYNTHETIC_DATASETS = {
    "seasons": "youthjobs-seasons",
    "sites": "youthjobs-sites",
    "positions": "youthjobs-positions",
    "applicants": "youthjobs-applicants",
    "direct_hires": "youthjobs-direct-hires",
}
# Small enough that `make run` stays quick; `generate_youthjobs_data --youth 8000` makes
# the programme's real size.
DEMO_YOUTH = 800
DEMO_SEED = 2026


def synthetic_data_load(*, youth: int, seed: int, data_dir: Path) -> list[IngestionRun]:
    """Generate a synthetic season (`youthjobs.synthetic`) and ingest its five files through
    their catalogued datasets, as a programme's own files would come in.

    Needs the core's demo data (the catalogue) first. Raises DemoDataError at the first
    refused file, naming it and its errors; the files before it stay loaded. Rows are
    upserted by their ids: the same youth count and seed a second time changes nothing."""
    runs = []
    for name, content in synthetic_files(youth=youth, seed=seed, data_dir=data_dir).in_order():
        slug = SYNTHETIC_DATASETS[name]
        dataset = Dataset.objects.filter(slug=slug).first()
        if dataset is None or not dataset.schema.startswith("youthjobs."):
            raise DemoDataError(f"the catalogue has no dataset {slug!r}; load the core's data first")
        stream = io.BytesIO(content)
        run = ingestion_run_create(dataset=dataset, stream=stream, file_name=f"synthetic_{name}_{seed}.csv")
        run = ingestion_run_execute(run_id=run.pk)
        if run.status != IngestionRun.Status.SUCCEEDED:
            raise DemoDataError(f"the synthetic {name} file was refused: {run.errors}")
        runs.append(run)
    return runs


def youthjobs_demo_data_load(*, data_dir: Path) -> list[IngestionRun]:
    """The demo's synthetic season: `DEMO_YOUTH` youth from `DEMO_SEED`."""
    return synthetic_data_load(youth=DEMO_YOUTH, seed=DEMO_SEED, data_dir=data_dir)
