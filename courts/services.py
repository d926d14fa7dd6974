"""Operations of the St. Louis courts app that span models: loading the real St. Louis files
and the demo's synthetic tickets."""

from __future__ import annotations

import io
from pathlib import Path

from django.utils import timezone

from cities.ingestion import ingest_path, ingestion_run_create, ingestion_run_execute
from cities.models import Dataset, IngestionRun
from cities.services import DemoDataError
from courts.ingest import faq_csv
from courts.synthetic import demo_tickets_write

FAQ_FILE = "yourstlcourts_faq.json"

# (catalogue dataset, the schema it must be read with, file under <data dir>/stlouis). Order
# matters: each file names rows of the ones before it. citations.csv and violations.csv are
# each read twice: court dates and warrants are columns of theirs.
COURTS_DEMO_FILES = (
    ("stl-municipalities", "courts.municipalities", "municipalities.csv"),
    ("stl-courts", "courts.courts", "courts.csv"),
    ("stl-municipality-courts", "courts.municipality_courts", "municipality_court.csv"),
    ("stl-judges", "courts.judges", "judges.csv"),
    ("stl-municipal-court-survey", "courts.court_survey", "globalhack_municipal_court_survey.csv"),
    ("stl-fine-schedule", "courts.fine_schedule", "globalhack_fine_schedule.csv"),
    ("stl-citations", "courts.citations", "citations.csv"),
    ("stl-court-dates", "courts.court_dates", "citations.csv"),
    ("stl-violations", "courts.violations", "violations.csv"),
    ("stl-warrants", "courts.warrants", "violations.csv"),
    ("stl-court-questions", "courts.questions", FAQ_FILE),
    ("stl-municipal-boundaries", "courts.municipal_boundaries", "stl_county_municipal_boundaries.geojson"),
)


def _catalogued(slug: str, schema: str) -> Dataset:
    dataset = Dataset.objects.filter(slug=slug).first()
    if dataset is None or dataset.schema != schema:
        raise DemoDataError(f"the catalogue has no dataset {slug!r} read with {schema}; load the core's data first")
    return dataset


def courts_demo_data_load(*, data_dir: Path) -> list[IngestionRun]:
    """Ingest the real St. Louis files found under `data_dir / "stlouis"` (a checkout of
    shared/data, `settings.CIVIC_DATA_DIR`), each through its catalogued dataset, in
    dependency order. The FAQ's JSON is offered as the CSV `courts.ingest.faq_csv` makes of it.

    Needs the core's demo data (the catalogue) first. Raises DemoDataError, at the first
    refused file, naming it and its errors; the files before it stay loaded. Idempotent: a
    second load finds every row unchanged."""
    runs = []
    folder = data_dir / "stlouis"
    for slug, schema, file_name in COURTS_DEMO_FILES:
        dataset = _catalogued(slug, schema)
        if file_name == FAQ_FILE:
            stream = io.BytesIO(faq_csv(folder / file_name))
            created = ingestion_run_create(dataset=dataset, stream=stream, file_name="yourstlcourts_faq.csv")
            run = ingestion_run_execute(run_id=created.pk)
        else:
            run = ingest_path(dataset=dataset, path=folder / file_name)
        if run.status != IngestionRun.Status.SUCCEEDED:
            raise DemoDataError(f"St. Louis file {file_name} ({schema}) was refused: {run.errors}")
        runs.append(run)
    return runs


def courts_demo_load(*, data_dir: Path) -> list[IngestionRun]:
    """The St. Louis demo (`load_demo_data`): the real files (`courts_demo_data_load`), whose
    court dates are all in 2015, then the few clearly synthetic tickets of
    `courts.synthetic.DEMO_TICKETS` with court dates in the coming weeks, so that reminders
    can be asked for and seen going out (`manage.py send_due_reminders`)."""
    runs = courts_demo_data_load(data_dir=data_dir)
    demo_tickets_write(today=timezone.localdate())
    return runs
