"""Request middleware of the core: responses with personal data are never stored by a cache."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from cities import views
from cities.cache_backends import CacheUnavailable

logger = logging.getLogger(__name__)


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


class ServiceUnavailableMiddleware:
    """A request that needed a service that did not answer (the database, or the cache the
    rate limits count in) gets a 503 "try again in a few minutes", never a 500: the fault
    is outside the portal and passes. JSON under /api/."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, CacheUnavailable | OperationalError):
            return None
        logger.warning("%s %s: a service did not answer (%s)", request.method, request.path, type(exception).__name__)
        return views.service_unavailable(request)
