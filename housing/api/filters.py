"""Query parameters of the DC housing API.

Projects, the expiry timeline and risk assessments take the dashboard's own filters,
`housing.filters.ProjectFilter`, so a partner's `?ward=Ward 8&program=HOME` selects the
same projects as the dashboard's form. The other lists have FilterSets of their own, strict
as the core's: a malformed value, or one outside a closed set of choices (programmes and
portfolios are the Catalog's closed lists, `housing.programs`), is refused with 400 naming the
parameter; an open identifier (a project, an indicator) that matches nothing answers an empty
list, as the core's slugs do.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.core.validators import MaxValueValidator
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework.request import Request

from cities.api.filters import PortalFilterSet, TrueOrFalseFilter
from cities.api.schema import LARGEST_NUMBER_FILTERED
from housing.filters import ProjectFilter
from housing.models import InspectionScore, MarketIndicator, Owner, Project, Subsidy
from housing.programs import PORTFOLIOS, PROGRAM_PORTFOLIOS


class KnownValueField(forms.CharField):
    """One of a closed list of values, in any letter case; answers the list's own spelling."""

    def __init__(self, *, known: tuple[str, ...], noun: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.known = {value.casefold(): value for value in known}
        self.noun = noun

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if not value:
            return ""
        try:
            return self.known[value.strip().casefold()]
        except KeyError:
            raise forms.ValidationError(
                "%(value)s is not a known %(noun)s.", code="unknown", params={"value": repr(value), "noun": self.noun}
            ) from None


class KnownValueFilter(django_filters.CharFilter):  # type: ignore[misc]  # django-filter is untyped
    field_class = KnownValueField


DATA_CHOICES = "One of the values in the data, exactly as written there; any other is refused with 400."


class ProjectQueryFilter(ProjectFilter):
    """The dashboard's filters with the API's form: an empty value (`?ward=`) is refused
    like any other value outside the choices, where the dashboard's form, submitted with
    its selects left blank, reads it as "no filter"."""

    class Meta(ProjectFilter.Meta):
        form = PortalFilterSet.Meta.form


class ProjectFilterBackend(DjangoFilterBackend):  # type: ignore[misc]  # django-filter is untyped
    """`ProjectQueryFilter` on a list of projects, or of rows that belong to a project
    (through a `project` foreign key): a row is kept when its project passes the filters."""

    def get_filterset_class(self, view: Any, queryset: QuerySet[Any] | None = None) -> type[ProjectQueryFilter]:
        return ProjectQueryFilter

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        if queryset.model is Project:
            filtered: QuerySet[Any] = super().filter_queryset(request, queryset, view)
            return filtered
        projects = super().filter_queryset(request, Project.objects.all(), view)
        return queryset.filter(project__in=projects)


class ProjectFilterBackendSchema(DjangoFilterExtension):
    """Documents `ProjectQueryFilter`'s parameters whatever the view's rows are, with what
    drf-spectacular cannot see: that choices drawn from the data (clusters, programmes,
    owner types) refuse other values, and the type and bounds of a number filtered by a
    method. The schema is generated without the database, so it cannot list those choices."""

    target_class = "housing.api.filters.ProjectFilterBackend"
    # Above drf-spectacular's own extension, which also matches DjangoFilterBackend's subclasses.
    priority = 1

    def get_schema_operation_parameters(
        self, auto_schema: AutoSchema, *args: Any, **kwargs: Any
    ) -> list[dict[str, Any]]:
        parameters = []
        for name, filter_field in ProjectQueryFilter.base_filters.items():
            # drf-spectacular leaves this method of its django-filter extension unannotated.
            resolved = self.resolve_filter_field(  # type: ignore[no-untyped-call]
                auto_schema, Project, ProjectQueryFilter, name, filter_field
            )
            for parameter in resolved:
                if callable(filter_field.extra.get("choices")):
                    described = parameter.get("description", "").rstrip(".")
                    parameter["description"] = f"{described}. {DATA_CHOICES}" if described else DATA_CHOICES
                elif isinstance(filter_field, django_filters.NumberFilter):
                    parameter["schema"] = _number_schema(filter_field)
                parameters.append(parameter)
        return parameters


def _number_schema(filter_field: django_filters.NumberFilter) -> dict[str, Any]:
    bounds = {"minimum": filter_field.extra.get("min_value"), "maximum": filter_field.extra.get("max_value")}
    return {"type": "number", **{key: bound for key, bound in bounds.items() if bound is not None}}


class WholeNumberFilter(django_filters.NumberFilter):  # type: ignore[misc]  # django-filter is untyped
    """A whole number: django-filter's NumberFilter takes any decimal, which a year or a
    score documented as an integer must not. Like JSON Schema, Django reads "7.0" as 7."""

    field_class = forms.IntegerField

    def get_max_validator(self) -> MaxValueValidator:
        # The bound the schema documents, exactly: django-filter's is the float 1e50, a little
        # above 10**50, which would let the whole numbers just above it through.
        return MaxValueValidator(int(Decimal(str(LARGEST_NUMBER_FILTERED))))


class SubsidyFilter(PortalFilterSet):
    project = django_filters.CharFilter(field_name="project__nlihc_id", help_text="The project's NLIHC id.")
    program = KnownValueFilter(
        known=tuple(PROGRAM_PORTFOLIOS),
        noun="programme of the Catalog",
        help_text="The programme, e.g. Low income housing tax credit (any case); an unknown one is refused.",
    )
    portfolio = KnownValueFilter(
        known=PORTFOLIOS, noun="portfolio", help_text="The portfolio, e.g. LIHTC (any case); an unknown one is refused."
    )
    active = TrueOrFalseFilter(help_text="true or false.")
    ends_after = django_filters.DateFilter(
        field_name="poa_end", lookup_expr="gte", help_text="Affordable until this date (YYYY-MM-DD) or later."
    )
    ends_before = django_filters.DateFilter(
        field_name="poa_end", lookup_expr="lte", help_text="Affordable until this date (YYYY-MM-DD) or earlier."
    )

    class Meta(PortalFilterSet.Meta):
        model = Subsidy
        fields = ["project", "program", "portfolio", "active", "ends_after", "ends_before"]


class OwnerFilter(PortalFilterSet):
    owner_type = django_filters.CharFilter(help_text="HUD's owner type, e.g. Profit motivated.")
    name = django_filters.CharFilter(lookup_expr="icontains", help_text="Part of the owner's name (any case).")

    class Meta(PortalFilterSet.Meta):
        model = Owner
        fields = ["owner_type", "name"]


class InspectionFilter(PortalFilterSet):
    project = django_filters.CharFilter(field_name="project__nlihc_id", help_text="The project's NLIHC id.")
    letter = django_filters.ChoiceFilter(
        choices=InspectionScore.Letter.choices, help_text="The worst health and safety deficiency found."
    )
    min_score = WholeNumberFilter(field_name="score", lookup_expr="gte", help_text="Scores of at least this.")
    max_score = WholeNumberFilter(field_name="score", lookup_expr="lte", help_text="Scores of at most this.")
    inspected_after = django_filters.DateFilter(
        field_name="inspected_on", lookup_expr="gte", help_text="Inspected on or after this date (YYYY-MM-DD)."
    )
    inspected_before = django_filters.DateFilter(
        field_name="inspected_on", lookup_expr="lte", help_text="Inspected on or before this date (YYYY-MM-DD)."
    )

    class Meta(PortalFilterSet.Meta):
        model = InspectionScore
        fields = ["project", "letter", "min_score", "max_score", "inspected_after", "inspected_before"]


class MarketIndicatorFilter(PortalFilterSet):
    geography_type = django_filters.ChoiceFilter(
        choices=MarketIndicator.GeographyType.choices, help_text="The kind of area."
    )
    geography_code = django_filters.CharFilter(
        lookup_expr="iexact", help_text="The area as the source names it, e.g. Cluster 7 or Tract 49.02 (any case)."
    )
    indicator = django_filters.CharFilter(
        lookup_expr="iexact", help_text="The source's indicator name, e.g. r_mprice_sf (any case)."
    )
    min_year = WholeNumberFilter(
        field_name="year", lookup_expr="gte", help_text="Periods ending in this year or later."
    )
    max_year = WholeNumberFilter(
        field_name="year", lookup_expr="lte", help_text="Periods ending in this year or earlier."
    )
    suppressed = TrueOrFalseFilter(
        method="filter_suppressed",
        help_text="true: only figures withheld as suppressed (s) or insufficient (i); false: only published ones.",
    )

    class Meta(PortalFilterSet.Meta):
        model = MarketIndicator
        fields = ["geography_type", "geography_code", "indicator", "min_year", "max_year", "suppressed"]

    def filter_suppressed(
        self, queryset: QuerySet[MarketIndicator], name: str, value: bool
    ) -> QuerySet[MarketIndicator]:
        published = MarketIndicator.Suppression.NONE
        return queryset.exclude(suppression=published) if value else queryset.filter(suppression=published)
