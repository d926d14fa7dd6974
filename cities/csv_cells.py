"""Cells of the CSV files the portal publishes, safe to open in a spreadsheet.

A spreadsheet runs a cell that starts like a formula; such text gets a leading apostrophe
so it stays text (OWASP, "CSV injection"). Numbers such as -1.5 stay numbers.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text_cell(value: object) -> str:
    """`value` as a CSV cell: empty for None, text that would run as a formula neutralised."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _is_number(text):
        return f"'{text}"
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
