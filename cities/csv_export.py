"""The one CSV writer of every export (API lists, agendas, placements, timelines).

A spreadsheet runs a cell that starts like a formula (`=`, `+`, `-`, `@`, and a tab or
carriage return before one), so a name from data such as `=HYPERLINK(...)` would become a
link or a command on a staff member's machine (OWASP, "CSV injection"). Such text is
prefixed with an apostrophe and stays text; numbers such as -1.5 stay numbers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NEGATIVE_NUMBER = re.compile(r"-\d+(\.\d+)?([eE][+-]?\d+)?")


class _TextStream(Protocol):
    def write(self, text: str, /) -> Any: ...


def csv_cell(value: object) -> object:
    """The value as a spreadsheet should see it: text that would start a formula is
    prefixed with an apostrophe; anything else, numbers included, is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NEGATIVE_NUMBER.fullmatch(value):
        return f"'{value}"
    return value


class CSVExportWriter:
    """`csv.writer` whose every cell goes through `csv_cell`."""

    def __init__(self, stream: _TextStream) -> None:
        self._writer = csv.writer(stream)

    def writerow(self, row: Iterable[object]) -> Any:
        """Writes the row; returns what the stream's `write` returned (a streamed response's
        stream hands back the line itself)."""
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


class LineStream:
    """A stream whose `write` hands back what it was given: with `CSVExportWriter`, each
    `writerow` returns its line, for a streamed response."""

    def write(self, text: str) -> str:
        return text


def csv_text(value: object) -> object:
    """A stored value as an export cell: null empty, booleans `true`/`false` as in JSON,
    dates and times in ISO 8601, decimals exactly; anything else as it is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
