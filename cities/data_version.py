"""The API says which version of the data it answered from: a `Data-Version` header on each
successful answer, JSON or CSV, `dataset-slug=run-id` for every dataset whose rows become the
model the answering view serves (e.g. `stl-citations=12`). Taken from the serializer the
view answered with, so no app registers anything: every API view derives from
`cities.api.viewsets`, whose views are `DataVersionAnswers`."""

from __future__ import annotations

from typing import Any

from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cities.open_data import model_versions, version_header

DATA_VERSION_HEADER = "Data-Version"


class DataVersionAnswers(APIView):
    """An API view whose successful answers carry the `Data-Version` of its serializer's model.
    A view of figures computed in memory, with no model behind its rows, carries none."""

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code != 200:
            return response
        # The serializer this request was answered with: a view may pick it per action or
        # per client (`get_serializer_class`), not only name it in `serializer_class`.
        serializer_class = self.get_serializer_class() if isinstance(self, GenericAPIView) else None
        model = getattr(getattr(serializer_class, "Meta", None), "model", None)
        if model is not None:
            header = version_header(model_versions(model))
            if header:
                response[DATA_VERSION_HEADER] = header
        return response
