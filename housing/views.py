"""The public pages of Washington DC's affordable housing: thin views over `housing.dashboard`."""

from __future__ import annotations

import csv
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.views.decorators.cache import cache_control

from housing import dashboard
from housing.boundaries import NoSuchBoundaries, boundary_document
from housing.filters import ProjectFilter
from housing.models import Project

# Each filter's label, and the empty choice of each list, in words rather than dashes.
FILTER_LABELS = {
    "ward": "Ward",
    "cluster": "Neighbourhood cluster",
    "program": "Programme",
    "owner_type": "Owner type",
    "risk_level": "Risk level",
    "expires_within_years": "Affordability ends within (years)",
}
ANY_CHOICE = {
    "ward": "Any ward",
    "cluster": "Any cluster",
    "program": "Any programme",
    "owner_type": "Any owner type",
    "risk_level": "Any risk level",
}
PAGE_PARAMETER = "page"
# The expiry table's columns, shared by the page and its CSV so the two cannot drift.
TIMELINE_COLUMNS = ("Year", "Projects", "Assisted homes", "Projects without a count of homes")
TIMELINE_CSV_NAME = "dc-affordability-ending-by-year.csv"
# Boundaries change once a decade; the ETag tells a browser when the data dir's file did.
BOUNDARY_MAX_AGE = 24 * 60 * 60


def _project_filter(request: HttpRequest) -> ProjectFilter:
    """The dashboard's filters bound to the query string, validated. A parameter the
    dashboard does not know is an error too: a mistyped name must not show everything."""
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
        unknown = sorted(set(request.GET) - set(filterset.form.fields) - {PAGE_PARAMETER})
        if unknown:
            filterset.form.add_error(None, f"The dashboard has no filter called {', '.join(unknown)}.")
    return filterset


def _active_filters(filterset: ProjectFilter) -> list[str]:
    """The filters in force, in words: 'Ward 1', 'Risk level: High'."""
    described = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, ""):
            continue
        if name == "expires_within_years":
            described.append(f"Affordability ends within {value.normalize():f} year{'' if value == 1 else 's'}")
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
    context["dashboard"] = dashboard.dashboard(
        projects=filterset.qs, today=timezone.localdate(), page_number=request.GET.get(PAGE_PARAMETER)
    )
    context["active_filters"] = _active_filters(filterset) if filterset.is_bound else []
    context["query_without_page"] = _query_without_page(request)
    return render(request, "housing/dashboard.html", context)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop(PAGE_PARAMETER, None)
    return query.urlencode()


def expiry_timeline_csv(request: HttpRequest) -> HttpResponse:
    """The dashboard's expiry table, for the same filters, as CSV."""
    filterset = _project_filter(request)
    if filterset.is_bound and not filterset.is_valid():
        problems = [
            f"{field or 'filters'}: {message}" for field, errors in filterset.errors.items() for message in errors
        ]
        return HttpResponse("\n".join(problems) + "\n", status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{TIMELINE_CSV_NAME}"'
    writer = csv.writer(response)
    writer.writerow(TIMELINE_COLUMNS)
    for year in dashboard.expiry_timeline(projects=filterset.qs, today=timezone.localdate()):
        writer.writerow([year.year, year.projects, year.assisted_units, year.projects_without_units])
    return response


def project_detail(request: HttpRequest, nlihc_id: str) -> HttpResponse:
    try:
        page = dashboard.project_page(nlihc_id=nlihc_id, today=timezone.localdate())
    except Project.DoesNotExist:
        raise Http404("No project has this id.") from None
    return render(request, "housing/project_detail.html", {"page": page, "project": page.project})


@cache_control(public=True, max_age=BOUNDARY_MAX_AGE)
def boundaries(request: HttpRequest, kind: str) -> HttpResponse:
    """A boundary layer for the map, from the ingested boundary files; 304 when unchanged."""
    try:
        document = boundary_document(kind)
    except NoSuchBoundaries:
        raise Http404("No such boundaries.") from None
    response = get_conditional_response(request, etag=document.etag) or HttpResponse(
        document.body, content_type="application/geo+json"
    )
    response["ETag"] = document.etag
    return response
