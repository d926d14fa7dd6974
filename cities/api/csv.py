"""Every list of the API as CSV as well as JSON, chosen with `?format=csv` or `Accept: text/csv`:
all the rows the JSON pages would give, with the same filters, order, permissions and
throttling, streamed from the database a chunk at a time so that memory does not grow with
the table. Details and errors stay JSON. The views of `cities.api.viewsets` answer this way,
so every app's list does without a line of its own.

Written here rather than taken from djangorestframework-csv, whose last release (3.0.2,
December 2023) predates DRF 3.18, orders columns alphabetically and renders whole pages.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.http import StreamingHttpResponse
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import ListSerializer, Serializer
from rest_framework.utils.serializer_helpers import ReturnList
from rest_framework.views import APIView

from cities.api.pagination import PortalPagination
from cities.csv_export import CSVExportWriter, LineStream

LIST_SEPARATOR = "; "
# Rows read from the database, and lines handed to the server, at a time: big enough that
# the queries per row vanish, small enough that a chunk's objects take a few megabytes.
CHUNK_ROWS = 1000

ModelT = TypeVar("ModelT", bound=Model)


class CSVRenderer(BaseRenderer):
    """Names CSV among a list's answers, for content negotiation and the schema. Its body is
    never rendered from a finished page: `CSVAnswers` streams it (see `csv_response`)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"


def csv_cell(value: Any) -> str:
    """A JSON value as one cell: null is empty, booleans `true`/`false` as in JSON, a list is
    joined with "; " (a list of objects by each object's first field, its identifier: a risk
    assessment's flags become their codes, a list of lists each joined with ", "), an object
    no serializer declares (a method's answer) is its JSON text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(_list_item(item) for item in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _list_item(item: Any) -> str:
    if isinstance(item, Mapping):
        return csv_cell(next(iter(item.values()), None))
    if isinstance(item, list):
        return ", ".join(csv_cell(part) for part in item)
    return csv_cell(item)


# A column is the path of keys to its value in a JSON row: ("site", "name") for a nested
# object's field, headed `site.name`.
Column = tuple[str, ...]


def csv_lines(columns: list[Column], rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """The header row, then the rows' lines, `CHUNK_ROWS` lines to a piece. Every cell goes
    through the core's CSV writer, which neutralises formulas."""
    writer = CSVExportWriter(LineStream())
    yield writer.writerow(".".join(column) for column in columns)
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK_ROWS)):
        yield "".join(writer.writerow([csv_cell(_value(row, column)) for column in columns]) for row in chunk)


def _value(row: Mapping[str, Any], column: Column) -> Any:
    value: Any = row
    for key in column:
        # A nested object that is null leaves each of its columns empty.
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def csv_response(*, columns: list[Column], rows: Iterable[Mapping[str, Any]], resource: str) -> StreamingHttpResponse:
    """A CSV download of `rows`, streamed: the rows are read as the client takes the lines."""
    response = StreamingHttpResponse(
        (line.encode(CSVRenderer.charset) for line in csv_lines(columns, rows)),
        content_type=f"{CSVRenderer.media_type}; charset={CSVRenderer.charset}",
    )
    response["Content-Disposition"] = f'attachment; filename="{resource}.csv"'
    return response


def csv_accepted(request: Request) -> bool:
    """Whether content negotiation chose CSV for this request."""
    return isinstance(getattr(request, "accepted_renderer", None), CSVRenderer)


class CSVAnswers(APIView):
    """An API view whose list operation answers CSV too. A viewset's list is one by its
    action; an APIView whose GET answers a list says so with `answers_a_list`. A list built
    in memory (figures, a timeline) is streamed from the serialized rows it returns; a list
    of a queryset is streamed from the database by `StreamedListModelMixin`."""

    answers_a_list = False

    def get_renderers(self) -> list[BaseRenderer]:
        renderers = super().get_renderers()
        if self._is_list_operation():
            renderers.append(CSVRenderer())
        return renderers

    def _is_list_operation(self) -> bool:
        if not hasattr(self, "action"):
            return self.answers_a_list
        # A method the view does not offer has no action: it still reads `?format=csv`, so
        # that it is answered 405, not 400.
        return self.action in ("list", None)

    # DRF sends whichever HttpResponse it is given; its stubs say Response.
    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        if isinstance(response, Response) and csv_accepted(request):
            rows = response.data
            if response.status_code == 200 and isinstance(rows, ReturnList):
                streamed = csv_response(
                    columns=_columns(rows.serializer),
                    rows=rows,
                    resource=_resource(request),
                )
                return super().finalize_response(request, streamed, *args, **kwargs)  # type: ignore[arg-type]
            # An error, or OPTIONS' description of the view: sentences, not a table.
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class StreamedListModelMixin(ListModelMixin, GenericAPIView[ModelT]):
    """DRF's list, except that in CSV it is every row of the filtered, ordered queryset, read
    `CHUNK_ROWS` at a time (`QuerySet.iterator`, which prefetches each chunk's relations)
    and serialized one by one as the client reads. Page parameters are still checked (a
    malformed one is refused as in JSON) but do not apply: CSV answers every row."""

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not csv_accepted(request):
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        if isinstance(self.paginator, PortalPagination):
            self.paginator.query_parameters_check(request)
        serializer = self.get_serializer()
        streamed = csv_response(
            columns=_columns(serializer),
            rows=(serializer.to_representation(row) for row in queryset.iterator(chunk_size=CHUNK_ROWS)),
            resource=_resource(request),
        )
        # As finalize_response: DRF sends whichever HttpResponse a handler returns.
        return streamed  # type: ignore[return-value]


def _columns(serializer: Any) -> list[Column]:
    """The fields of a list's row serializer, in order: the JSON row's keys, a nested
    object's (a serializer, not many) spread over a column per field."""
    row = serializer.child if isinstance(serializer, ListSerializer) else serializer
    if not isinstance(row, Serializer):
        raise ImproperlyConfigured(
            "A list answered in CSV serializes its rows with a Serializer, which names the columns."
        )
    columns: list[Column] = []
    for name, field in row.fields.items():
        if isinstance(field, Serializer):
            columns += [(name, *column) for column in _columns(field)]
        else:
            columns.append((name,))
    return columns


def _resource(request: Request) -> str:
    """The address' last part: `/api/v1/housing/projects/` downloads as `projects.csv`."""
    return request.path.rstrip("/").rsplit("/", 1)[-1]
