from __future__ import annotations

from django.http import HttpResponse


def private_response(response: HttpResponse) -> HttpResponse:
    """Mark a response that shows a person's own records: never stored by any cache."""
    response.private = True  # type: ignore[attr-defined]
    return response
