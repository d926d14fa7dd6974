"""Query parameters of the Boston summer jobs API lists (positions, applicants, placements,
match runs)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet

from cities.api.filters import InstantFilter, PortalFilterSet, TrueOrFalseFilter
from youthjobs.models import (
    CATEGORY_CHOICES,
    NEIGHBOURHOOD_CHOICES,
    Applicant,
    MatchRun,
    Mechanism,
    Placement,
    PlacementState,
    Position,
)


class WholeNumberFilter(django_filters.NumberFilter):  # type: ignore[misc]  # django-filter is untyped
    """A whole number, as the schema documents it (NumberFilter would take any decimal)."""

    field_class = forms.IntegerField


class PositionFilter(PortalFilterSet):
    season = django_filters.CharFilter(field_name="season__year")
    category = django_filters.ChoiceFilter(choices=CATEGORY_CHOICES)
    neighbourhood = django_filters.ChoiceFilter(field_name="site__neighbourhood", choices=NEIGHBOURHOOD_CHOICES)
    # The bounds of the column's type, as the API's schema documents them (api/views.py).
    open_to_age = WholeNumberFilter(field_name="minimum_age", lookup_expr="lte", min_value=0, max_value=32767)

    class Meta(PortalFilterSet.Meta):
        model = Position
        fields = ["season", "category", "neighbourhood", "open_to_age"]


class ApplicantFilter(PortalFilterSet):
    season = django_filters.CharFilter(field_name="season__year")
    neighbourhood = django_filters.ChoiceFilter(choices=NEIGHBOURHOOD_CHOICES)
    eligible = django_filters.BooleanFilter(field_name="eligibility__eligible")

    class Meta(PortalFilterSet.Meta):
        model = Applicant
        fields = ["season", "neighbourhood", "eligible"]


class PlacementFilter(PortalFilterSet):
    run = django_filters.NumberFilter(field_name="run_id", min_value=1, max_value=2**63 - 1)
    state = django_filters.ChoiceFilter(choices=PlacementState.choices)
    site = django_filters.CharFilter(field_name="position__site__site_id")

    class Meta(PortalFilterSet.Meta):
        model = Placement
        fields = ["run", "state", "site"]


class MatchRunFilter(PortalFilterSet):
    season = django_filters.CharFilter(field_name="season__year", help_text="The season's year, e.g. 2026.")
    status = django_filters.ChoiceFilter(choices=MatchRun.Status.choices, help_text="The run's status.")
    mechanism = django_filters.ChoiceFilter(choices=Mechanism.choices, help_text="The matching mechanism.")
    approved = TrueOrFalseFilter(method="filter_approved", help_text="true: approved runs; false: the others.")
    what_if = TrueOrFalseFilter(method="filter_what_if", help_text="true: what-if runs only; false: none of them.")
    started_after = InstantFilter(
        field_name="started_at", lookup_expr="gte", help_text="Runs started at or after this ISO 8601 time."
    )
    started_before = InstantFilter(
        field_name="started_at", lookup_expr="lte", help_text="Runs started at or before this ISO 8601 time."
    )

    class Meta(PortalFilterSet.Meta):
        model = MatchRun
        fields = ["season", "status", "mechanism", "approved", "what_if", "started_after", "started_before"]

    def filter_approved(self, queryset: QuerySet[MatchRun], name: str, value: bool) -> QuerySet[MatchRun]:
        return queryset.filter(approved_at__isnull=not value)

    def filter_what_if(self, queryset: QuerySet[MatchRun], name: str, value: bool) -> QuerySet[MatchRun]:
        return queryset.exclude(what_if={}) if value else queryset.filter(what_if={})
