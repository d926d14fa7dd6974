"""Open data: each dataset's versions, its downloads and its description in the conventions
of open data portals.

- A dataset's *version* is one of its successful ingestion runs (id, time, file checksum);
  the *current* version is the latest. A failed or unfinished upload is never a version.
- The *records* of a dataset are the stored rows its runs last wrote (`ingestion_run`), in
  the columns of its ingestion schema, references written by the referenced row's natural key
  (as in the files), plus the run that wrote each row. They download as CSV (through the one
  CSV writer, streamed from the database in chunks) and, for geographic data, as GeoJSON.
- Access (DCAT-US `accessLevel`): a dataset without personal data is `public`; one with
  personal data is `restricted public`: its records go only to accounts with the `view`
  permission of its model, never with the personal columns, and its files are not published;
  a schema may declare its records `non-public` (Boston's applicants): they never leave.
- `table_schema` is the Frictionless Table Schema of a dataset's records, generated from its
  ingestion schema; `catalogue` is the DCAT-US 1.1 catalogue (`/data.json`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Max, Min, OuterRef, QuerySet, Subquery
from django.urls import reverse

from cities.csv_export import CSVExportWriter, LineStream, csv_text
from cities.ingestion import (
    BOOLEAN,
    DATE,
    DECIMAL,
    FLOAT,
    GEOMETRY,
    INTEGER,
    RUN_FIELD,
    URL,
    Column,
    DatasetSchema,
    registered_schemas,
)
from cities.models import Dataset, IngestionRun

PUBLIC = "public"
RESTRICTED_PUBLIC = "restricted public"
NON_PUBLIC = "non-public"

DCAT_US_SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"
TABLE_SCHEMA_MEDIA_TYPE = "application/vnd.tableschema+json"
GEOJSON_MEDIA_TYPE = "application/geo+json"
CSV_MEDIA_TYPE = "text/csv"
RECORDS_CHUNK = 5_000
# The licences the catalogue's free-text `licence` starts with, as SPDX identifiers.
SPDX_LICENCES = {
    "CC0 1.0": "CC0-1.0",
    "CC-BY-4.0": "CC-BY-4.0",
    "MIT": "MIT",
    "ODbL": "ODbL-1.0",
}
_ACCRUAL_PERIODICITY = {
    Dataset.Frequency.DAILY: "R/P1D",
    Dataset.Frequency.WEEKLY: "R/P1W",
    Dataset.Frequency.MONTHLY: "R/P1M",
    Dataset.Frequency.QUARTERLY: "R/P3M",
    Dataset.Frequency.YEARLY: "R/P1Y",
    Dataset.Frequency.IRREGULAR: "irregular",
}
_TABLE_SCHEMA_TYPES = {INTEGER: "integer", DECIMAL: "number", FLOAT: "number", DATE: "date", BOOLEAN: "boolean"}


class VersionNotFound(LookupError):
    """A version that is not (or no longer) one of the dataset's; `versions` are those that are."""

    def __init__(self, requested: str, versions: list[int], message: str = "") -> None:
        self.requested = requested
        self.versions = versions
        shown = ", ".join(map(str, versions)) if versions else "none yet"
        super().__init__(message or f"Version {requested} is not a version of this dataset; its versions are: {shown}.")


@dataclass(frozen=True)
class Licence:
    spdx_id: str

    @property
    def url(self) -> str:
        return f"https://spdx.org/licenses/{self.spdx_id}.html"


def dataset_licence(dataset: Dataset) -> Licence | None:
    """The dataset's licence as an SPDX identifier, when its `licence` names one first."""
    for words, spdx_id in SPDX_LICENCES.items():
        if dataset.licence == words or dataset.licence.startswith((f"{words} ", f"{words};", f"{words},")):
            return Licence(spdx_id)
    return None


# ---------------------------------------------------------------- versions


def dataset_versions(dataset: Dataset) -> list[IngestionRun]:
    """The dataset's versions, newest first (its successful runs)."""
    return list(dataset.ingestion_runs.versions().defer("errors"))


