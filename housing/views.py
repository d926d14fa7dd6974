"""The public pages of Washington DC's affordable housing: thin views over `housing.dashboard`."""

from __future__ import annotations

import gzip
import re
from collections.abc import Collection
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from cities.boundaries import boundary_document_view
from cities.csv_export import CSVExportWriter
from housing import dashboard
from housing.boundaries import map_boundary_document
from housing.filters import ProjectFilter
from housing.forms import MapViewForm
from housing.models import Project
from housing.risk import risk_thresholds
from housing.risk_text import level_rules

# Each filter's label, and the empty choice of each list, in words rather than dashes.
FILTER_LABELS = {
    "ward": _("Ward"),
    "cluster": _("Neighbourhood cluster"),
    "program": _("Programme"),
    "owner_type": _("Owner type"),
    "risk_level": _("Risk level"),
    "expires_within_years": _("Affordability ends within (years)"),
}
ANY_CHOICE = {
    "ward": _("Any ward"),
    "cluster": _("Any cluster"),
    "program": _("Any programme"),
    "owner_type": _("Any owner type"),
    "risk_level": _("Any risk level"),
}
PAGE_PARAMETER = "page"
# The expiry table's columns, shared by the page and its CSV so the two cannot drift (the
# CSV, read by programs, keeps them in English).
TIMELINE_COLUMNS = (_("Year"), _("Projects"), _("Assisted homes"), _("Projects without a count of homes"))
TIMELINE_CSV_NAME = "dc-affordability-ending-by-year.csv"
PROJECTS_CSV_NAME = "dc-affordable-housing-projects.csv"
# The map's points change with each ingestion: a browser or proxy keeps them a few minutes,
# then asks again with their ETag.
MAP_POINTS_MAX_AGE = 5 * 60
# As Django's GZipMiddleware reads Accept-Encoding.
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def _project_filter(request: HttpRequest, *, other_parameters: Collection[str] = (PAGE_PARAMETER,)) -> ProjectFilter:
    """The dashboard's filters bound to the query string, validated. A parameter that is
    neither a filter nor one of `other_parameters` is an error too: a mistyped name must not
    show everything."""
    filterset = ProjectFilter(request.GET or None, queryset=Project.objects.all())
    for name, field in filterset.form.fields.items():
        field.label = FILTER_LABELS[name]
        if name in ANY_CHOICE:
            field.empty_label = ANY_CHOICE[name]
            # A fixed list (without django-filter's empty choice, which it adds back): one query
            # for each list, however often validation and rendering read it.
            field.choices = list(field.choices)[1:]
    cluster = filterset.form.fields["cluster"]
    names = dashboard.cluster_names()
    cluster.choices = sorted(
        ((code, f"{code}: {names[code]}" if names.get(code) else label) for code, label in cluster.choices if code),
        key=lambda choice: dashboard.cluster_sort_key(choice[0]),
    )
    if filterset.is_bound:
        filterset.is_valid()
        unknown = _unknown_parameters(request, filterset, other_parameters=other_parameters)
        if unknown:
            filterset.form.add_error(
                None, gettext("The dashboard has no filter called %(names)s.") % {"names": ", ".join(unknown)}
            )
    return filterset


def _unknown_parameters(
    request: HttpRequest, filterset: ProjectFilter, *, other_parameters: Collection[str]
) -> list[str]:
    return sorted(set(request.GET) - set(filterset.form.fields) - set(other_parameters))


def _active_filters(filterset: ProjectFilter) -> list[str]:
    """The filters in force, in words: 'Ward 1', 'Risk level: High'."""
    described = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, ""):
            continue
        if name == "expires_within_years":
            years = f"{value.normalize():f}"
            described.append(
                ngettext("Affordability ends within %(years)s year", "Affordability ends within %(years)s years", value)
                % {"years": years}
            )
        elif name in ("ward", "cluster"):
            described.append(value)
        else:
            shown = dict(filterset.form.fields[name].choices).get(value, value)
            described.append(f"{FILTER_LABELS[name]}: {shown}")
    return described


def home(request: HttpRequest) -> HttpResponse:
    filterset = _project_filter(request)
    context: dict[str, Any] = {"filterset": filterset, "timeline_columns": TIMELINE_COLUMNS}
    if filterset.is_bound and not filterset.is_valid():
        return render(request, "housing/dashboard.html", context, status=400)
    context["dashboard"] = dashboard.dashboard_cached(
        filterset=filterset, today=timezone.localdate(), page_number=request.GET.get(PAGE_PARAMETER)
    )
    context["active_filters"] = _active_filters(filterset) if filterset.is_bound else []
    context["query_without_page"] = _query_without_page(request)
    context["today"] = timezone.localdate()
    context["level_rules"] = level_rules(risk_thresholds())
    selection = filterset.canonical_query()
    # A project's page gets the filters, so its "Back to all projects" returns to them.
    context["selection"] = selection
    context["map_points_url"] = reverse("housing:map-points") + (f"?{selection}" if selection else "")
    return render(request, "housing/dashboard.html", context)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop(PAGE_PARAMETER, None)
    return query.urlencode()


