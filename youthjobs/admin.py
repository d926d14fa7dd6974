"""The Boston summer jobs data in the admin.

Seasons, sites, positions, applicants and direct hires arrive through ingestion and are
read-only here. Applicants are personal data: Django shows their pages (and the applicant
column of eligibility) only to staff holding `youthjobs.view_applicant`, which the
Boston summer jobs staff group carries and nobody else's does.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join

from cities.http import private_response
from youthjobs.commute import CommuteParameters
from youthjobs.models import (
    PLACEMENT_TRANSITIONS,
    Applicant,
    DirectHire,
    Eligibility,
    MatchRun,
    Mechanism,
    Placement,
    PlacementEvent,
    PlacementState,
    Position,
    Season,
    Site,
)
from youthjobs.placements import (
    PlacementError,
    match_run_approve,
    placement_override,
    placement_transition,
    run_state_counts,
)
from youthjobs.scoring import ScoreWeights
from youthjobs.selectors import match_runs_compare, run_placements_csv
from youthjobs.services import MatchRunError, RunParameters, match_run_start


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
    # E-mail and phone are encrypted: the database cannot search them.
    search_fields = ["applicant_id", "last_name", "first_name"]
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
    """Direct hires; which applicant each is, only for staff who may see applicants (the
    direct-hire permission alone shows positions and kinds, never an applicant id)."""

    list_display = ["applicant", "position", "kind"]
    list_filter = ["kind", "position__site__neighbourhood"]
    search_fields = ["applicant__applicant_id", "position__position_id", "position__site__name"]
    list_select_related = ["applicant", "position"]

    def _may_see_applicants(self, request: HttpRequest) -> bool:
        return request.user.has_perm("youthjobs.view_applicant")

    def get_list_display(self, request: HttpRequest) -> list[str]:
        if self._may_see_applicants(request):
            return self.list_display
        return ["position", "kind"]

    def get_list_display_links(self, request: HttpRequest, list_display: Sequence[str]) -> Sequence[str]:
        return [list_display[0]]

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        if self._may_see_applicants(request):
            return self.search_fields
        return ["position__position_id", "position__site__name"]

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        if self._may_see_applicants(request):
            return ["applicant", "position", "kind"]
        return ["position", "kind"]


# ---------------------------------------------------------------- match runs and placements


class MatchRunStartForm(forms.Form):
    season = forms.ModelChoiceField(queryset=Season.objects.all(), empty_label=None)
    mechanism = forms.ChoiceField(choices=Mechanism.choices, initial=Mechanism.OPTIMAL)
    seed = forms.IntegerField(
        min_value=0, max_value=2**31 - 1, help_text="The lottery's seed: the same seed, the same run."
    )
    max_minutes = forms.FloatField(
        label="Maximum commute (minutes)", min_value=5, max_value=120, initial=CommuteParameters.max_minutes
    )
    travel_weight = forms.FloatField(min_value=0, max_value=100, initial=ScoreWeights.travel_weight)
    interest_weight = forms.FloatField(min_value=0, max_value=100, initial=ScoreWeights.interest_weight)
    candidates_per_youth = forms.IntegerField(
        min_value=0,
        max_value=2000,
        initial=RunParameters.candidates_per_youth,
        help_text="How many of each youth's best-scoring positions within the commute the run considers "
        "(0: all of them, for an exact optimum).",
    )

    def parameters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "commute": {"max_minutes": data["max_minutes"]},
            "weights": {"travel_weight": data["travel_weight"], "interest_weight": data["interest_weight"]},
            "candidates_per_youth": data["candidates_per_youth"],
        }


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    """Staff start runs here (a form, then a worker solves it), watch their progress,
    compare two, approve one and download its placements."""

    list_display = [
        "__str__",
        "season",
        "round",
        "mechanism",
        "seed",
        "status",
        "progress",
        "placed",
        "total_score",
        "approved_at",
    ]
    list_filter = ["season", "round", "mechanism", "status"]
    actions = ["compare_runs"]
    readonly_fields = [
        "season",
        "round",
        "mechanism",
        "seed",
        "parameters",
        "input_checksum",
        "status",
        "progress",
        "message",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "timings",
        "approved_at",
        "approved_by",
    ]
    exclude = ["summary"]
    change_form_template = "admin/youthjobs/matchrun/change_form.html"

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Runs are read-only records; approving is its own permissioned button.
        return False

    @admin.display(description="placed")
    def placed(self, run: MatchRun) -> Any:
        return run.summary.get("overall", {}).get("placed", "—")

    @admin.display(description="total score")
    def total_score(self, run: MatchRun) -> Any:
        return run.summary.get("overall", {}).get("total_score", "—")

    def get_urls(self) -> list[Any]:
        view = self.admin_site.admin_view
        return [
            path("<int:run_id>/approve/", view(self.approve_view), name="youthjobs_matchrun_approve"),
            path("<int:run_id>/placements.csv", view(self.placements_csv_view), name="youthjobs_matchrun_csv"),
            path("compare/<int:first_id>/<int:second_id>/", view(self.compare_view), name="youthjobs_matchrun_compare"),
            *super().get_urls(),
        ]

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = MatchRunStartForm(request.POST or None, initial={"seed": secrets.randbelow(2**31)})
        if request.method == "POST" and form.is_valid():
            try:
                run = match_run_start(
                    season=form.cleaned_data["season"],
                    mechanism=form.cleaned_data["mechanism"],
                    seed=form.cleaned_data["seed"],
                    parameters=form.parameters(),
                    started_by=request.user,
                )
            except MatchRunError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, f"{run} is queued; this page shows its progress.")
                return redirect("admin:youthjobs_matchrun_change", run.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Start a match run",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/youthjobs/matchrun/start.html", context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        run = get_object_or_404(MatchRun, pk=object_id)
        extra = {
            **(extra_context or {}),
            "run": run,
            "overall": run.summary.get("overall", {}),
            "breakdowns": [
                ("Neighbourhood", run.summary.get("by_neighbourhood", [])),
                ("Age band", run.summary.get("by_age_band", [])),
                ("Gender", run.summary.get("by_gender", [])),
            ],
            "state_counts": run_state_counts(run),
            "can_approve": run.status == MatchRun.Status.FINISHED
            and run.approved_at is None
            and request.user.has_perm("youthjobs.change_matchrun"),
            "can_export": request.user.has_perm("youthjobs.view_applicant"),
            "refresh": not run.is_finished,
        }
        return super().change_view(request, object_id, form_url, extra)

    def approve_view(self, request: HttpRequest, run_id: int) -> HttpResponse:
        if request.method != "POST":
            return redirect("admin:youthjobs_matchrun_change", run_id)
        if not request.user.has_perm("youthjobs.change_matchrun"):
            raise PermissionDenied
        run = get_object_or_404(MatchRun, pk=run_id)
        try:
            offered = match_run_approve(run=run, approved_by=request.user)
        except PlacementError as error:
            self.message_user(request, str(error), level=messages.ERROR)
        else:
            self.message_user(request, f"{run} approved: {offered} offers made.")
        return redirect("admin:youthjobs_matchrun_change", run_id)

    def placements_csv_view(self, request: HttpRequest, run_id: int) -> HttpResponse:
        if not request.user.has_perms(["youthjobs.view_matchrun", "youthjobs.view_applicant"]):
            raise PermissionDenied
        run = get_object_or_404(MatchRun, pk=run_id)
        response = HttpResponse(run_placements_csv(run), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="match-run-{run.pk}-placements.csv"'
        return private_response(response)

    @admin.action(description="Compare the two selected runs side by side")
    def compare_runs(self, request: HttpRequest, queryset: QuerySet[MatchRun]) -> HttpResponse | None:
        runs = list(queryset.order_by("pk")[:3])
        if len(runs) != 2:
            self.message_user(request, "Select exactly two runs to compare.", level=messages.WARNING)
            return None
        return redirect("admin:youthjobs_matchrun_compare", runs[0].pk, runs[1].pk)

    def compare_view(self, request: HttpRequest, first_id: int, second_id: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        comparison = match_runs_compare(
            first=get_object_or_404(MatchRun, pk=first_id), second=get_object_or_404(MatchRun, pk=second_id)
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"{comparison.first} and {comparison.second}",
            "comparison": comparison,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/youthjobs/matchrun/compare.html", context)


class PlacementEventInline(ReadOnlyInline):
    model = PlacementEvent
    fields = ["changed_at", "from_state", "to_state", "from_position", "changed_by", "reason"]
    readonly_fields = fields

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # The history belongs to the placement: whoever may see the placement sees it.
        return request.user.has_perm("youthjobs.view_placement")


class PlacementOverrideForm(forms.Form):
    to_state = forms.ChoiceField(label="Change its state to", required=False)
    position = forms.ModelChoiceField(
        label="Or move it to the position",
        queryset=Position.objects.none(),
        required=False,
        help_text="Only positions of the season with a seat left.",
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text="Kept in the placement's history.")

    def __init__(self, *args: Any, placement: Placement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = sorted(PLACEMENT_TRANSITIONS[placement.state])
        self.fields["to_state"].choices = [("", "—")] + [(state, PlacementState(state).label) for state in allowed]
        self.fields["position"].queryset = Position.objects.filter(season=placement.position.season).select_related(
            "site"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("to_state")) == bool(data.get("position")):
            raise forms.ValidationError("Choose either a new state or a new position.")
        return data


class PlacementSiteFilter(admin.SimpleListFilter):
    """Sites that have placements in the runs shown, by name."""

    title = "site"
    parameter_name = "site"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        sites = Site.objects.filter(positions__placements__isnull=False).distinct().order_by("name")
        return [(str(site.pk), site.name) for site in sites]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(position__site=self.value()) if self.value() else queryset


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    """Staff review: filter by state, site and neighbourhood; override with a reason."""

    list_display = ["applicant", "position", "site_name", "state", "score", "explanation", "run"]
    list_filter = ["state", "run", PlacementSiteFilter, "applicant__neighbourhood", "is_direct_hire"]
    search_fields = ["applicant__applicant_id", "position__position_id", "position__site__name"]
    list_select_related = ["applicant", "position__site", "run"]
    inlines = [PlacementEventInline]
    readonly_fields = [
        "run",
        "applicant",
        "position",
        "state",
        "is_direct_hire",
        "commute_minutes",
        "by_transit",
        "interest_rank",
        "travel_points",
        "interest_points",
        "score",
        "explanation",
        "offer_expires_at",
        "state_changed_at",
    ]
    change_form_template = "admin/youthjobs/placement/change_form.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    @admin.display(description="site", ordering="position__site__name")
    def site_name(self, placement: Placement) -> str:
        return placement.position.site.name

    def get_urls(self) -> list[Any]:
        override = path(
            "<int:placement_id>/override/",
            self.admin_site.admin_view(self.override_view),
            name="youthjobs_placement_override",
        )
        return [override, *super().get_urls()]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        placement = get_object_or_404(Placement.objects.select_related("position__season"), pk=object_id)
        form = (
            PlacementOverrideForm(placement=placement) if request.user.has_perm("youthjobs.change_placement") else None
        )
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "override_form": form})

    def override_view(self, request: HttpRequest, placement_id: int) -> HttpResponse:
        """Change a placement's state or position with a reason (kept in its history)."""
        if not request.user.has_perm("youthjobs.change_placement"):
            raise PermissionDenied
        placement = get_object_or_404(
            Placement.objects.select_related("position__season", "applicant"), pk=placement_id
        )
        form = PlacementOverrideForm(request.POST or None, placement=placement)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if data["position"]:
                    placement_override(
                        placement=placement, position=data["position"], by=request.user, reason=data["reason"]
                    )
                else:
                    placement_transition(
                        placement=placement, to_state=data["to_state"], by=request.user, reason=data["reason"]
                    )
            except PlacementError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, "The placement was changed; its history says why.")
                return redirect("admin:youthjobs_placement_change", placement.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Override {placement}",
            "placement": placement,
            "override_form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/youthjobs/placement/override.html", context)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Fields are never edited directly: changes go through the override form.
        return False
