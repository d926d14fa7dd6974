"""The one set of filters over projects that the DC dashboard and the API share.

Choices come from the data (the clusters, programmes and owner types the Catalog holds), so
an unknown value makes the filter form invalid: the dashboard answers 400 with the message,
the API a 400 naming the parameter. Never an empty page for a typo. Every request validates
them, so they are read once per version of the data (`cities.data_cache`).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from cities.data_cache import data_cached
from housing.models import WARDS, Project, RiskAssessment, Subsidy


def _distinct(queryset: QuerySet[Any], field: str) -> list[tuple[str, str]]:
    values = queryset.exclude(**{field: ""}).order_by(field).values_list(field, flat=True).distinct()
    return [(value, value) for value in values]


def cluster_choices() -> list[tuple[str, str]]:
    return data_cached("housing", "choices:cluster", lambda: _distinct(Project.objects.all(), "cluster_code"))


def program_choices() -> list[tuple[str, str]]:
    return data_cached("housing", "choices:program", lambda: _distinct(Subsidy.objects.active(), "program"))


def owner_type_choices() -> list[tuple[str, str]]:
    return data_cached("housing", "choices:owner_type", lambda: _distinct(Project.objects.all(), "owner_type"))


class ProjectFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter is untyped
    ward = django_filters.ChoiceFilter(choices=[(ward, ward) for ward in WARDS])
    cluster = django_filters.ChoiceFilter(field_name="cluster_code", choices=cluster_choices)
    program = django_filters.ChoiceFilter(
        method="filter_program", choices=program_choices, label="Programme of an active subsidy"
    )
    owner_type = django_filters.ChoiceFilter(choices=owner_type_choices)
    risk_level = django_filters.ChoiceFilter(field_name="risk_assessment__level", choices=RiskAssessment.Level.choices)
    expires_within_years = django_filters.NumberFilter(
        method="filter_expires_within_years",
        min_value=0,
        max_value=50,
        label="Affordability ends within (years)",
    )

    class Meta:
        model = Project
        fields = ["ward", "cluster", "program", "owner_type", "risk_level", "expires_within_years"]

    def canonical_query(self) -> str:
        """The filters in force as a query string that is the same for the same selection
        however it was written: in the filters' order, without the empty ones, a number in
        its shortest form ("5.0" is "5"). "" when nothing filters. For a valid filterset."""
        if not self.is_bound:
            return ""
        in_force = []
        for name in self.form.fields:
            value = self.form.cleaned_data.get(name)
            if value in (None, ""):
                continue
            in_force.append((name, f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)))
        return urlencode(in_force)

    def filter_program(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        return queryset.filter(pk__in=Subsidy.objects.active().filter(program=value).values("project_id"))

    def filter_expires_within_years(self, queryset: QuerySet[Project], name: str, value: Any) -> QuerySet[Project]:
        return queryset.filter(expires_within(float(value)))


def expires_within(years: float) -> Q:
    """Projects whose affordability ends from today to `years` years from now: the filter's
    window, also the dashboard's "ending soon" (a condition on the project's assessment, so
    that an aggregate can count it in the same pass over the projects)."""
    today = timezone.localdate()
    until = today + timedelta(days=round(365.25 * years))
    return Q(risk_assessment__affordability_ends_on__gte=today, risk_assessment__affordability_ends_on__lte=until)
