"""System checks: every ingestion schema can be written the way the machinery writes, and a
deployment sends messages through real backends."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.mail.backends.console import EmailBackend as DjangoConsoleEmailBackend
from django.db import models
from django.utils.module_loading import import_string

from cities.ingestion import registered_schemas
from cities.message_backends import ConsoleSMSBackend


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


@checks.register()
def messaging_backends_deliver(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The console backends print messages, private links included, where the logs go: only
    a developer's machine (DEBUG on: the embedded mode, or tests on PostgreSQL) may use them.
    A deployment (DEBUG off, the default once DATABASE_URL is set) needs real backends, or
    MESSAGES_DISABLED=true to send nothing."""
    if settings.DEBUG or settings.MESSAGES_DISABLED:
        return []
    printing = [
        name
        for name, console in (("EMAIL_BACKEND", DjangoConsoleEmailBackend), ("SMS_BACKEND", ConsoleSMSBackend))
        if issubclass(import_string(getattr(settings, name)), console)
    ]
    if not printing:
        return []
    return [
        checks.Error(
            f"{' and '.join(printing)} print messages and their private links to the console; "
            "a deployment must deliver them",
            hint="Set EMAIL_BACKEND (and EMAIL_HOST...) and SMS_BACKEND to your providers' backends, "
            "or MESSAGES_DISABLED=true to send no message at all.",
            id="cities.E003",
        )
    ]
