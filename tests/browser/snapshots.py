"""Demo data built once per test session and given to each browser test as a fresh copy.

A browser test runs against the live server, so its rows are committed and the database is
emptied after it. Loading the demo data again for every test took most of the browser tests'
time; instead the first test that asks for a named set of data builds it, a copy of every
table (PostgreSQL's binary COPY), of every sequence's position and of the stored files is
kept, and each later test gets that copy back in a fraction of a second.

Every test, the first included, starts from the copy as a later one gets it: the cache is
empty and no message sent while building is in the outboxes (a build's messages are rows of
the database, which the copy keeps).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.cache import caches
from django.db import connection, transaction
from psycopg import sql

from cities import message_backends


@dataclass(frozen=True)
class Snapshot:
    """Every model table's rows (binary COPY), every sequence's position, and the files."""

    tables: dict[str, bytes]
    sequences: dict[str, tuple[int, bool]]
    media: Path


def _tables() -> list[str]:
    # The tables a transactional test's flush empties (django_migrations is not one of them).
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def _sequences() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()")
        return [name for (name,) in cursor.fetchall()]


def snapshot_take(*, media: Path) -> Snapshot:
    """A copy of the database's rows and sequences, and of MEDIA_ROOT's files into `media`."""
    tables: dict[str, bytes] = {}
    sequences: dict[str, tuple[int, bool]] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        for table in _tables():
            with raw.copy(sql.SQL("COPY {} TO STDOUT (FORMAT BINARY)").format(sql.Identifier(table))) as copy:
                tables[table] = b"".join(bytes(chunk) for chunk in copy)
        for sequence in _sequences():
            raw.execute(sql.SQL("SELECT last_value, is_called FROM {}").format(sql.Identifier(sequence)))
            row = raw.fetchone()
            assert row is not None
            sequences[sequence] = (row[0], row[1])
    if Path(settings.MEDIA_ROOT).exists():
        shutil.copytree(settings.MEDIA_ROOT, media)
    return Snapshot(tables=tables, sequences=sequences, media=media)


def snapshot_restore(snapshot: Snapshot) -> None:
    """Make the database and MEDIA_ROOT hold exactly what they held when `snapshot` was taken.
    The foreign keys Django creates are checked at commit, so the tables' order does not matter."""
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        # DELETE rather than TRUNCATE: on tables this small it is several times faster.
        for table in _tables():
            raw.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
        for table, rows in snapshot.tables.items():
            with raw.copy(sql.SQL("COPY {} FROM STDIN (FORMAT BINARY)").format(sql.Identifier(table))) as copy:
                copy.write(rows)
        for sequence, (last_value, is_called) in snapshot.sequences.items():
            raw.execute("SELECT setval(%s, %s, %s)", (sequence, last_value, is_called))
    # The content types' ids are the copy's again, not those the last flush created.
    ContentType.objects.clear_cache()
    if snapshot.media.exists():
        shutil.copytree(snapshot.media, settings.MEDIA_ROOT, dirs_exist_ok=True)


def _outside_state_clear() -> None:
    """What a build leaves outside the database: cached copies and messages in the outboxes."""
    for cache in caches.all():
        cache.clear()
    mail.outbox = []
    message_backends.sms_outbox.clear()


@dataclass(frozen=True)
class DataSet:
    """A named set of data: what `build` adds to the set `base` (to an empty database if none)."""

    build: Callable[[], None]
    base: str | None = None


@dataclass
class Snapshots:
    """The session's copies of the named sets of data; `directory` keeps their files."""

    data_sets: dict[str, DataSet]
    directory: Path
    taken: dict[str, Snapshot] = field(default_factory=dict)

    def load(self, name: str) -> None:
        """Give the database the set of data `name`: its copy when one was taken, otherwise
        its base's, then its build, and keep a copy. Either way the test starts from the
        copy's state."""
        if name in self.taken:
            snapshot_restore(self.taken[name])
        else:
            data_set = self.data_sets[name]
            if data_set.base is not None:
                self.load(data_set.base)
            data_set.build()
            self.taken[name] = snapshot_take(media=self.directory / name)
        _outside_state_clear()
