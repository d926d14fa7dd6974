"""The public pages of Boston's summer jobs: aggregates only (no person is ever named or
counted alone: groups under ten show "fewer than 10"), the neighbourhood boundaries for the
map, the file formats programmes use, and a youth's private offer page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cities.boundaries import boundary_document_view
from cities.http import private_response
from youthjobs import analytics, selectors
from youthjobs.geography import neighbourhoods_document
from youthjobs.ingest import (
    ApplicantsSchema,
    DirectHiresSchema,
    PositionsSchema,
    SeasonsSchema,
    SitesSchema,
)
from youthjobs.offers import offer_answer, offer_link_open

FILE_SCHEMAS = (SeasonsSchema, SitesSchema, PositionsSchema, ApplicantsSchema, DirectHiresSchema)


def home(request: HttpRequest) -> HttpResponse:
    season = selectors.current_season()
    figures = selectors.programme_figures(season) if season else None
    return render(
        request,
        "youthjobs/dashboard.html",
        {
            "season": season,
            "figures": figures,
            "placements_published": season is not None and selectors.season_has_approved_run(season),
            "fewer": analytics.FEWER_THAN_SMALL_CELL,
        },
    )


def positions(request: HttpRequest) -> HttpResponse:
    """The season's jobs that still have a free seat, for young people to see what there is."""
    season = selectors.current_season()
    open_positions = list(selectors.open_positions(season)) if season else []
    return render(request, "youthjobs/positions.html", {"season": season, "positions": open_positions})


def offer_find(request: HttpRequest) -> HttpResponse:
    """Opens a youth's offer from the private link (or its code) pasted from their message.
    The link's own page checks it; this only takes its last part."""
    pasted = request.GET.get("link", "").strip()
    token = pasted.rstrip("/").rsplit("/", 1)[-1]
    if not token:
        error = "Paste the link from your offer message." if "link" in request.GET else ""
        return private_response(
            render(request, "youthjobs/offer_find.html", {"error": error}, status=400 if error else 200)
        )
    return private_response(redirect("youthjobs:offer", token=token))


# Boston's neighbourhoods for the map, in longitude/latitude (the City publishes them in
# State Plane feet; the ingestion turned them).
neighbourhoods = boundary_document_view(neighbourhoods_document)


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
