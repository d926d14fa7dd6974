"""One place where domain errors become API responses: JSON with a clear message."""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from cities.ingestion import IngestionError
from cities.open_data import VersionNotFound


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, IngestionError):
        return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, VersionNotFound):
        return Response({"detail": str(exc), "versions": exc.versions}, status=status.HTTP_404_NOT_FOUND)
    return exception_handler(exc, context)
