"""Query parameters of the collaborative's API lists, validated as the core's are (an
unknown choice or parameter is a 400 naming it)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from cities.api.filters import PortalFilterSet
from cities.models import Organization
from collaborative.models import EcosystemMember, Relationship


class EcosystemMemberFilter(PortalFilterSet):
    city = django_filters.CharFilter(field_name="city__slug", help_text="Slug of the city.")
    organization = django_filters.CharFilter(field_name="organization__slug", help_text="Slug of the organisation.")
    kind = django_filters.ChoiceFilter(
        field_name="organization__kind", choices=Organization.Kind.choices, help_text="The organisation's kind."
    )

    class Meta(PortalFilterSet.Meta):
        model = EcosystemMember
        fields = ["city", "organization", "kind"]


class RelationshipFilter(PortalFilterSet):
    city = django_filters.CharFilter(field_name="city__slug", help_text="Slug of the city.")
    kind = django_filters.ChoiceFilter(choices=Relationship.Kind.choices, help_text="The kind of tie.")
    organization = django_filters.CharFilter(
        method="filter_organization", help_text="Slug of an organisation: its ties either way."
    )

    class Meta(PortalFilterSet.Meta):
        model = Relationship
        fields = ["city", "kind", "organization"]

    def filter_organization(self, queryset: QuerySet[Relationship], name: str, value: str) -> QuerySet[Relationship]:
        return queryset.filter(Q(source_organization__slug=value) | Q(target_organization__slug=value))
