"""The St. Louis court data in the admin, for staff to browse, search and moderate.

Courts, citations and everything ingested change only by ingesting a newer file, so they
cannot be added or edited here. Defendants' names, birth dates, addresses and licence
numbers appear (and can be searched) only for staff with `courts.view_defendant_details`;
everyone else with `courts.view_citation` sees a citation's court, dates and violations.
Stories are moderated through the services of `courts.stories`. Reminder subscriptions are
read-only, their contact details shown only with the same permission.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from cities.admin import ReadOnlyInline, ReadOnlyModelAdmin
from cities.admin_exports import csv_export_action
from cities.audit import PersonalDataViewAuditMixin
from courts.lookup import lookup_key_of
from courts.models import (
    Citation,
    Court,
    CourtDate,
    CourtQuestion,
    CourtSurvey,
    FineScheduleEntry,
    Judge,
    Municipality,
    MunicipalityCourt,
    ReminderSubscription,
    Story,
    Violation,
    Warrant,
)
from courts.stories import MAX_STORY_LENGTH, story_moderate, story_review

DEFENDANT_PERMISSION = "courts.view_defendant_details"
DEFENDANT_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "address",
    "city",
    "state",
    "licence_number",
    "licence_state",
)


def sees_defendants(request: HttpRequest) -> bool:
    return request.user.has_perm(DEFENDANT_PERMISSION)


class MunicipalityCourtInline(ReadOnlyInline[MunicipalityCourt]):
    model = MunicipalityCourt
    show_change_link = False


class JudgeInline(ReadOnlyInline[Judge]):
    model = Judge
    fields = ("name",)


@admin.register(Municipality)
class MunicipalityAdmin(ReadOnlyModelAdmin[Municipality]):
    list_display = ("name", "source_id", "payment_url", "population")
    search_fields = ("name",)
    inlines = [MunicipalityCourtInline]


@admin.register(Court)
class CourtAdmin(ReadOnlyModelAdmin[Court]):
    list_display = ("name", "phone_display", "payment_system", "city", "zip_code")
    list_filter = ("payment_system", "rights_format")
    search_fields = ("name", "address", "zip_code")
    inlines = [JudgeInline]


@admin.register(Judge)
class JudgeAdmin(ReadOnlyModelAdmin[Judge]):
    list_display = ("name", "court")
    list_select_related = ("court",)
    search_fields = ("name", "court__name")


@admin.register(CourtSurvey)
class CourtSurveyAdmin(ReadOnlyModelAdmin[CourtSurvey]):
    list_display = (
        "surveyed_name",
        "municipality",
        "docket_listed",
        "fine_schedule_listed",
        "dress_code_mentioned",
        "directions_listed",
    )
    list_select_related = ("municipality",)
    list_filter = ("docket_listed", "fine_schedule_listed", "dress_code_mentioned")
    search_fields = ("surveyed_name",)


@admin.register(FineScheduleEntry)
class FineScheduleEntryAdmin(ReadOnlyModelAdmin[FineScheduleEntry]):
    list_display = ("violation", "fine", "court_cost")
    search_fields = ("violation",)


@admin.register(CourtQuestion)
class CourtQuestionAdmin(ReadOnlyModelAdmin[CourtQuestion]):
    list_display = ("question", "topic", "position")
    list_filter = ("topic",)


class ViolationInline(ReadOnlyInline[Violation]):
    model = Violation
    fields = ("violation_number", "description", "status", "status_date", "fine_amount", "court_cost")


class CourtDateInline(ReadOnlyInline[CourtDate]):
    model = CourtDate
    fields = ("day", "time_of_day")
    readonly_fields = ("time_of_day",)
    show_change_link = False


@admin.register(Citation)
class CitationAdmin(PersonalDataViewAuditMixin, ReadOnlyModelAdmin[Citation]):
    list_display = ("citation_number", "citation_date", "court", "municipality", "synthetic")
    list_select_related = ("court", "municipality")
    list_filter = ("synthetic", "court")
    inlines = [CourtDateInline, ViolationInline]
    show_full_result_count = False

    def shows_personal_data(self, request: HttpRequest, obj: Model) -> bool:
        return sees_defendants(request)

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        fields = ("citation_number", "citation_date", "court", "municipality", "synthetic")
        return fields + tuple(DEFENDANT_FIELDS) if sees_defendants(request) else fields

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        # A name or licence typed into the search box is itself personal data: only staff who
        # may see defendants may search by it.
        if sees_defendants(request):
            return ["=citation_number", "=last_name_key", "=licence_number_key"]
        return ["=citation_number"]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        term = lookup_key_of(search_term) if sees_defendants(request) else search_term.strip()
        return super().get_search_results(request, queryset, term)


@admin.register(Violation)
class ViolationAdmin(ReadOnlyModelAdmin[Violation]):
    list_display = ("violation_number", "description", "status", "fine_amount", "court_cost", "can_pay_online")
    list_filter = ("status", "can_pay_online", "synthetic")
    search_fields = ("=violation_number", "=citation__citation_number")
    raw_id_fields = ("citation",)
    show_full_result_count = False


@admin.register(Warrant)
class WarrantAdmin(ReadOnlyModelAdmin[Warrant]):
    list_display = ("warrant_number", "status", "violation")
    list_select_related = ("violation",)
    list_filter = ("status",)
    search_fields = ("=warrant_number",)
    raw_id_fields = ("violation",)


def moderation_message(count: int, status: str) -> str:
    """One wording for every moderation: "1 story published.", "2 stories not published."."""
    return f"{count} stor{'y' if count == 1 else 'ies'} {Story.Status(status).label.lower()}."


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin[Story]):
    """Stories are moderated with Publish / Do not publish: on a story's page (where staff may
    edit the text to publish, the resident's own words kept) or for several from the list."""

    list_display = ("__str__", "excerpt", "municipality", "status", "submitted_at", "reviewed_at")
    list_filter = ("status",)
    list_select_related = ("municipality",)
    fields = ("body", "published_text", "municipality", "consent_given_at", "status", "submitted_at", "reviewed_at")
    readonly_fields = ("body", "municipality", "consent_given_at", "status", "submitted_at", "reviewed_at")
    actions = [
        "publish",
        "refuse",
        # The moderated text only: the resident's own words stay in the admin.
        csv_export_action(
            file_name="stories",
            description="Export the selected stories as CSV",
            columns=[
                ("id", "pk"),
                ("municipality", "municipality__name"),
                ("status", "status"),
                ("submitted_at", "submitted_at"),
                ("reviewed_at", "reviewed_at"),
                ("published_text", "published_text"),
            ],
        ),
    ]
    change_form_template = "admin/courts/story/change_form.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # A story is kept, published or not, as the record of what the resident sent.
        return False

    @admin.display(description="Story")
    def excerpt(self, story: Story) -> str:
        return story.body[:80] + ("…" if len(story.body) > 80 else "")

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "published_text":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 8, "cols": 80})
            kwargs["max_length"] = MAX_STORY_LENGTH
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj: Story | None = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and not obj.published_text and "published_text" in form.base_fields:
            # Staff start from the resident's words and take out what must not be published.
            form.base_fields["published_text"].initial = obj.body
        return form

    def save_model(self, request: HttpRequest, obj: Story, form: Any, change: bool) -> None:
        status = self._decision(request)
        if status is None:
            raise PermissionDenied("a story is saved only by publishing it or not")
        story_review(story=obj, status=status, published_text=form.cleaned_data["published_text"])

    def response_change(self, request: HttpRequest, obj: Story) -> HttpResponse:
        status = self._decision(request)
        self.message_user(request, moderation_message(1, status or obj.status), messages.SUCCESS)
        return redirect("admin:courts_story_changelist")

    @staticmethod
    def _decision(request: HttpRequest) -> str | None:
        if "_publish" in request.POST:
            return Story.Status.APPROVED
        if "_refuse" in request.POST:
            return Story.Status.REJECTED
        return None

    def _moderate(self, request: HttpRequest, stories: QuerySet[Story], status: str) -> None:
        count = story_moderate(story_ids=list(stories.values_list("pk", flat=True)), status=status)
        self.message_user(request, moderation_message(count, status), messages.SUCCESS)

    @admin.action(description="Publish the selected stories as sent (without names)", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Story]) -> None:
        self._moderate(request, queryset, Story.Status.APPROVED)

    @admin.action(description="Do not publish the selected stories", permissions=["change"])
    def refuse(self, request: HttpRequest, queryset: QuerySet[Story]) -> None:
        self._moderate(request, queryset, Story.Status.REJECTED)


