"""System checks that every ingestion schema can be written the way the machinery writes."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import models

from cities.ingestion import registered_schemas


@checks.register()
def ingestion_schemas_writable(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    problems: list[checks.CheckMessage] = []
    for slug, schema in registered_schemas().items():
        meta = schema.model._meta
        key_fields = {schema.column(name).model_field for name in schema.key}
        unique_sets = [
            set(constraint.fields)
            for constraint in meta.constraints
            if isinstance(constraint, models.UniqueConstraint) and constraint.condition is None
        ]
        unique_sets += [{field.name} for field in meta.concrete_fields if field.unique and not field.primary_key]
        if key_fields not in unique_sets:
            problems.append(
                checks.Error(
                    f"ingestion schema {slug}: no unique constraint on its key {sorted(key_fields)}",
                    hint="Upserts by natural key need a UniqueConstraint on exactly those fields.",
                    id="cities.E001",
                )
            )
        ingested = {column.model_field for column in schema.columns}
        for field in meta.concrete_fields:
            if field.primary_key or field.name in ingested or field.null:
                continue
            if field.db_default is models.NOT_PROVIDED:
                problems.append(
                    checks.Error(
                        f"ingestion schema {slug}: {meta.label}.{field.name} is not in the file, "
                        "not nullable and has no db_default",
                        id="cities.E002",
                    )
                )
    return problems
