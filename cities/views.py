"""The public pages of the core: thin views over `cities.selectors`."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from cities import messaging, selectors
from cities.models import City, Dataset


def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer and docker-compose: the process answers and its database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "cities/home.html", {"overview": selectors.collaborative_overview()})


def privacy(request: HttpRequest) -> HttpResponse:
    """What the portal keeps about a person, for how long, who sees it, and how to be forgotten."""
    return render(
        request,
        "cities/privacy.html",
        {
            "contact_email": settings.PRIVACY_CONTACT_EMAIL,
            "lookup_window_minutes": settings.COURTS_LOOKUP_WINDOW_SECONDS // 60,
        },
    )


def city_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        profile = selectors.city_profile(slug=slug)
    except City.DoesNotExist:
        raise Http404("No city has this address.") from None
    return render(request, "cities/city_detail.html", {"profile": profile, "city": profile.city})


def dataset_list(request: HttpRequest) -> HttpResponse:
    catalogue = selectors.dataset_catalogue(city_slug=request.GET.get("city") or None)
    return render(request, "cities/dataset_list.html", {"catalogue": catalogue})


def dataset_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        profile = selectors.dataset_profile(slug=slug)
    except Dataset.DoesNotExist:
        raise Http404("No dataset has this address.") from None
    return render(request, "cities/dataset_detail.html", {"profile": profile, "dataset": profile.dataset})


def message_opt_out(request: HttpRequest, token: str) -> HttpResponse:
    """The stop link in every message. GET only asks (mail scanners follow links); POST records it."""
    if request.method == "POST":
        try:
            messaging.message_opt_out_record(token=token)
        except signing.BadSignature:
            return render(request, "cities/message_opt_out.html", {"state": "invalid"}, status=400)
        return render(request, "cities/message_opt_out.html", {"state": "done"})
    return render(request, "cities/message_opt_out.html", {"state": "ask"})
