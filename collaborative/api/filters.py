"""Query parameters of the collaborative's API lists, validated as the core's are (an
unknown choice or parameter is a 400 naming it)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from cities.api.filters import InstantFilter, PortalFilterSet
from cities.models import Organization
from collaborative.models import ActionItem, EcosystemMember, Lesson, Meeting, Relationship


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


class MeetingFilter(PortalFilterSet):
    city = django_filters.CharFilter(field_name="cities__slug", distinct=True, help_text="Slug of a taking-part city.")
    kind = django_filters.ChoiceFilter(choices=Meeting.Kind.choices, help_text="Meeting or coaching session.")
    starts_after = InstantFilter(field_name="starts_at", lookup_expr="gte", help_text="ISO 8601 time.")
    starts_before = InstantFilter(field_name="starts_at", lookup_expr="lt", help_text="ISO 8601 time.")

    class Meta(PortalFilterSet.Meta):
        model = Meeting
        fields = ["city", "kind", "starts_after", "starts_before"]


class ActionItemFilter(PortalFilterSet):
    city = django_filters.CharFilter(field_name="meeting__cities__slug", distinct=True, help_text="Slug of a city.")
    owner = django_filters.CharFilter(field_name="owner__slug", help_text="Slug of the owner organisation.")
    status = django_filters.ChoiceFilter(choices=ActionItem.Status.choices)
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lt", help_text="YYYY-MM-DD.")

    class Meta(PortalFilterSet.Meta):
        model = ActionItem
        fields = ["city", "owner", "status", "due_before"]


class LessonFilter(PortalFilterSet):
    city = django_filters.CharFilter(field_name="cities__slug", distinct=True, help_text="Slug of a city.")
    theme = django_filters.ChoiceFilter(choices=Lesson.Theme.choices)
    app = django_filters.CharFilter(field_name="app_label", help_text="A portal app, e.g. housing.")

    class Meta(PortalFilterSet.Meta):
        model = Lesson
        fields = ["city", "theme", "app"]