def dataset_version(dataset: Dataset, requested: str | None = None) -> IngestionRun | None:
    """The version `requested` (a run id as text), or the current one when None. Raises
    VersionNotFound for anything that is not one of the dataset's versions."""
    if requested is None:
        return dataset.ingestion_runs.versions().defer("errors").first()
    versions = dataset.ingestion_runs.versions()
    found = versions.filter(pk=int(requested)).first() if requested.isdigit() else None
    if found is None:
        raise VersionNotFound(requested, list(versions.values_list("pk", flat=True)))
    return found


@dataclass(frozen=True)
class CurrentVersion:
    """A dataset's current version as a figure cites it."""

    dataset_slug: str
    dataset_title: str
    dataset_url: str
    run_id: int | None
    finished_at: datetime | None


def current_versions(schema_slugs: Iterable[str]) -> list[CurrentVersion]:
    """Each dataset read with one of these ingestion schemas, with its current version (none
    before its first successful run), in one query."""
    slugs = list(schema_slugs)
    if not slugs:
        return []
    latest = IngestionRun.objects.versions().filter(dataset=OuterRef("pk"))
    rows = (
        Dataset.objects.filter(schema__in=slugs)
        .annotate(run_id=Subquery(latest.values("pk")[:1]), finished_at=Subquery(latest.values("finished_at")[:1]))
        .order_by("title")
        .values_list("slug", "title", "run_id", "finished_at")
    )
    return [
        CurrentVersion(
            dataset_slug=slug,
            dataset_title=title,
            dataset_url=reverse("cities:dataset-detail", kwargs={"slug": slug}),
            run_id=run_id,
            finished_at=finished_at,
        )
        for slug, title, run_id, finished_at in rows
    ]


def model_versions(model: type) -> list[CurrentVersion]:
    """The current versions of the datasets whose rows become `model`."""
    return current_versions(slug for slug, schema in registered_schemas().items() if schema.model is model)


def version_header(versions: list[CurrentVersion]) -> str:
    """`dataset-slug=run-id` for each dataset with a version, comma-separated (the API's
    `Data-Version` header)."""
    return ", ".join(f"{version.dataset_slug}={version.run_id}" for version in versions if version.run_id is not None)


# ---------------------------------------------------------------- access


def dataset_schema(dataset: Dataset) -> type[DatasetSchema] | None:
    return registered_schemas().get(dataset.schema) if dataset.schema else None


def access_level(dataset: Dataset) -> str:
    schema = dataset_schema(dataset)
    if schema is not None and not schema.records_published:
        return NON_PUBLIC
    return RESTRICTED_PUBLIC if dataset.contains_personal_data else PUBLIC


def may_download_records(user: Any, dataset: Dataset) -> bool:
    """Whether `user` may have the dataset's records: anyone for public data; for restricted
    data an account with the `view` permission of the dataset's model; nobody for non-public."""
    level = access_level(dataset)
    schema = dataset_schema(dataset)
    if level == NON_PUBLIC or schema is None:
        return False
    if level == PUBLIC:
        return True
    meta = schema.model._meta
    return bool(user.has_perm(f"{meta.app_label}.view_{meta.model_name}"))


# ---------------------------------------------------------------- records


def published_columns(schema: type[DatasetSchema]) -> list[Column]:
    """The columns a dataset's records are published with: every column of its schema but
    the private ones (personal values, references to people, the key of a dataset of people)."""
    private = schema.private_columns()
    return [column for column in schema.columns if column.name not in private]


def is_geographic(schema: type[DatasetSchema]) -> bool:
    return any(column.name == GEOMETRY for column in schema.columns)


def dataset_records(dataset: Dataset, schema: type[DatasetSchema]) -> QuerySet[Any]:
    """The stored rows the dataset's runs last wrote, in the order of their ids."""
    runs = IngestionRun.objects.filter(dataset=dataset).values("pk")
    return schema.model._default_manager.filter(**{f"{RUN_FIELD}__in": runs}).order_by("pk")


