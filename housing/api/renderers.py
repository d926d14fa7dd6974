"""Every list of the housing API as CSV as well as JSON, chosen with `?format=csv` or
`Accept: text/csv`, and documented as such in the OpenAPI schema.

Written here rather than taken from djangorestframework-csv, whose last release (3.0.2,
December 2023) predates DRF 3.18 and orders columns alphabetically.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request

from cities.api.schema import PortalAutoSchema
from cities.csv_export import CSVExportWriter

LIST_SEPARATOR = "; "


class CSVRenderer(BaseRenderer):
    """A list, or a page of one, as CSV in UTF-8: a header row with the serializer's field
    names, in its order (so an empty page still names its columns), then one row per item.

    Cells: null is empty, booleans are `true`/`false` as in JSON, and a list is joined with
    "; ", a list of objects by each object's first field (a risk assessment's flags become
    their codes). Errors never come here: the views answer them in JSON."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Mapping[str, Any] | None = None
    ) -> bytes:
        assert renderer_context is not None, "CSV is rendered for a view, whose serializer names the columns"
        rows = data["results"] if isinstance(data, Mapping) else data
        columns = list(renderer_context["view"].get_serializer().fields)
        output = io.StringIO()
        writer = CSVExportWriter(output)
        writer.writerow(columns)
        writer.writerows([_cell(row.get(column)) for column in columns] for row in rows)
        return output.getvalue().encode(self.charset)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(_cell(_first_value(item)) for item in value)
    return str(value)


def _first_value(item: Any) -> Any:
    return next(iter(item.values()), None) if isinstance(item, Mapping) else item


class FormatNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, except that a `?format=` the view does not offer, an empty one
    included, is refused with 400 naming the parameter (DRF answers 404, as it would for a
    format suffix in the path, and reads an empty one as no choice)."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        parameter = self.settings.URL_FORMAT_OVERRIDE
        requested = request.query_params.get(parameter) if parameter else None
        renderers = list(renderers)
        offered = [renderer.format for renderer in renderers]
        if requested is not None and requested not in offered:
            raise ValidationError({parameter: [f"Choose one of: {', '.join(offered)}."]})
        chosen: tuple[BaseRenderer, str] = super().select_renderer(request, renderers, format_suffix)
        return chosen


class CSVListSchema(PortalAutoSchema):
    """Documents what `CSVRenderer` adds to an operation: the `format` parameter, a CSV body
    as text, and errors in JSON only."""

    def get_override_parameters(self) -> list[Any]:
        parameters = super().get_override_parameters()
        formats = self.map_renderers("format")
        if CSVRenderer.format not in formats:
            return parameters
        choice = OpenApiParameter(
            name="format",
            enum=formats,
            description="The answer's format, as the Accept header can also choose it; JSON by default.",
        )
        return [*parameters, choice]

    # The same private hook as PortalAutoSchema's: the only one that sees every answer.
    def _get_response_bodies(self, direction: Literal["request", "response"] = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for status_code, response in responses.items():
            content = response.get("content", {})
            if CSVRenderer.media_type not in content:
                continue
            if status_code.startswith("2"):
                content[CSVRenderer.media_type] = {
                    "schema": {
                        "type": "string",
                        "description": "A header row with the JSON rows' field names, then one line per row.",
                    }
                }
            else:
                del content[CSVRenderer.media_type]
        return responses
