"""Query parameters of the Boston summer jobs API lists (positions, applicants, placements)."""

from __future__ import annotations

import django_filters
from django import forms

from cities.api.filters import PortalFilterSet
from youthjobs.models import CATEGORY_CHOICES, NEIGHBOURHOOD_CHOICES, Applicant, Placement, PlacementState, Position


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
