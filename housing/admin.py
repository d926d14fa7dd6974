"""The DC housing data in the admin, for staff to browse, search and filter.

Every row mirrors a file of the Preservation Catalog or NeighborhoodInfo DC and changes only
by ingesting a newer file, so nothing here can be added or edited. Parcel owners and event
descriptions may name people: they appear only on the parcel and event pages and inlines,
which Django shows only to staff with `housing.view_parcel` / `housing.view_realpropertyevent`;
no other page searches or shows them.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime

from cities.admin import ReadOnlyInline, ReadOnlyModelAdmin
from cities.permissions import signed_in_user
from housing.models import (
    InspectionScore,
    MarketIndicator,
    Meeting,
    Owner,
    Parcel,
    Project,
    ProjectNote,
    RealPropertyEvent,
    RiskAssessment,
    RiskRefresh,
    Subsidy,
    WatchlistEntry,
)
from housing.selectors import project_name_match_rank
from housing.watchlist import (
    agenda_csv,
    meeting_agenda,
    project_note_add,
    project_notes_mark_entered_in_error,
    watchlist_add,
)


class SubsidyInline(ReadOnlyInline[Subsidy]):
    model = Subsidy
    fields = ["subsidy_id", "program", "units_assisted", "poa_start", "poa_end", "active", "agency"]


class InspectionScoreInline(ReadOnlyInline[InspectionScore]):
    model = InspectionScore
    fields = ["inspected_on", "raw_score", "score", "letter", "smoke_detector_deficiency"]


class ParcelInline(ReadOnlyInline[Parcel]):
    model = Parcel
    fields = ["ssl", "owner_name", "owner_type_code", "owner_since"]


class RealPropertyEventInline(ReadOnlyInline[RealPropertyEvent]):
    model = RealPropertyEvent
    fields = ["event_date", "event_type", "ssl", "description"]


def _cluster_number(code: str) -> int:
    """Cluster 2 before Cluster 10; anything unnumbered last."""
    number = re.search(r"\d+", code)
    return int(number.group()) if number else 10**6


class ClusterFilter(admin.SimpleListFilter):
    title = "neighbourhood cluster"
    parameter_name = "cluster"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]) -> list[tuple[str, str]]:
        clusters = set(Project.objects.values_list("cluster_code", "cluster_name"))
        return [(code, f"{code}: {name}") for code, name in sorted(clusters, key=lambda pair: _cluster_number(pair[0]))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(cluster_code=self.value()) if self.value() else queryset


@admin.display(description="Note")
def note_text(note: ProjectNote) -> str:
    """A note entered in error stays in the history, struck through."""
    if note.entered_in_error_at is None:
        return note.text
    return format_html('<s>{}</s> <span class="help">(entered in error)</span>', note.text)


class ProjectNoteInline(ReadOnlyInline[ProjectNote]):
    """The notes' history on the project's page; staff add notes under Project notes."""

    model = ProjectNote
    # Django's admin shows a callable among read-only fields; django-stubs types only names.
    fields = readonly_fields = ("written_at", "author", note_text)  # type: ignore[assignment]


@admin.register(Project)
class ProjectAdmin(ReadOnlyModelAdmin[Project]):
    list_display = ["nlihc_id", "name", "ward", "cluster_code", "status", "category_code", "units_total"]
    list_select_related = ["owner"]
    list_filter = ["ward", ClusterFilter, "status", "category_code", "owner_type", "subsidized", "expiring", "lost"]
    search_fields = ["nlihc_id", "name", "address", "owner_name", "manager_name", "cluster_name", "census_tract"]
    inlines = [SubsidyInline, InspectionScoreInline, ParcelInline, RealPropertyEventInline, ProjectNoteInline]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        # Best name matches first (the note and watchlist forms' project autocomplete lists
        # these in this order); the changelist then orders by its own column.
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            found = found.annotate(name_match=project_name_match_rank(search_term.strip())).order_by(
                "name_match", "name", "nlihc_id"
            )
        return found, may_have_duplicates


class OwnedProjectInline(ReadOnlyInline[Project]):
    model = Project
    fields = readonly_fields = ("nlihc_id", "name", "ward", "cluster_code", "units_total", "status")
    ordering = ["nlihc_id"]


@admin.register(Owner)
class OwnerAdmin(ReadOnlyModelAdmin[Owner]):
    """One owner's whole portfolio, for the monthly review of who may sell. Only staff with
    housing.view_owner see it: HUD's "Individual" owners are people."""

    list_display = ["name", "owner_type", "project_count", "assisted_units"]
    list_filter = ["owner_type"]
    search_fields = ["name"]
    fields = ["name", "owner_type"]
    inlines = [OwnedProjectInline]

    # The totals are the owner's own columns (`housing.owners.owner_totals_refresh`).
    @admin.display(description="projects", ordering="project_count")
    def project_count(self, owner: Owner) -> int:
        return owner.project_count

    @admin.display(description="assisted units (most)", ordering="assisted_units")
    def assisted_units(self, owner: Owner) -> int:
        return owner.assisted_units or 0


