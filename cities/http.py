"""Marking a response that shows a person's own records, so no cache keeps it."""

from __future__ import annotations

from typing import TypeVar

from django.http.response import HttpResponseBase

Response = TypeVar("Response", bound=HttpResponseBase)


def private_response(response: Response) -> Response:
    """Mark a response that shows a person's own records: never stored by any cache."""
    response.private = True  # type: ignore[attr-defined]
    return response
