"""The API says which version of the data it answered from: a `Data-Version` header on each
successful answer of `/api/v1/`, `dataset-slug=run-id` for every dataset whose rows become
the model the answering view serves (e.g. `stl-citations=12`). Taken from the view's
serializer, so no app registers anything."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from cities.open_data import model_versions, version_header

DATA_VERSION_HEADER = "Data-Version"


class DataVersionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/v1/") or response.status_code != 200 or DATA_VERSION_HEADER in response:
            return response
        match = request.resolver_match
        view_class = getattr(match.func, "cls", None) if match is not None else None
        serializer_class = getattr(view_class, "serializer_class", None)
        model = getattr(getattr(serializer_class, "Meta", None), "model", None)
        if model is not None:
            header = version_header(model_versions(model))
            if header:
                response[DATA_VERSION_HEADER] = header
        return response