def _filter_problems(filterset: ProjectFilter) -> HttpResponse:
    problems = [f"{field or 'filters'}: {message}" for field, errors in filterset.errors.items() for message in errors]
    return HttpResponse("\n".join(problems) + "\n", status=400, content_type="text/plain; charset=utf-8")


def expiry_timeline_csv(request: HttpRequest) -> HttpResponse:
    """The dashboard's expiry table, for the same filters, as CSV."""
    filterset = _project_filter(request)
    if filterset.is_bound and not filterset.is_valid():
        return _filter_problems(filterset)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{TIMELINE_CSV_NAME}"'
    writer = CSVExportWriter(response)
    with translation.override("en"):
        writer.writerow([str(column) for column in TIMELINE_COLUMNS])
    for year in dashboard.expiry_timeline_cached(filterset=filterset, today=timezone.localdate()):
        writer.writerow([year.year, year.projects, year.assisted_units, year.projects_without_units])
    return response


def projects_csv(request: HttpRequest) -> HttpResponse:
    """Every project the dashboard's filters select (all of its table's pages), as CSV."""
    filterset = _project_filter(request)
    if filterset.is_bound and not filterset.is_valid():
        return _filter_problems(filterset)
    body = dashboard.project_list_csv(
        projects=filterset.qs,
        today=timezone.localdate(),
        page_url=lambda nlihc_id: request.build_absolute_uri(reverse("housing:project", args=[nlihc_id])),
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{PROJECTS_CSV_NAME}"'
    return response


@require_safe
def map_points(request: HttpRequest) -> HttpResponse:
    """What the dashboard's map draws of its view (`bbox`, `zoom`) for the same filters: the
    projects in it, or their clusters (the format is `dashboard.map_view_gzip`'s), gzipped
    for a browser that accepts it. Public data only, so any cache may keep it for a few
    minutes and revalidate it with its ETag. A bad view or filter: 400, JSON naming each
    parameter."""
    view = MapViewForm(request.GET)
    filterset = _project_filter(request, other_parameters=tuple(view.fields))
    # Both validated, so that a 400 names every bad parameter at once.
    if not all([view.is_valid(), not filterset.is_bound or filterset.is_valid()]):
        problems = {name: list(messages) for name, messages in view.errors.items()}
        problems |= {name: list(messages) for name, messages in filterset.errors.items() if name != NON_FIELD_ERRORS}
        for name in _unknown_parameters(request, filterset, other_parameters=tuple(view.fields)):
            problems[name] = [
                f"The map has no parameter called {name}; it reads {', '.join([*view.fields, *filterset.form.fields])}."
            ]
        return JsonResponse(problems, status=400)
    today = timezone.localdate()
    box, zoom = view.cleaned_data["bbox"], view.cleaned_data["zoom"]
    etag = dashboard.map_view_etag(filterset=filterset, today=today, box=box, zoom=zoom)
    response = get_conditional_response(request, etag=etag)
    if response is None:
        compressed = dashboard.map_view_gzip(filterset=filterset, today=today, box=box, zoom=zoom)
        if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
            response = HttpResponse(compressed, content_type="application/json")
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(gzip.decompress(compressed), content_type="application/json")
    response["ETag"] = etag
    patch_vary_headers(response, ["Accept-Encoding"])
    patch_cache_control(response, public=True, max_age=MAP_POINTS_MAX_AGE)
    return response


def project_detail(request: HttpRequest, nlihc_id: str) -> HttpResponse:
    """A project's page. The dashboard's filters ride along in the query string, so "Back to
    all projects" returns to the same selection; filters that do not validate are dropped."""
    try:
        page = dashboard.project_page(nlihc_id=nlihc_id, today=timezone.localdate())
    except Project.DoesNotExist:
        raise Http404("No project has this id.") from None
    selection = ""
    if request.GET:
        filterset = _project_filter(request)
        selection = filterset.canonical_query() if filterset.is_valid() else ""
    dashboard_url = reverse("housing:home") + (f"?{selection}" if selection else "")
    return render(
        request,
        "housing/project_detail.html",
        {"page": page, "project": page.project, "today": timezone.localdate(), "dashboard_url": dashboard_url},
    )


# A boundary layer for the map ("wards" or "clusters"), from the ingested boundary files.
boundaries = boundary_document_view(map_boundary_document)
