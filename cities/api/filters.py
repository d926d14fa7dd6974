"""Query parameters of the core's API lists.

Every parameter is validated: a malformed value (an unknown role, `min_amount=abc`, a date
that is not a date) is refused with 400 naming the parameter, never silently ignored, so a
partner's typo cannot pass for "no results" or "all results".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend, OrderingFilter
from rest_framework.request import Request
from rest_framework.settings import api_settings

from cities.models import City, Dataset, Grant, IngestionRun, Organization, Partnership


class _TrueOrFalseField(forms.NullBooleanField):
    """Only the words JSON uses: Django's own boolean field reads any other word as
    "no filter", which would answer every row to `?contains_personal_data=maybe`."""

    # The raw text, not the select widget's reading of it (which turns unknown words into None).
    widget = forms.TextInput

    # django-stubs give NullBooleanField its parent's `-> bool`; a null boolean may be None.
    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
        if value in (None, ""):
            return None
        if value == "true":
            return True
        if value == "false":
            return False
        raise DjangoValidationError("Enter true or false.", code="invalid")


class TrueOrFalseFilter(django_filters.BooleanFilter):  # type: ignore[misc]  # django-filter is untyped
    field_class = _TrueOrFalseField


class _InstantField(IsoDateTimeField):  # type: ignore[misc]  # django-filter is untyped
    """An ISO 8601 time as the instant it names, in UTC: PostgreSQL refuses offsets beyond
    ±15:59, which ISO 8601 allows."""

    def to_python(self, value: Any) -> datetime | None:
        instant: datetime | None = super().to_python(value)
        if instant is None:
            return None
        try:
            return instant.astimezone(UTC)
        except OverflowError:
            # Within a day of year 1 or 9999 the UTC instant has no Python date; no row
            # lies out there, so the range's own end answers the same rows.
            return datetime.min.replace(tzinfo=UTC) if instant.year == 1 else datetime.max.replace(tzinfo=UTC)


class InstantFilter(django_filters.IsoDateTimeFilter):  # type: ignore[misc]  # django-filter is untyped
    field_class = _InstantField


class _QueryParametersForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField) and self.data.get(name) == "":
                self.add_error(name, "Give a value, or leave the parameter out.")
        return cleaned


class PortalFilterSet(django_filters.FilterSet):  # type: ignore[misc]  # django-filter is untyped
    """Refuses an empty value of a typed parameter (`?starts_after=`) like any other value
    that is not of its type; Django forms would read it as "no filter". An empty text
    parameter is still a text, and filters nothing. FilterSets of the API declare
    `class Meta(PortalFilterSet.Meta)`, and filter times with `InstantFilter`."""

    class Meta:
        form = _QueryParametersForm


class CityFilter(PortalFilterSet):
    role = django_filters.ChoiceFilter(choices=City.Role.choices, help_text="The city's role in the collaborative.")
    state = django_filters.CharFilter(lookup_expr="iexact", help_text="Two-letter postal code, e.g. MA.")

    class Meta(PortalFilterSet.Meta):
        model = City
        fields = ["role", "state"]


class OrganizationFilter(PortalFilterSet):
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices, help_text="The kind of organisation.")
    city = django_filters.CharFilter(field_name="home_city__slug", help_text="Slug of the organisation's home city.")
    search = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", help_text="Words in the organisation's name."
    )

    class Meta(PortalFilterSet.Meta):
        model = Organization
        fields = ["kind", "city", "search"]


class PartnershipFilter(PortalFilterSet):
    city = django_filters.CharFilter(field_name="city__slug", help_text="Slug of the city.")
    organization = django_filters.CharFilter(field_name="organization__slug", help_text="Slug of the organisation.")
    role = django_filters.ChoiceFilter(
        choices=Partnership.Role.choices, help_text="The organisation's role in the city's collaborative."
    )

    class Meta(PortalFilterSet.Meta):
        model = Partnership
        fields = ["city", "organization", "role"]


class GrantFilter(PortalFilterSet):
    city = django_filters.CharFilter(field_name="city__slug", help_text="Slug of the city that received the grant.")
    funder = django_filters.CharFilter(field_name="funder__slug", help_text="Slug of the funding organisation.")
    city_role = django_filters.ChoiceFilter(
        field_name="city__role", choices=City.Role.choices, help_text="Role of the city that received the grant."
    )
    min_amount = django_filters.NumberFilter(
        field_name="amount", lookup_expr="gte", help_text="Grants of at least this many dollars."
    )
    max_amount = django_filters.NumberFilter(
        field_name="amount", lookup_expr="lte", help_text="Grants of at most this many dollars."
    )
    starts_after = django_filters.DateFilter(
        field_name="starts_on", lookup_expr="gte", help_text="Grants starting on or after this date (YYYY-MM-DD)."
    )
    starts_before = django_filters.DateFilter(
        field_name="starts_on", lookup_expr="lte", help_text="Grants starting on or before this date (YYYY-MM-DD)."
    )

    class Meta(PortalFilterSet.Meta):
        model = Grant
        fields = ["city", "funder", "city_role", "min_amount", "max_amount", "starts_after", "starts_before"]


class DatasetFilter(PortalFilterSet):
    city = django_filters.CharFilter(field_name="city__slug", help_text="Slug of the city the dataset is about.")
    publisher = django_filters.CharFilter(
        field_name="publisher__slug", help_text="Slug of the publishing organisation."
    )
    contains_personal_data = TrueOrFalseFilter(help_text="true or false.")
    schema = django_filters.CharFilter(help_text="The ingestion schema, e.g. cities.grants.")

    class Meta(PortalFilterSet.Meta):
        model = Dataset
        fields = ["city", "publisher", "contains_personal_data", "schema"]


class IngestionRunFilter(PortalFilterSet):
    dataset = django_filters.CharFilter(field_name="dataset__slug", help_text="Slug of the dataset.")
    status = django_filters.ChoiceFilter(choices=IngestionRun.Status.choices, help_text="The run's status.")
    created_after = InstantFilter(
        field_name="created_at", lookup_expr="gte", help_text="Runs created at or after this ISO 8601 time."
    )
    created_before = InstantFilter(
        field_name="created_at", lookup_expr="lte", help_text="Runs created at or before this ISO 8601 time."
    )

    class Meta(PortalFilterSet.Meta):
        model = IngestionRun
        fields = ["dataset", "status", "created_after", "created_before"]


class StrictOrderingFilter(OrderingFilter):
    """`?ordering=` over the view's explicit `ordering_fields` only, refusing any other name
    with 400 (DRF's own filter drops unknown names silently).

    The primary key breaks ties, so pages of an ordering by a repeated value (a role, an
    amount) neither repeat nor skip rows.
    """

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> list[str] | None:
        requested = request.query_params.get(self.ordering_param)
        if requested is None:
            default = self.get_default_ordering(view)
            return list(default) if default is not None else None
        allowed = _ordering_fields(view)
        terms = requested.split(",")
        unknown = [term for term in terms if term.removeprefix("-") not in allowed]
        if unknown:
            choices = ", ".join(allowed) if allowed else "nothing: this list has a fixed order"
            refused = ", ".join(map(repr, unknown))
            raise ValidationError({self.ordering_param: [f"Cannot order by {refused}; use {choices}."]})
        return terms

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        return queryset.order_by(*ordering, "pk")

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        allowed = _ordering_fields(view)
        if not allowed:
            return []
        names = "|".join(allowed)
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Comma-separated fields to order by, each optionally preceded by - for "
                f"descending order: {', '.join(allowed)}.",
                "schema": {"type": "string", "pattern": f"^-?({names})(,-?({names}))*$"},
            }
        ]


def _ordering_fields(view: Any) -> list[str]:
    return list(getattr(view, "ordering_fields", None) or ())


class KnownQueryParametersFilter(BaseFilterBackend):
    """Refuses, with 400 naming each, a query parameter the list does not take, so that a
    typo (`?cty=boston`) is not answered with every row. What a list takes: its filters (each
    filter backend's FilterSet), `ordering` where it may be ordered, its paginator's `page`
    and `page_size`, `format` (as every view), and any the view names in
    `extra_query_parameters` (those it reads itself, e.g. a timeline's window). In every
    view's `filter_backends`."""

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        unknown_query_parameters_refuse(request, taken=known_query_parameters(request, queryset, view))
        return queryset


def unknown_query_parameters_refuse(request: Request, *, taken: Iterable[str] = ()) -> None:
    """400 naming each query parameter not in `taken`; views that filter nothing through
    filter backends (a figures page) call it themselves. `format` is always taken: content
    negotiation has already refused a format the view does not offer."""
    taken = set(taken)
    override = api_settings.URL_FORMAT_OVERRIDE
    if override:
        taken.add(override)
    unknown = sorted(set(request.query_params) - taken)
    if unknown:
        listed = ", ".join(sorted(taken)) or "none"
        raise ValidationError({name: [f"Unknown query parameter; this address takes: {listed}."] for name in unknown})


def known_query_parameters(request: Request, queryset: QuerySet[Any], view: Any) -> set[str]:
    taken = set(getattr(view, "extra_query_parameters", ()))
    if api_settings.URL_FORMAT_OVERRIDE:
        taken.add(api_settings.URL_FORMAT_OVERRIDE)
    for backend_class in getattr(view, "filter_backends", ()):
        backend = backend_class()
        if isinstance(backend, DjangoFilterBackend):
            filterset_class = backend.get_filterset_class(view, queryset)
            if filterset_class is not None:
                taken.update(filterset_class.base_filters)
        elif isinstance(backend, OrderingFilter) and _ordering_fields(view):
            taken.add(backend.ordering_param)
    paginator = getattr(view, "paginator", None)
    if paginator is not None:
        taken.update(
            name
            for name in (
                getattr(paginator, "page_query_param", None),
                getattr(paginator, "page_size_query_param", None),
            )
            if name
        )
    return taken
