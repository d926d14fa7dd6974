"""Query parameters of the courts' API lists (see `cities.api.filters` for the conventions:
every value validated, a malformed one refused with 400 naming it)."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, QuerySet

from cities.api.filters import PortalFilterSet, TrueOrFalseFilter
from courts.models import Citation, Violation, Warrant


class CitationFilter(PortalFilterSet):
    court = django_filters.CharFilter(field_name="court__slug", help_text="Slug of the court.")
    issued_after = django_filters.DateFilter(
        field_name="citation_date", lookup_expr="gte", help_text="Citations issued on or after this date (YYYY-MM-DD)."
    )
    issued_before = django_filters.DateFilter(
        field_name="citation_date", lookup_expr="lte", help_text="Citations issued on or before this date (YYYY-MM-DD)."
    )
    status = django_filters.ChoiceFilter(
        choices=Violation.Status.choices,
        method="filter_status",
        help_text="Citations with at least one violation in this status.",
    )
    warrant = TrueOrFalseFilter(
        method="filter_warrant", help_text="true: citations with an outstanding warrant; false: without one."
    )

    class Meta(PortalFilterSet.Meta):
        model = Citation
        fields = ["court", "issued_after", "issued_before", "status", "warrant"]

    def filter_status(self, queryset: QuerySet[Citation], name: str, value: str) -> QuerySet[Citation]:
        return queryset.filter(Exists(Violation.objects.filter(citation=OuterRef("pk"), status=value)))

    def filter_warrant(self, queryset: QuerySet[Citation], name: str, value: bool | None) -> QuerySet[Citation]:
        if value is None:
            return queryset
        outstanding = Exists(
            Warrant.objects.filter(violation__citation=OuterRef("pk"), status=Warrant.Status.OUTSTANDING)
        )
        return queryset.filter(outstanding) if value else queryset.exclude(outstanding)
