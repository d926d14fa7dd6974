"""Staff fill in the ecosystem maps, send surveys and review their answers here."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html

from cities.admin_exports import csv_export_action
from collaborative import services
from collaborative.models import (
    ActionItem,
    ActionItemQuerySet,
    EcosystemMember,
    Lesson,
    Meeting,
    Relationship,
    SurveyInvitation,
)


@admin.register(EcosystemMember)
class EcosystemMemberAdmin(admin.ModelAdmin[EcosystemMember]):
    list_display = ["organization", "city", "contribution_list"]
    list_filter = ["city", "organization__kind"]
    search_fields = ["organization__name", "city__name"]
    autocomplete_fields = ["organization"]
    list_select_related = ["organization", "city"]

    @admin.display(description="Contributes")
    def contribution_list(self, member: EcosystemMember) -> str:
        return ", ".join(str(choice.label) for choice in member.contributions)


@admin.action(description="Publish the selected ties (after review)")
def approve_relationships(
    modeladmin: admin.ModelAdmin[Relationship], request: HttpRequest, queryset: QuerySet[Relationship]
) -> None:
    changed = services.relationships_review(relationship_ids=list(queryset.values_list("pk", flat=True)), approve=True)
    modeladmin.message_user(request, f"{changed} tie(s) published.", messages.SUCCESS)


@admin.action(description="Reject the selected ties")
def reject_relationships(
    modeladmin: admin.ModelAdmin[Relationship], request: HttpRequest, queryset: QuerySet[Relationship]
) -> None:
    changed = services.relationships_review(relationship_ids=list(queryset.values_list("pk", flat=True)), approve=False)
    modeladmin.message_user(request, f"{changed} tie(s) rejected.", messages.SUCCESS)


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin[Relationship]):
    list_display = ["source_organization", "kind", "target_organization", "city", "since", "until", "review_status"]
    list_filter = ["review_status", "city", "kind"]
    search_fields = ["source_organization__name", "target_organization__name", "source"]
    autocomplete_fields = ["source_organization", "target_organization"]
    list_select_related = ["source_organization", "target_organization", "city"]
    readonly_fields = ["survey_response"]
    actions = [approve_relationships, reject_relationships]


class SurveyInvitationForm(forms.ModelForm[SurveyInvitation]):
    class Meta:
        model = SurveyInvitation
        fields = ["city", "organization"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        city, organization = cleaned.get("city"), cleaned.get("organization")
        if city and organization and not EcosystemMember.objects.filter(city=city, organization=organization).exists():
            raise forms.ValidationError(f"{organization} is not on {city.name}'s ecosystem map.")
        return cleaned


class SurveyRelationshipInline(admin.TabularInline[Relationship, SurveyInvitation]):
    model = Relationship
    fk_name = "survey_response"
    extra = 0
    can_delete = False
    fields = readonly_fields = ("source_organization", "kind", "target_organization", "since", "review_status")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(admin.ModelAdmin[SurveyInvitation]):
    form = SurveyInvitationForm
    list_display = ["organization", "city", "created_at", "answered_at"]
    list_filter = ["city", "answered_at"]
    list_select_related = ["organization", "city"]
    inlines = [SurveyRelationshipInline]

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[type[admin.options.InlineModelAdmin[Any, Any]]]:
        # A new invitation has no answer yet.
        return [] if obj is None else self.inlines

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        return ["city", "organization", "private_link", "answered_at", "comment"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is None:
            return ("city", "organization")
        return ("city", "organization", "private_link", "answered_at", "comment")

    @admin.display(description="Private link to send")
    def private_link(self, invitation: SurveyInvitation) -> str:
        if invitation.is_answered:
            return "Answered: the link no longer works. Review the ties below, then publish or reject them."
        return format_html('<a href="{0}" id="survey-private-link">{0}</a>', services.survey_url(invitation=invitation))


class ActionItemInline(admin.TabularInline[ActionItem, Meeting]):
    model = ActionItem
    extra = 1
    autocomplete_fields = ["owner"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin[Meeting]):
    list_display = ["title", "kind", "starts_at", "is_example"]
    list_filter = ["kind", "cities", "is_example"]
    search_fields = ["title", "topics", "notes"]
    filter_horizontal = ["cities", "organizations"]
    date_hierarchy = "starts_at"
    inlines = [ActionItemInline]


class OverdueFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]) -> list[tuple[str, str]]:
        return [("yes", "Overdue (open, past due)")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            # The filter sits on ActionItemAdmin only, whose queryset is ActionItem's own.
            return cast(ActionItemQuerySet, queryset).overdue(on=timezone.localdate())
        return queryset


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin[ActionItem]):
    list_display = ["description", "owner", "due_on", "status", "meeting"]
    actions = [
        csv_export_action(
            file_name="action-items",
            description="Export the selected action items as CSV",
            columns=[
                ("meeting", "meeting__title"),
                ("meeting_starts_at", "meeting__starts_at"),
                ("description", "description"),
                ("owner", "owner__name"),
                ("due_on", "due_on"),
                ("status", "status"),
            ],
        )
    ]
    list_filter = [OverdueFilter, "status", "meeting__cities"]
    list_editable = ["status"]
    search_fields = ["description", "owner__name", "meeting__title"]
    autocomplete_fields = ["owner"]
    list_select_related = ["owner", "meeting"]


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin[Lesson]):
    list_display = ["title", "theme", "app_label", "published_on", "is_example"]
    list_filter = ["theme", "cities", "app_label", "is_example"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["cities", "datasets"]
