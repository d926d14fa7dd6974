"""How every API view chooses its answer's format (REST_FRAMEWORK's setting names it). A
module of its own: DRF's settings import it while `rest_framework.views` loads, so it
imports no view."""

from __future__ import annotations

from collections.abc import Iterable

from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request


class FormatNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, except that a `?format=` the view does not offer, an empty one
    included, is refused with 400 naming the parameter (DRF answers 404, as it would for a
    format suffix in the path, and reads an empty one as no choice). Every view's, by the
    REST_FRAMEWORK setting."""

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
