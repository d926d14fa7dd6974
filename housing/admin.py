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

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join

from housing.models import (
    InspectionScore,
    MarketIndicator,
    Parcel,
    Project,
    RealPropertyEvent,
    RiskAssessment,
    Subsidy,
)


class IngestedAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class IngestedInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class SubsidyInline(IngestedInline):
    model = Subsidy
    fields = ["subsidy_id", "program", "units_assisted", "poa_start", "poa_end", "active", "agency"]


class InspectionScoreInline(IngestedInline):
    model = InspectionScore
    fields = ["inspected_on", "raw_score", "score", "letter", "smoke_detector_deficiency"]


class ParcelInline(IngestedInline):
    model = Parcel
    fields = ["ssl", "owner_name", "owner_type_code", "owner_since"]


class RealPropertyEventInline(IngestedInline):
    model = RealPropertyEvent
    fields = ["event_date", "event_type", "ssl", "description"]


def _cluster_number(code: str) -> int:
    """Cluster 2 before Cluster 10; anything unnumbered last."""
    number = re.search(r"\d+", code)
    return int(number.group()) if number else 10**6


class ClusterFilter(admin.SimpleListFilter):
    title = "neighbourhood cluster"
    parameter_name = "cluster"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        clusters = set(Project.objects.values_list("cluster_code", "cluster_name"))
        return [(code, f"{code}: {name}") for code, name in sorted(clusters, key=lambda pair: _cluster_number(pair[0]))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(cluster_code=self.value()) if self.value() else queryset


@admin.register(Project)
class ProjectAdmin(IngestedAdmin):
    list_display = ["nlihc_id", "name", "ward", "cluster_code", "status", "category_code", "units_total"]
    list_filter = ["ward", ClusterFilter, "status", "category_code", "owner_type", "subsidized", "expiring", "lost"]
    search_fields = ["nlihc_id", "name", "address", "owner_name", "manager_name", "cluster_name", "census_tract"]
    inlines = [SubsidyInline, InspectionScoreInline, ParcelInline, RealPropertyEventInline]


@admin.register(Subsidy)
class SubsidyAdmin(IngestedAdmin):
    list_display = ["project", "subsidy_id", "program", "units_assisted", "poa_start", "poa_end", "active"]
    list_filter = ["active", "portfolio", "program", "agency", "project__ward"]
    search_fields = ["project__nlihc_id", "project__name", "program", "contract_number"]
    list_select_related = ["project"]
    date_hierarchy = "poa_end"


@admin.register(InspectionScore)
class InspectionScoreAdmin(IngestedAdmin):
    list_display = ["project", "inspected_on", "raw_score", "score", "letter", "smoke_detector_deficiency"]
    list_filter = ["letter", "smoke_detector_deficiency", "project__ward"]
    search_fields = ["project__nlihc_id", "project__name"]
    list_select_related = ["project"]
    date_hierarchy = "inspected_on"


@admin.register(Parcel)
class ParcelAdmin(IngestedAdmin):
    list_display = ["ssl", "project", "owner_name", "owner_type_code", "owner_since"]
    list_filter = ["owner_type_code", "project__ward"]
    search_fields = ["ssl", "project__nlihc_id", "project__name", "owner_name"]
    list_select_related = ["project"]


@admin.register(RealPropertyEvent)
class RealPropertyEventAdmin(IngestedAdmin):
    list_display = ["project", "event_date", "event_type", "ssl", "description"]
    list_filter = ["event_type", "project__ward"]
    search_fields = ["project__nlihc_id", "project__name", "ssl", "description"]
    list_select_related = ["project"]
    date_hierarchy = "event_date"


@admin.register(MarketIndicator)
class MarketIndicatorAdmin(IngestedAdmin):
    list_display = ["geography_code", "indicator", "period", "value", "suppression"]
    list_filter = ["geography_type", "suppression", "year", "indicator"]
    search_fields = ["geography_code", "indicator"]


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(IngestedAdmin):
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
