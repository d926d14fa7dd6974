"""The public pages of Boston's summer jobs: aggregates only (no person is ever named or
counted alone: groups under ten show "fewer than 10"), the neighbourhood boundaries for the
map, the file formats programmes use, and a youth's private offer page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods

from cities.http import private_response
from youthjobs import analytics, selectors
from youthjobs.geography import neighbourhoods_geojson
from youthjobs.ingest import (
    ApplicantsSchema,
    DirectHiresSchema,
    PositionsSchema,
    SeasonsSchema,
    SitesSchema,
)
from youthjobs.offers import offer_answer, offer_link_open

FILE_SCHEMAS = (SeasonsSchema, SitesSchema, PositionsSchema, ApplicantsSchema, DirectHiresSchema)
BOUNDARY_MAX_AGE = 24 * 60 * 60


def home(request: HttpRequest) -> HttpResponse:
    season = selectors.current_season()
    figures = selectors.programme_figures(season) if season else None
    return render(
        request,
        "youthjobs/dashboard.html",
        {"season": season, "figures": figures, "fewer": analytics.FEWER_THAN_SMALL_CELL},
    )


@cache_control(public=True, max_age=BOUNDARY_MAX_AGE)
def neighbourhoods(request: HttpRequest) -> HttpResponse:
    """Boston's neighbourhoods in longitude/latitude for the map (the City publishes them in
    State Plane feet)."""
    return HttpResponse(neighbourhoods_geojson(settings.CIVIC_DATA_DIR), content_type="application/geo+json")


def file_formats(request: HttpRequest) -> HttpResponse:
    schemas = [
        {"slug": schema.slug, "description": schema.description, "columns": schema.documentation()}
        for schema in FILE_SCHEMAS
    ]
    return render(request, "youthjobs/file_formats.html", {"schemas": schemas})


@require_http_methods(["GET", "POST"])
def offer(request: HttpRequest, token: str) -> HttpResponse:
    """A youth's offer through their private link: see it, accept or decline it once."""
    if request.method == "POST":
        answer = request.POST.get("answer")
        if answer not in ("accept", "decline"):
            link = offer_link_open(token=token)
            response = render(
                request, "youthjobs/offer.html", {"link": link, "error": "Choose accept or decline."}, status=400
            )
            return private_response(response)
        link = offer_answer(token=token, accept=answer == "accept")
        status = 200 if link.is_open else 409
        return private_response(
            render(request, "youthjobs/offer.html", {"link": link, "answered": link.is_open}, status=status)
        )
    link = offer_link_open(token=token)
    return private_response(
        render(request, "youthjobs/offer.html", {"link": link}, status=200 if link.placement else 404)
    )
