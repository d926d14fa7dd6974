"""The core's CSV writer: cells a spreadsheet would run as formulas stay text."""

from __future__ import annotations

import csv
import io

import pytest

from cities.csv_export import CSVExportWriter


def written(*row: object) -> list[str]:
    buffer = io.StringIO()
    CSVExportWriter(buffer).writerow(row)
    return next(csv.reader(io.StringIO(buffer.getvalue())))


@pytest.mark.parametrize(
    "hostile",
    [
        '=HYPERLINK("http://evil.example","x")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "-",
    ],
)
def test_a_cell_that_starts_a_formula_is_written_as_text(hostile: str) -> None:
    assert written(hostile) == [f"'{hostile}"]


@pytest.mark.parametrize("plain", ["Ballwin Court", "", "3", "-1.5", "-12", "-2.5e3", "a=b", "x@y.org"])
def test_plain_text_and_numbers_are_unchanged(plain: str) -> None:
    assert written(plain) == [plain]


def test_values_that_are_not_text_are_written_as_csv_writes_them() -> None:
    assert written(-3, 2.5, None) == ["-3", "2.5", ""]
