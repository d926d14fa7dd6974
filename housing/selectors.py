"""Reads of the DC housing data that cross relations, for the dashboard and the API."""

from __future__ import annotations

import hashlib
from datetime import date

from django.db.models import Case, Count, F, IntegerField, Prefetch, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractYear

from cities.data_cache import data_cached
from housing.expiry import ExpiryYear
from housing.models import InspectionScore, Owner, Parcel, Project, RealPropertyEvent, RiskAssessment, Subsidy


def expiry_timeline_for(projects: QuerySet[Project], *, as_of: date, years: int = 10) -> list[ExpiryYear]:
    """`housing.expiry.expiry_timeline` for any filtered set of projects, as one indexed
    GROUP BY over the assessments' stored affordability ends (tests hold the two equal).

    Kept in the data cache under the current version of the housing data (a refresh starts a
    new one), keyed by the projects' query: the API, the dashboard and its CSV share it."""
    if years < 1:
        raise ValueError(f"years must be at least 1, not {years}")
    sql, params = projects.query.sql_with_params()
    selection = hashlib.sha256(repr((sql, params)).encode()).hexdigest()[:32]
    return data_cached(
        "housing",
        f"expiry-timeline:{as_of:%Y%m%d}:{years}:{selection}",
        lambda: _expiry_timeline_read(projects, as_of=as_of, years=years),
    )


def _expiry_timeline_read(projects: QuerySet[Project], *, as_of: date, years: int) -> list[ExpiryYear]:
    last_year = as_of.year + years - 1
    ending = RiskAssessment.objects.filter(
        affordability_ends_on__gte=as_of, affordability_ends_on__year__lte=last_year
    ).order_by()
    # Every project has at most one assessment: the whole city needs no join, only the
    # covering index (40 ms rather than 500 at 200,000 projects).
    if projects.query.has_filters():
        ending = ending.filter(project__in=projects.order_by().values("pk"))
    per_year = {
        row["year"]: row
        for row in ending.values(year=ExtractYear("affordability_ends_on")).annotate(
            projects=Count("pk"),
            assisted_units=Sum("assisted_units_at_risk"),
            with_units=Count("assisted_units_at_risk"),
        )
    }
    timeline = []
    for year in range(as_of.year, last_year + 1):
        row = per_year.get(year, {"projects": 0, "assisted_units": 0, "with_units": 0})
        timeline.append(
            ExpiryYear(
                year=year,
                projects=row["projects"],
                assisted_units=row["assisted_units"] or 0,
                projects_without_units=row["projects"] - row["with_units"],
            )
        )
    return timeline


# ---------------------------------------------------------------- the API's lists
# Querysets, so the API filters, orders and pages them in the database; each serialised
# row reads only what these select or prefetch.


def project_name_match_rank(term: str) -> Case:
    """How well a project's id or name matches a search term, best first: 0 the id itself, 1 the
    whole name, 2 the name's start, 3 a word's start, 4 within the name, 5 found elsewhere
    (address, owner, ...)."""
    return Case(
        When(nlihc_id__iexact=term, then=Value(0)),
        When(name__iexact=term, then=Value(1)),
        When(name__istartswith=term, then=Value(2)),
        When(name__icontains=f" {term}", then=Value(3)),
        When(name__icontains=term, then=Value(4)),
        default=Value(5),
        output_field=IntegerField(),
    )


def project_list() -> QuerySet[Project]:
    """Projects with their current risk assessment (None until the first one), orderable by
    `affordability_ends_on`."""
    return Project.objects.select_related("risk_assessment").alias(
        affordability_ends_on=F("risk_assessment__affordability_ends_on")
    )


def project_detail_list() -> QuerySet[Project]:
    """`project_list` with each project's subsidies, inspections (latest first), parcels and
    property events (latest first): five queries for any number of projects."""
    return project_list().prefetch_related(
        Prefetch("subsidies", queryset=Subsidy.objects.order_by("subsidy_id")),
        Prefetch("inspection_scores", queryset=InspectionScore.objects.order_by("-inspected_on")),
        Prefetch("parcels", queryset=Parcel.objects.order_by("ssl")),
        Prefetch("property_events", queryset=RealPropertyEvent.objects.order_by("-event_date", "event_type")),
    )


def owner_list() -> QuerySet[Owner]:
    return Owner.objects.order_by("name_key")


def subsidy_list() -> QuerySet[Subsidy]:
    return Subsidy.objects.select_related("project")


def inspection_list() -> QuerySet[InspectionScore]:
    return InspectionScore.objects.select_related("project")


def risk_assessment_list() -> QuerySet[RiskAssessment]:
    return RiskAssessment.objects.select_related("project")