def _lookup(column: Column) -> str:
    if column.references is not None:
        return f"{column.model_field}__{column.references.by}"
    return column.model_field


def records_csv(dataset: Dataset, schema: type[DatasetSchema]) -> Iterator[str]:
    """The dataset's records as CSV lines: a header with the published columns' names and
    `ingestion_run`, then one line per record, read `RECORDS_CHUNK` rows at a time."""
    columns = published_columns(schema)
    writer = CSVExportWriter(LineStream())
    yield writer.writerow([*(column.name for column in columns), RUN_FIELD])
    rows = dataset_records(dataset, schema).values_list(*(_lookup(column) for column in columns), f"{RUN_FIELD}_id")
    for row in rows.iterator(chunk_size=RECORDS_CHUNK):
        yield writer.writerow([csv_text(value) for value in row])


def records_geojson(dataset: Dataset, schema: type[DatasetSchema]) -> Iterator[str]:
    """The dataset's records as a GeoJSON FeatureCollection, written a feature at a time:
    each record's geometry, and its other published columns as properties."""
    columns = [column for column in published_columns(schema) if column.name != GEOMETRY]
    lookups = [_lookup(column) for column in columns]
    yield '{"type":"FeatureCollection","features":['
    rows = dataset_records(dataset, schema).values_list(schema.column(GEOMETRY).model_field, *lookups, RUN_FIELD)
    for number, (geometry, *values) in enumerate(rows.iterator(chunk_size=RECORDS_CHUNK)):
        properties = {column.name: csv_text(value) for column, value in zip(columns, values[:-1], strict=True)}
        properties[RUN_FIELD] = values[-1]
        feature = {"type": "Feature", "geometry": json.loads(geometry) if geometry else None, "properties": properties}
        yield ("," if number else "") + json.dumps(feature, separators=(",", ":"))
    yield "]}"


# ---------------------------------------------------------------- Table Schema


def table_schema(schema: type[DatasetSchema]) -> dict[str, Any]:
    """The Frictionless Table Schema of the records of a dataset read with `schema`."""
    fields = [_table_field(column, key=column.name in schema.key) for column in published_columns(schema)]
    fields.append(
        {
            "name": RUN_FIELD,
            "type": "integer",
            "description": "The version (ingestion run) that last wrote this record.",
        }
    )
    document: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    published = {column.name for column in published_columns(schema)}
    if all(name in published for name in schema.key):
        document["primaryKey"] = list(schema.key)
    if schema.description:
        document["description"] = schema.description
    return document


def _table_field(column: Column, *, key: bool) -> dict[str, Any]:
    field: dict[str, Any] = {"name": column.name, "type": _TABLE_SCHEMA_TYPES.get(column.kind, "string")}
    if column.name == GEOMETRY:
        field["type"], field["format"] = "geojson", "default"
    elif column.kind == URL:
        field["format"] = "uri"
    elif column.kind == DATE and column.date_format != "%Y-%m-%d":
        # The records give dates as ISO 8601 whatever format the files use.
        field["description"] = f"Files give this date as {column.date_format}."
    elif column.kind == BOOLEAN:
        field["trueValues"], field["falseValues"] = ["true"], ["false"]
    if column.references is not None:
        field["description"] = f"The {column.references.noun}, by its {column.references.by}."
    constraints: dict[str, Any] = {}
    if column.required or key:
        constraints["required"] = True
    if column.max_length is not None and column.references is None:
        constraints["maxLength"] = column.max_length
    if column.choices is not None:
        constraints["enum"] = list(column.choices)
    if constraints:
        field["constraints"] = constraints
    return field


# ---------------------------------------------------------------- DCAT-US catalogue


def _absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


def _spatial(dataset: Dataset) -> str:
    if dataset.city is None:
        return "United States"
    return f"{dataset.city.name}, {dataset.city.state}"


