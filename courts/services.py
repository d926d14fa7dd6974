"""Operations of the St. Louis courts app that span models: loading the real St. Louis files
and the demo's synthetic tickets."""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone

from cities.models import IngestionRun
from cities.registry import DemoFile
from cities.services import demo_files_load
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


def courts_demo_files(data_dir: Path) -> list[DemoFile]:
    """The real St. Louis files found under `data_dir / "stlouis"` (a checkout of shared/data,
    `settings.CIVIC_DATA_DIR`), each for its catalogued dataset, in dependency order. The
    FAQ's JSON is offered as the CSV `courts.ingest.faq_csv` makes of it."""
    folder = data_dir / "stlouis"
    return [
        DemoFile(dataset=slug, schema=schema, path=folder / file_name)
        if file_name != FAQ_FILE
        else DemoFile(
            dataset=slug,
            schema=schema,
            path=folder / "yourstlcourts_faq.csv",
            content=faq_csv(folder / file_name),
        )
        for slug, schema, file_name in COURTS_DEMO_FILES
    ]


def courts_demo_data_load(*, data_dir: Path) -> list[IngestionRun]:
    """Ingest the real St. Louis files (`courts_demo_files`) through the core's demo loop.

    Needs the core's demo data (the catalogue) first. Raises DemoDataError, at the first
    refused file, naming it and its errors; the files before it stay loaded. Idempotent: a
    second load finds every row unchanged."""
    return demo_files_load(courts_demo_files(data_dir))


def demo_tickets_write_today() -> None:
    """After the real files, whose court dates are all in 2015: the few clearly synthetic
    tickets of `courts.synthetic.DEMO_TICKETS` with court dates in the coming weeks, so that
    reminders can be asked for and seen going out (`manage.py send_due_reminders`)."""
    demo_tickets_write(today=timezone.localdate())
