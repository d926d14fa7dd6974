"""Bulk exports for staff from the admin's lists: an action that streams the chosen rows
(or all of them, with the admin's "select all") as CSV through the one CSV writer, read from
the database in chunks. Each admin names the columns; none holds contact details."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse

from cities.csv_export import CSVExportWriter, LineStream, csv_text

EXPORT_CHUNK = 2_000


def csv_export_action(
    *, file_name: str, columns: Sequence[tuple[str, str]], description: str
) -> Callable[[admin.ModelAdmin[Any], HttpRequest, QuerySet[Any]], StreamingHttpResponse]:
    """An admin action exporting the selected rows as `file_name`.csv: `columns` are
    (header, lookup) pairs, lookups as `values_list` takes them (`run__season__year`).
    Staff need the model's view permission, as for the list itself."""
    headers = [header for header, _ in columns]
    lookups = [lookup for _, lookup in columns]

    def lines(queryset: QuerySet[Any]) -> Iterator[str]:
        writer = CSVExportWriter(LineStream())
        yield writer.writerow(headers)
        for row in queryset.order_by("pk").values_list(*lookups).iterator(chunk_size=EXPORT_CHUNK):
            yield writer.writerow([csv_text(value) for value in row])

    @admin.action(description=description, permissions=["view"])
    def export_csv(
        modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[Any]
    ) -> StreamingHttpResponse:
        response = StreamingHttpResponse(lines(queryset), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{file_name}.csv"'
        return response

    return export_csv