def _temporal(dataset: Dataset, schema: type[DatasetSchema] | None, versions: list[IngestionRun]) -> str | None:
    """The period the records cover: from the earliest to the latest value of the schema's
    first date column; a dataset without dates covers the period of its versions."""
    date_columns = [column for column in schema.columns if column.kind == DATE] if schema else []
    if schema is not None and date_columns:
        field = date_columns[0].model_field
        span = dataset_records(dataset, schema).aggregate(start=Min(field), end=Max(field))
        if span["start"] is not None:
            return f"{span['start'].isoformat()}/{span['end'].isoformat()}"
    finished = [run.finished_at for run in versions if run.finished_at is not None]
    if finished:
        return f"{min(finished).date().isoformat()}/{max(finished).date().isoformat()}"
    return None


def _distributions(
    dataset: Dataset, schema: type[DatasetSchema] | None, current: IngestionRun | None, base_url: str
) -> list[dict[str, Any]]:
    level = access_level(dataset)
    if schema is None:
        if not dataset.source_url:
            return []
        return [
            {
                "@type": "dcat:Distribution",
                "accessURL": dataset.source_url,
                "title": f"{dataset.title} at its source",
                "description": "The portal catalogues this dataset; its publisher serves the files.",
            }
        ]
    described_by = _absolute(base_url, reverse("cities:dataset-table-schema", kwargs={"slug": dataset.slug}))
    dictionary = {"describedBy": described_by, "describedByType": TABLE_SCHEMA_MEDIA_TYPE}
    distributions = []
    if current is not None and level == PUBLIC:
        media_type = GEOJSON_MEDIA_TYPE if schema.file_format == "geojson" else CSV_MEDIA_TYPE
        distributions.append(
            {
                "@type": "dcat:Distribution",
                "downloadURL": _absolute(base_url, reverse("cities:dataset-file", kwargs={"slug": dataset.slug})),
                "mediaType": media_type,
                "format": schema.file_format.upper(),
                "title": f"{current.file_name} (version {current.pk}, as published)",
                "description": f"The file as taken in by version {current.pk}, SHA-256 {current.file_checksum}.",
            }
        )
    if level == NON_PUBLIC:
        return distributions
    restriction = " Needs an API token with permission to read it." if level == RESTRICTED_PUBLIC else ""
    distributions.append(
        {
            "@type": "dcat:Distribution",
            "downloadURL": _absolute(base_url, reverse("cities:dataset-records-csv", kwargs={"slug": dataset.slug})),
            "mediaType": CSV_MEDIA_TYPE,
            "format": "CSV",
            "title": f"{dataset.title}: stored records (CSV)",
            "description": "Every stored record of the current version, one per line." + restriction,
            **dictionary,
        }
    )
    if is_geographic(schema):
        distributions.append(
            {
                "@type": "dcat:Distribution",
                "downloadURL": _absolute(
                    base_url, reverse("cities:dataset-records-geojson", kwargs={"slug": dataset.slug})
                ),
                "mediaType": GEOJSON_MEDIA_TYPE,
                "format": "GeoJSON",
                "title": f"{dataset.title}: stored records (GeoJSON)",
                "description": "Every stored record of the current version as a feature." + restriction,
                **dictionary,
            }
        )
    return distributions


def _rights(dataset: Dataset, level: str) -> str | None:
    if level == NON_PUBLIC:
        return "Records about people that the portal keeps for its own work and never publishes."
    if level == RESTRICTED_PUBLIC:
        return (
            "Holds personal data: the records, without names, addresses, birth dates or licence "
            "numbers, go only to API tokens with permission to read them; ask the publisher."
        )
    return None


