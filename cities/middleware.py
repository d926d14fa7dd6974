from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class PrivateResponseMiddleware:
    """Responses made for a signed-in person or an API token may hold personal data:
    no browser, proxy or shared cache may keep them. Views that show personal data to
    an anonymous resident (a proven court lookup) mark their response with
    `response.private = True` through `cities.http.private_response`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or "HTTP_AUTHORIZATION" in request.META or getattr(response, "private", False):
            add_never_cache_headers(response)
        return response
