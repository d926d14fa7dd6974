"""Django for a benchmark script: production-like settings on a dedicated PostgreSQL
database (created if missing), so a benchmark never touches the portal's own data."""

from __future__ import annotations

import os

import dj_database_url
import django
import psycopg
from psycopg import sql


def django_on_postgres(database: str) -> None:
    """Set the benchmark's defaults (DATABASE_URL may point elsewhere), create the database
    if it does not exist, and set Django up."""
    os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{database}")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789-0123456789")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("HTTPS", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicportal.settings")
    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    with psycopg.connect(
        dbname="postgres", user=config["USER"], host=config["HOST"], port=config["PORT"] or 5432, autocommit=True
    ) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone() is None:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    django.setup()