def catalogue_entry(dataset: Dataset, base_url: str) -> dict[str, Any]:
    """One dataset of the DCAT-US 1.1 catalogue."""
    schema = dataset_schema(dataset)
    versions = dataset_versions(dataset)
    current = versions[0] if versions else None
    level = access_level(dataset)
    publisher = dataset.publisher.name if dataset.publisher else "Civic Portal collaborative"
    entry: dict[str, Any] = {
        "@type": "dcat:Dataset",
        "identifier": _absolute(base_url, dataset.get_absolute_url()),
        "title": dataset.title,
        "description": dataset.description or dataset.title,
        "keyword": [dataset.city.name if dataset.city else "collaborative", "civic portal"],
        "publisher": {"@type": "org:Organization", "name": publisher},
        "contactPoint": {
            "@type": "vcard:Contact",
            "fn": f"{publisher} data steward",
            "hasEmail": f"mailto:{settings.OPEN_DATA_CONTACT_EMAIL}",
        },
        "accessLevel": level,
        "landingPage": _absolute(base_url, dataset.get_absolute_url()),
        "spatial": _spatial(dataset),
        "distribution": _distributions(dataset, schema, current, base_url),
    }
    if current is not None and current.finished_at is not None:
        entry["modified"] = current.finished_at.isoformat()
    temporal = _temporal(dataset, schema, versions)
    if temporal is not None:
        entry["temporal"] = temporal
    licence = dataset_licence(dataset)
    if licence is not None:
        entry["license"] = licence.url
    rights = _rights(dataset, level)
    if rights is not None:
        entry["rights"] = rights
    periodicity = _ACCRUAL_PERIODICITY.get(Dataset.Frequency(dataset.update_frequency))
    if periodicity is not None:
        entry["accrualPeriodicity"] = periodicity
    if schema is not None:
        entry["describedBy"] = _absolute(
            base_url, reverse("cities:dataset-table-schema", kwargs={"slug": dataset.slug})
        )
        entry["describedByType"] = TABLE_SCHEMA_MEDIA_TYPE
    if dataset.source_url:
        entry["references"] = [dataset.source_url]
    return entry


def catalogue(base_url: str) -> dict[str, Any]:
    """The portal's catalogue in DCAT-US 1.1 (the `/data.json` of US open data portals)."""
    datasets = Dataset.objects.select_related("city", "publisher").order_by("title")
    return {
        "@context": f"{DCAT_US_SCHEMA}/catalog.jsonld",
        "@id": _absolute(base_url, reverse("cities:data-json")),
        "@type": "dcat:Catalog",
        "conformsTo": DCAT_US_SCHEMA,
        "describedBy": f"{DCAT_US_SCHEMA}/catalog.json",
        "dataset": [catalogue_entry(dataset, base_url) for dataset in datasets],
    }


@dataclass(frozen=True)
class DatasetDownloads:
    """What a dataset's page offers to download, and the version it comes from."""

    version: IngestionRun | None
    access_level: str
    file_url: str | None
    records_csv_url: str | None
    records_geojson_url: str | None
    table_schema_url: str | None


def dataset_downloads(dataset: Dataset, *, latest_runs: list[IngestionRun], run_count: int) -> DatasetDownloads:
    """`latest_runs` are the dataset's latest runs, newest first, of `run_count` in all (as its
    page lists them): the current version is read from them unless every one of them failed."""
    schema = dataset_schema(dataset)
    level = access_level(dataset)
    succeeded = [run for run in latest_runs if run.status == IngestionRun.Status.SUCCEEDED]
    version = max(succeeded, key=lambda run: (run.finished_at, run.pk)) if succeeded else None
    if schema is not None and version is None and run_count > len(latest_runs):
        version = dataset_version(dataset)

    def url(name: str) -> str:
        return reverse(f"cities:{name}", kwargs={"slug": dataset.slug})

    records = schema is not None and version is not None and level != NON_PUBLIC
    return DatasetDownloads(
        version=version,
        access_level=level,
        file_url=url("dataset-file") if version is not None and level == PUBLIC else None,
        records_csv_url=url("dataset-records-csv") if records else None,
        records_geojson_url=url("dataset-records-geojson") if records and schema and is_geographic(schema) else None,
        table_schema_url=url("dataset-table-schema") if schema is not None else None,
    )