@admin.register(Subsidy)
class SubsidyAdmin(ReadOnlyModelAdmin[Subsidy]):
    list_display = ["project", "subsidy_id", "program", "units_assisted", "poa_start", "poa_end", "active"]
    list_filter = ["active", "portfolio", "program", "agency", "project__ward"]
    search_fields = ["project__nlihc_id", "project__name", "program", "contract_number"]
    list_select_related = ["project"]
    date_hierarchy = "poa_end"


@admin.register(InspectionScore)
class InspectionScoreAdmin(ReadOnlyModelAdmin[InspectionScore]):
    list_display = ["project", "inspected_on", "raw_score", "score", "letter", "smoke_detector_deficiency"]
    list_filter = ["letter", "smoke_detector_deficiency", "project__ward"]
    search_fields = ["project__nlihc_id", "project__name"]
    list_select_related = ["project"]
    date_hierarchy = "inspected_on"


@admin.register(Parcel)
class ParcelAdmin(ReadOnlyModelAdmin[Parcel]):
    list_display = ["ssl", "project", "owner_name", "owner_type_code", "owner_since"]
    list_filter = ["owner_type_code", "project__ward"]
    search_fields = ["ssl", "project__nlihc_id", "project__name", "owner_name"]
    list_select_related = ["project"]


@admin.register(RealPropertyEvent)
class RealPropertyEventAdmin(ReadOnlyModelAdmin[RealPropertyEvent]):
    list_display = ["project", "event_date", "event_type", "ssl", "description"]
    list_filter = ["event_type", "project__ward"]
    search_fields = ["project__nlihc_id", "project__name", "ssl", "description"]
    list_select_related = ["project"]
    date_hierarchy = "event_date"


@admin.register(MarketIndicator)
class MarketIndicatorAdmin(ReadOnlyModelAdmin[MarketIndicator]):
    list_display = ["geography_code", "indicator", "period", "value", "suppression"]
    list_filter = ["geography_type", "suppression", "year", "indicator"]
    search_fields = ["geography_code", "indicator"]


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(ReadOnlyModelAdmin[RiskAssessment]):
    """Computed by `housing.risk` after each ingestion: read-only, like the data it rests on."""

    list_display = ["project", "level", "flag_labels", "previous_level", "level_changed_at", "as_of"]
    list_filter = ["level", "previous_level", "project__ward", "project__cluster_code"]
    search_fields = ["project__nlihc_id", "project__name"]
    list_select_related = ["project"]
    exclude = ["flags"]
    readonly_fields = ["flag_evidence"]

    @admin.display(description="Flags")
    def flag_labels(self, assessment: RiskAssessment) -> str:
        return ", ".join(flag["label"] for flag in assessment.flags) or "—"

    @admin.display(description="Flags and their evidence")
    def flag_evidence(self, assessment: RiskAssessment) -> str:
        return format_html_join(
            "",
            "<p><strong>{}</strong> ({}): {}<br>Evidence: {} — {}, {}</p>",
            (
                (
                    flag["label"],
                    flag["severity"],
                    flag["rule"],
                    flag["evidence"]["record"],
                    flag["evidence"]["source"] or "source not recorded",
                    flag["evidence"]["source_date"] or "date not recorded",
                )
                for flag in assessment.flags
            ),
        )