@admin.register(ReminderSubscription)
class ReminderSubscriptionAdmin(PersonalDataViewAuditMixin, ReadOnlyModelAdmin[ReminderSubscription]):
    """Read-only: residents subscribe on the lookup page; the daily task sends and deletes.
    Phone numbers, emails and watched citations only with the defendants' permission."""

    list_display = ("__str__", "channel", "citation", "created_at", "watch_ends_on")
    # Without contacts or the watched citation: the channel, the dates and the court.
    actions = [
        csv_export_action(
            file_name="reminder-subscriptions",
            description="Export the selected subscriptions as CSV (no contact details)",
            columns=[
                ("id", "pk"),
                ("channel", "channel"),
                ("court", "citation__court__name"),
                ("created_at", "created_at"),
                ("watch_ends_on", "watch_ends_on"),
                ("new_date_after", "new_date_after"),
            ],
        )
    ]
    list_filter = ("channel",)
    raw_id_fields = ("citation",)

    def shows_personal_data(self, request: HttpRequest, obj: Model) -> bool:
        return sees_defendants(request)

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        fields: tuple[str, ...] = ("citation", "channel", "created_at", "watch_ends_on")
        if sees_defendants(request):
            fields += ("phone_number", "email", "watched_citation_number", "watched_date_of_birth")
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        return self.get_fields(request, obj)
