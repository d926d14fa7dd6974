"""The public pages of Boston's summer jobs: aggregates only (no person is ever named or
counted alone: groups under ten show "fewer than 10"), the neighbourhood boundaries for the
map, the file formats programmes use, and a youth's private offer page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from cities.boundaries import boundary_document_view
from cities.http import private_response
from youthjobs import analytics, season_comparison, selectors
from youthjobs.geography import neighbourhoods_document
from youthjobs.ingest import (
    ApplicantsSchema,
    DirectHiresSchema,
    PositionsSchema,
    SeasonsSchema,
    SitesSchema,
)
from youthjobs.models import Season
from youthjobs.offers import offer_answer, offer_link_open

FILE_SCHEMAS = (SeasonsSchema, SitesSchema, PositionsSchema, ApplicantsSchema, DirectHiresSchema)


def home(request: HttpRequest) -> HttpResponse:
    """The dashboard of a season (the current one, or `?season=2017` from the picker) and
    every season compared over the years."""
    seasons = list(Season.objects.order_by("-year"))
    year = request.GET.get("season", "").strip()
    season = next((season for season in seasons if season.year == year), None) if year else selectors.current_season()
    unknown_season = bool(year) and season is None
    figures = selectors.programme_figures(season) if season else None
    compared = season_comparison.public_seasons_compared()
    response = render(
        request,
        "youthjobs/dashboard.html",
        {
            "season": season,
            "seasons": seasons,
            "unknown_season": year if unknown_season else "",
            "figures": figures,
            "placements_published": season is not None and selectors.season_has_approved_run(season),
            "compared": compared,
            "any_matched": any(row["matched"] for row in compared),
            "shown_figures": next((row for row in compared if season and row["season"] == season.year), None),
            "neighbourhood_trend": season_comparison.neighbourhood_trend(compared),
            "fewer": analytics.FEWER_THAN_SMALL_CELL,
            "outside_boston": analytics.OUTSIDE_BOSTON,
        },
        status=404 if unknown_season else 200,
    )
    return response


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
        error = gettext("Paste the link from your offer message.") if "link" in request.GET else ""
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
                request,
                "youthjobs/offer.html",
                {"link": link, "error": gettext("Choose accept or decline.")},
                status=400,
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


def privacy_section() -> SafeString:
    """This app's section of the portal's privacy page (`cities.registry.PortalApp`)."""
    return render_to_string("youthjobs/_privacy.html", {})