@admin.register(RiskRefresh)
class RiskRefreshAdmin(ReadOnlyModelAdmin[RiskRefresh]):
    """Each run of the risk refresh over the whole city: staff check here that the assessments
    follow the latest files, and how many a new file changed."""

    list_display = [
        "finished_at",
        "as_of",
        "projects_assessed",
        "assessments_created",
        "assessments_changed",
        "took",
    ]
    date_hierarchy = "finished_at"
    fields = readonly_fields = (
        "as_of",
        "started_at",
        "finished_at",
        "took",
        "projects_assessed",
        "assessments_created",
        "assessments_changed",
        "files_read",
    )

    @admin.display(description="Took")
    def took(self, refresh: RiskRefresh) -> str:
        return f"{(refresh.finished_at - refresh.started_at).total_seconds():.1f} s"

    @admin.display(description="The files it read (each dataset's latest ingestion)")
    def files_read(self, refresh: RiskRefresh) -> str:
        runs = refresh.ingestion_runs.select_related("dataset").order_by("dataset__title")
        return (
            format_html_join(
                "",
                "<p>{}: run {}, ingested {}</p>",
                (
                    (
                        run.dataset.title,
                        run.pk,
                        date_format(localtime(run.finished_at or run.created_at), "DATETIME_FORMAT"),
                    )
                    for run in runs
                ),
            )
            or "—"
        )


@admin.register(WatchlistEntry)
class WatchlistEntryAdmin(admin.ModelAdmin[WatchlistEntry]):
    list_display = ["project", "reason", "added_by", "added_at"]
    search_fields = ["project__nlihc_id", "project__name", "reason"]
    list_select_related = ["project", "added_by"]
    autocomplete_fields = ["project"]
    fields = ["project", "reason"]

    def save_model(self, request: HttpRequest, obj: WatchlistEntry, form: Any, change: bool) -> None:
        saved = watchlist_add(project=obj.project, reason=obj.reason, added_by=signed_in_user(request))
        obj.pk = saved.pk


@admin.register(ProjectNote)
class ProjectNoteAdmin(admin.ModelAdmin[ProjectNote]):
    """Notes are added, never edited or deleted: together they are the project's history."""

    list_display = ["project", "written_at", "author", note_text]
    list_filter = ["project__ward", ("entered_in_error_at", admin.EmptyFieldListFilter)]
    search_fields = ["project__nlihc_id", "project__name", "text"]
    list_select_related = ["project", "author"]
    autocomplete_fields = ["project"]
    fields = ["project", "text"]
    actions = ["mark_entered_in_error"]

    def has_mark_in_error_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("housing.change_projectnote")

    @admin.action(
        description="Mark the selected notes as entered in error (kept, struck through)", permissions=["mark_in_error"]
    )
    def mark_entered_in_error(self, request: HttpRequest, queryset: QuerySet[ProjectNote]) -> None:
        count = project_notes_mark_entered_in_error(
            note_ids=list(queryset.values_list("pk", flat=True)), by=signed_in_user(request)
        )
        self.message_user(
            request, f"{count} note{'' if count == 1 else 's'} marked as entered in error.", messages.SUCCESS
        )

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ProjectNote, form: Any, change: bool) -> None:
        saved = project_note_add(project=obj.project, text=obj.text, author=signed_in_user(request))
        obj.pk = saved.pk


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin[Meeting]):
    list_display = ["held_on", "agenda_link"]
    date_hierarchy = "held_on"

    @admin.display(description="Agenda")
    def agenda_link(self, meeting: Meeting) -> str:
        return format_html('<a href="{}">Agenda</a>', reverse("admin:housing_meeting_agenda", args=[meeting.pk]))

    def get_urls(self) -> list[Any]:
        agenda = path(
            "<int:meeting_id>/agenda/", self.admin_site.admin_view(self.agenda_view), name="housing_meeting_agenda"
        )
        return [agenda, *super().get_urls()]

    def agenda_view(self, request: HttpRequest, meeting_id: int) -> HttpResponse:
        """The meeting's agenda; `?format=csv` downloads exactly the rows shown."""
        if not request.user.has_perms(["housing.view_meeting", "housing.view_riskassessment"]):
            raise PermissionDenied
        meeting = get_object_or_404(Meeting, pk=meeting_id)
        items = meeting_agenda(meeting=meeting)
        if request.GET.get("format") == "csv":
            response = HttpResponse(agenda_csv(items), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="agenda-{meeting.held_on}.csv"'
            return response
        context = {
            **self.admin_site.each_context(request),
            "title": f"Agenda: {meeting}",
            "meeting": meeting,
            "previous": meeting.previous(),
            "items": items,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/housing/meeting/agenda.html", context)
