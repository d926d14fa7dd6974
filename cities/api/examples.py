"""What the core's API answers and accepts, as examples in the OpenAPI schema: rows of the
demo data (`manage.py load_demo_data`), of a learning partner since the core names no city
app. A list's example is one of its rows; drf-spectacular puts it in the page shape
(`cities.api.pagination`)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample

# The demo's grants file, ingested: the grants dataset's latest run and its current version.
GRANTS_RUN = {
    "id": 4,
    "status": "succeeded",
    "created_at": "2026-12-07T07:09:42.646978-05:00",
    "finished_at": "2026-12-07T07:09:42.704586-05:00",
    "rows_read": 7,
    "rows_created": 7,
    "rows_updated": 0,
    "rows_unchanged": 0,
    "rows_rejected": 0,
    "error_count": 0,
    "file_checksum": "86bfe48ced88ad5c30f80f4c458c4ec32f24f79dbb86060ee86e234379f1f29b",
}

CITY = OpenApiExample(
    "Cleveland",
    value={
        "slug": "cleveland",
        "name": "Cleveland",
        "state": "OH",
        "role": "learning",
        "focus": "Learning from the core cities' civic tech and data work",
        "description": "A learning partner: takes part in the collaborative's exchanges and adapts what works.",
        "grant_total": "10000.00",
        "grant_count": 1,
    },
)

ORGANIZATION = OpenApiExample(
    "Living Cities",
    value={
        "slug": "living-cities",
        "name": "Living Cities",
        "kind": "funder",
        "home_city": None,
        "website": "https://livingcities.org",
        "description": "National collaborative of foundations and financial institutions; funds and convenes the "
        "collaborative.",
    },
)

PARTNERSHIP = OpenApiExample(
    "Living Cities in Cleveland",
    value={
        "url": "http://127.0.0.1:8000/api/v1/partnerships/cleveland/living-cities/",
        "organization": "living-cities",
        "city": "cleveland",
        "role": "funder",
        "contribution": "Grant funding and convening of the collaborative",
    },
)

GRANT = OpenApiExample(
    "Cleveland's learning partner grant",
    value={
        "reference": "ctdc-2016-cleveland",
        "funder": "living-cities",
        "city": "cleveland",
        "amount": "10000.00",
        "purpose": "Civic Tech and Data Collaborative: learning partner grant",
        "starts_on": "2016-10-01",
        "ends_on": "2018-03-31",
    },
)

DATASET = OpenApiExample(
    "Grants to the cities",
    value={
        "slug": "grants",
        "title": "Grants to the cities",
        "city": None,
        "publisher": "living-cities",
        "description": "$200,000 to each core city and $10,000 to each learning partner.",
        "source": "Civic Portal demo data (cities/demo/grants.csv)",
        "source_url": "",
        "licence": "CC0 1.0",
        "update_frequency": "irregular",
        "contains_personal_data": False,
        "schema": "cities.grants",
        "file_columns": [
            {"name": "reference", "kind": "text", "required": True, "key": True},
            {"name": "funder", "kind": "organisation (slug)", "required": True, "key": False},
            {"name": "city", "kind": "city (slug)", "required": True, "key": False},
            {"name": "amount", "kind": "decimal", "required": True, "key": False},
            {"name": "purpose", "kind": "text", "required": True, "key": False},
            {"name": "starts_on", "kind": "date (YYYY-MM-DD)", "required": True, "key": False},
            {"name": "ends_on", "kind": "date (YYYY-MM-DD)", "required": True, "key": False},
        ],
        "latest_run": GRANTS_RUN,
        "current_version": GRANTS_RUN,
    },
)

INGESTION_RUN = OpenApiExample(
    "The grants file, ingested",
    value={
        **GRANTS_RUN,
        "dataset": "grants",
        "file_name": "grants.csv",
        "file_size": 970,
        "started_at": "2026-12-07T07:09:42.656057-05:00",
        "errors": [],
    },
    response_only=True,
)

INGESTION_RUN_OFFER = OpenApiExample(
    "A grants file offered",
    value={"dataset": "grants", "file": "grants.csv"},
    request_only=True,
    media_type="multipart/form-data",
)
