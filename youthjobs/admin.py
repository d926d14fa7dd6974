"""The Boston summer jobs data in the admin.

Seasons, sites, positions, applicants and direct hires arrive through ingestion and are
read-only here. Applicants are personal data: Django shows their pages (and the applicant
column of eligibility) only to staff holding `youthjobs.view_applicant`, which the
Boston summer jobs staff group carries and nobody else's does.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from youthjobs.models import Applicant, DirectHire, Eligibility, Position, Season, Site


class IngestedAdmin(admin.ModelAdmin):
    """Rows that change only by ingesting a newer file."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Season)
class SeasonAdmin(IngestedAdmin):
    list_display = ["year", "starts_on", "ends_on", "offer_days"]


class PositionInline(ReadOnlyInline):
    model = Position
    fields = ["position_id", "title", "category", "seats", "minimum_age"]
    show_change_link = True


@admin.register(Site)
class SiteAdmin(IngestedAdmin):
    list_display = ["site_id", "name", "neighbourhood", "address", "is_synthetic"]
    list_filter = ["neighbourhood", "is_synthetic"]
    search_fields = ["site_id", "name", "address"]
    inlines = [PositionInline]


@admin.register(Position)
class PositionAdmin(IngestedAdmin):
    list_display = ["position_id", "title", "site", "category", "seats", "minimum_age", "season"]
    list_filter = ["season", "category", "minimum_age", "site__neighbourhood", "is_synthetic"]
    search_fields = ["position_id", "title", "site__name", "site__site_id"]
    list_select_related = ["site", "season"]


@admin.register(Applicant)
class ApplicantAdmin(IngestedAdmin):
    list_display = [
        "applicant_id",
        "last_name",
        "first_name",
        "neighbourhood",
        "gender",
        "is_eligible",
        "first_interest",
        "has_transit_pass",
    ]
    list_filter = [
        "season",
        "eligibility__eligible",
        "neighbourhood",
        "gender",
        "has_transit_pass",
        "has_work_permit",
        "first_interest",
        "is_synthetic",
    ]
    search_fields = ["applicant_id", "last_name", "first_name", "email"]
    list_select_related = ["eligibility"]
    # Eligibility belongs to the applicant's page: whoever may see the applicant sees why.
    readonly_fields = ["eligibility_decision"]

    @admin.display(boolean=True, description="eligible", ordering="eligibility__eligible")
    def is_eligible(self, applicant: Applicant) -> bool | None:
        eligibility = getattr(applicant, "eligibility", None)
        return None if eligibility is None else eligibility.eligible

    @admin.display(description="eligibility")
    def eligibility_decision(self, applicant: Applicant) -> str:
        eligibility = Eligibility.objects.filter(applicant=applicant).first()
        if eligibility is None:
            return "Not checked yet."
        if eligibility.eligible:
            return f"Eligible (aged {eligibility.age_on_start} on the first day)."
        return format_html(
            "Not eligible (aged {} on the first day):<ul>{}</ul>",
            eligibility.age_on_start,
            format_html_join("", "<li>{}</li>", ((reason,) for reason in eligibility.reasons)),
        )


@admin.register(DirectHire)
class DirectHireAdmin(IngestedAdmin):
    list_display = ["applicant", "position", "kind"]
    list_filter = ["kind", "position__site__neighbourhood"]
    search_fields = ["applicant__applicant_id", "position__position_id", "position__site__name"]
    list_select_related = ["applicant", "position"]
