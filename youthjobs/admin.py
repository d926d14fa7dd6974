"""The Boston summer jobs data in the admin.

Seasons, sites, positions, applicants and direct hires arrive through ingestion and are
read-only here. Applicants are personal data: Django shows their pages (and the applicant
column of eligibility) only to staff holding `youthjobs.view_applicant`, which the
Boston summer jobs staff group carries and nobody else's does.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from cities.admin import ReadOnlyInline, ReadOnlyModelAdmin
from cities.admin_exports import csv_export_action
from cities.audit import PersonalDataViewAuditMixin, personal_data_view_record
from cities.http import private_response
from cities.permissions import signed_in_user
from youthjobs.casework import (
    CaseError,
    applicant_note_add,
    eligibility_fact_record,
    offer_deadline_extend,
    offer_resend,
)
from youthjobs.commute import CommuteParameters
from youthjobs.models import (
    CATEGORY_CHOICES,
    PLACEMENT_TRANSITIONS,
    Applicant,
    DirectHire,
    Eligibility,
    EligibilityFact,
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
from youthjobs.season_comparison import neighbourhood_trend, seasons_compared
from youthjobs.seasons import (
    POSITION_FIELDS_STAFF_EDIT,
    SeasonError,
    position_changes_check,
    position_edit,
    season_create_by_copy,
    season_is_open_for_edits,
)
from youthjobs.selectors import (
    PositionWithSeats,
    applicant_case,
    applicant_seasons_history,
    match_runs_compare,
    positions_with_seats_left,
    round_approved_run,
    run_parameters_shown,
    run_placements_csv,
    run_timings_shown,
    superseding_run_pk,
)
from youthjobs.services import MatchRunError, RunParameters, match_run_start
from youthjobs.waiting import OfferExpiringFilter, WaitingForApprovalFilter
from youthjobs.what_if import WhatIfError, next_season_changes, what_if_described, what_if_run_start


class SeasonCopyForm(forms.Form):
    year = forms.RegexField(regex=r"^[0-9]{4}$", max_length=4, help_text="Four digits, e.g. 2027.")
    starts_on = forms.DateField(label="Programme starts on", help_text="YYYY-MM-DD")
    ends_on = forms.DateField(label="Programme ends on", help_text="YYYY-MM-DD")


class WhatIfForm(forms.Form):
    max_minutes = forms.FloatField(label="Longer maximum commute (minutes)", min_value=5, max_value=120, required=False)
    category = forms.ChoiceField(
        label="More seats in the category", choices=[("", "—"), *CATEGORY_CHOICES], required=False
    )
    extra_seats = forms.IntegerField(label="Extra seats", min_value=1, max_value=1000, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("category")) != bool(data.get("extra_seats")):
            raise forms.ValidationError("Give both a category and a number of extra seats, or neither.")
        return data

    def extra_seats_by_category(self) -> dict[str, int]:
        data = self.cleaned_data
        return {data["category"]: data["extra_seats"]} if data.get("category") else {}


@admin.register(Season)
class SeasonAdmin(ReadOnlyModelAdmin[Season]):
    """Seasons arrive by file; staff create the next one by copying a season's positions,
    compare the seasons, and see what to change next season (with what-if runs)."""

    list_display = ["year", "starts_on", "ends_on", "offer_days", "season_links"]
    change_list_template = "admin/youthjobs/season/change_list.html"

    @admin.display(description="plan")
    def season_links(self, season: Season) -> str:
        return format_html(
            '<a href="{}">Copy into a new season</a> · <a href="{}">What to change next season</a>',
            reverse("admin:youthjobs_season_copy", args=[season.pk]),
            reverse("admin:youthjobs_season_next", args=[season.pk]),
        )

    def get_urls(self) -> list[Any]:
        view = self.admin_site.admin_view
        return [
            path("compare/", view(self.compare_view), name="youthjobs_season_compare"),
            path("<int:season_id>/copy/", view(self.copy_view), name="youthjobs_season_copy"),
            path("<int:season_id>/next-season/", view(self.next_season_view), name="youthjobs_season_next"),
            *super().get_urls(),
        ]

    def _context(self, request: HttpRequest, title: str, **values: Any) -> dict[str, Any]:
        return {**self.admin_site.each_context(request), "title": title, "opts": self.model._meta, **values}

    def compare_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        compared = seasons_compared(public=False)
        context = self._context(
            request,
            "Seasons compared",
            compared=compared,
            neighbourhood_trend=neighbourhood_trend(compared),
        )
        return TemplateResponse(request, "admin/youthjobs/season/compare.html", context)

    def copy_view(self, request: HttpRequest, season_id: int) -> HttpResponse:
        if not request.user.has_perm("youthjobs.add_season"):
            raise PermissionDenied
        source = get_object_or_404(Season, pk=season_id)
        form = SeasonCopyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                season = season_create_by_copy(copy_from=source, **form.cleaned_data)
            except SeasonError as error:
                form.add_error(None, f"No season was created: {error}.")
            else:
                self.message_user(
                    request,
                    f"{season} created with a copy of the {source.positions.count()} positions of {source}; "
                    "edit them below before the first match run.",
                )
                return redirect(reverse("admin:youthjobs_position_changelist") + f"?season__id__exact={season.pk}")
        title = f"Copy {source} into a new season"
        return TemplateResponse(
            request, "admin/youthjobs/season/copy.html", self._context(request, title, form=form, source=source)
        )

    def next_season_view(self, request: HttpRequest, season_id: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        season = get_object_or_404(Season, pk=season_id)
        may_start = request.user.has_perm("youthjobs.add_matchrun")
        form = WhatIfForm(request.POST or None)
        if request.method == "POST":
            if not may_start:
                raise PermissionDenied
            if form.is_valid():
                try:
                    run = what_if_run_start(
                        season=season,
                        max_minutes=form.cleaned_data["max_minutes"],
                        extra_seats=form.extra_seats_by_category(),
                        started_by=signed_in_user(request),
                    )
                except WhatIfError as error:
                    form.add_error(None, f"No run was started: {error}.")
                else:
                    self.message_user(request, f"What-if {run} is queued; it will never be approved.")
                    return redirect("admin:youthjobs_season_next", season.pk)
        context = self._context(
            request,
            f"What to change after {season}",
            season=season,
            changes=next_season_changes(season),
            form=form if may_start else None,
        )
        return TemplateResponse(request, "admin/youthjobs/season/next_season.html", context)


class PositionInline(ReadOnlyInline[Position]):
    model = Position
    fields = ("position_id", "title", "category", "seats", "minimum_age")


@admin.register(Site)
class SiteAdmin(ReadOnlyModelAdmin[Site]):
    list_display = ["site_id", "name", "neighbourhood", "address", "is_synthetic"]
    list_filter = ["neighbourhood", "is_synthetic"]
    search_fields = ["site_id", "name", "address"]
    inlines = [PositionInline]


class PositionEditForm(forms.ModelForm[Position]):
    """A position of a season not matched yet, checked by the service's own rules."""

    class Meta:
        model = Position
        fields = list(POSITION_FIELDS_STAFF_EDIT)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        changes = {field: data[field] for field in self.changed_data if field in data}
        try:
            position_changes_check(
                position=Position.objects.select_related("season").get(pk=self.instance.pk), changes=changes
            )
        except SeasonError as error:
            raise forms.ValidationError(f"Nothing was changed: {error}.") from None
        return data


@admin.register(Position)
class PositionAdmin(ReadOnlyModelAdmin[Position]):
    """Positions arrive by file or by copying a season; staff may edit those of a season
    that no approved run has matched yet."""

    list_display = ["position_id", "title", "site", "category", "seats", "minimum_age", "season"]
    list_filter = ["season", "category", "minimum_age", "site__neighbourhood", "is_synthetic"]
    search_fields = ["position_id", "title", "site__name", "site__site_id"]
    list_select_related = ["site", "season"]
    form = PositionEditForm
    fields = ["position_id", "season", "site", *POSITION_FIELDS_STAFF_EDIT]
    readonly_fields = ["position_id", "season", "site"]

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if not request.user.has_perm("youthjobs.change_position"):
            return False
        return obj is None or (isinstance(obj, Position) and season_is_open_for_edits(obj.season))

    def save_model(self, request: HttpRequest, obj: Position, form: forms.ModelForm[Position], change: bool) -> None:
        changes = {field: form.cleaned_data[field] for field in form.changed_data}
        position_edit(position=obj, changes=changes)


class ApplicantNoteForm(forms.Form):
    use_required_attribute = False
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class EligibilityFactForm(forms.Form):
    use_required_attribute = False
    fact = forms.ChoiceField(label="Fact", choices=EligibilityFact.Fact.choices)
    reason = forms.CharField(label="How you know it", required=False)


class OfferDeadlineForm(forms.Form):
    use_required_attribute = False
    until = forms.DateTimeField(
        label="New deadline",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
        error_messages={"required": "Give the new deadline.", "invalid": "Give the new deadline as a date and time."},
    )
    reason = forms.CharField(label="Why", required=False)


def _deadline_prefix(placement_id: int) -> str:
    return f"offer-{placement_id}"


@admin.register(Applicant)
class ApplicantAdmin(PersonalDataViewAuditMixin, ReadOnlyModelAdmin[Applicant]):
    """A youth's case page: who they are, their eligibility and why, every placement and offer
    with its history and messages, staff notes, and the actions staff take on the case (each
    its own small form outside the admin's change form, posting to its own address)."""

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
    search_fields = ["applicant_id", "person_id", "last_name", "first_name"]
    list_select_related = ["eligibility"]
    # Eligibility belongs to the applicant's page: whoever may see the applicant sees why.
    readonly_fields = ["eligibility_decision"]
    change_form_template = "admin/youthjobs/applicant/change_form.html"

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

    def get_urls(self) -> list[Any]:
        view = self.admin_site.admin_view
        return [
            path("<int:applicant_id>/note/", view(self.note_view), name="youthjobs_applicant_note"),
            path("<int:applicant_id>/fact/", view(self.fact_view), name="youthjobs_applicant_fact"),
            path(
                "<int:applicant_id>/offers/<int:placement_id>/resend/",
                view(self.offer_resend_view),
                name="youthjobs_applicant_offer_resend",
            ),
            path(
                "<int:applicant_id>/offers/<int:placement_id>/deadline/",
                view(self.offer_deadline_view),
                name="youthjobs_applicant_offer_deadline",
            ),
            *super().get_urls(),
        ]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        applicant = get_object_or_404(Applicant, pk=object_id)
        user = request.user
        case = applicant_case(applicant)
        may_change_offers = user.has_perm("youthjobs.change_placement")
        extra = {
            **(extra_context or {}),
            "case": case,
            "seasons_history": applicant_seasons_history(applicant),
            # One deadline form per open offer, each with its own field ids.
            "case_placements": [
                (item, OfferDeadlineForm(prefix=_deadline_prefix(item.placement.pk)) if may_change_offers else None)
                for item in case.placements
            ],
            "note_form": ApplicantNoteForm(prefix="note") if user.has_perm("youthjobs.add_applicantnote") else None,
            "fact_form": EligibilityFactForm(prefix="fact") if user.has_perm("youthjobs.add_eligibilityfact") else None,
        }
        return super().change_view(request, object_id, form_url, extra)

    def _case_action(self, request: HttpRequest, applicant_id: int, permission: str) -> tuple[Applicant, HttpResponse]:
        if request.method != "POST" or not request.user.has_perm(permission):
            raise PermissionDenied
        applicant = get_object_or_404(Applicant, pk=applicant_id)
        return applicant, redirect("admin:youthjobs_applicant_change", applicant.pk)

    def _refused(self, request: HttpRequest, error: str) -> None:
        self.message_user(request, f"Nothing was changed: {error}.", level=messages.ERROR)

    def note_view(self, request: HttpRequest, applicant_id: int) -> HttpResponse:
        applicant, back = self._case_action(request, applicant_id, "youthjobs.add_applicantnote")
        form = ApplicantNoteForm(request.POST, prefix="note")
        try:
            form.is_valid()
            applicant_note_add(applicant=applicant, text=form.cleaned_data.get("text", ""), by=signed_in_user(request))
        except CaseError as error:
            self._refused(request, str(error))
        else:
            self.message_user(request, "The note was added to the case.")
        return back

    def fact_view(self, request: HttpRequest, applicant_id: int) -> HttpResponse:
        applicant, back = self._case_action(request, applicant_id, "youthjobs.add_eligibilityfact")
        form = EligibilityFactForm(request.POST, prefix="fact")
        if not form.is_valid():
            self._refused(request, "choose one of the facts listed")
            return back
        try:
            eligibility = eligibility_fact_record(
                applicant=applicant,
                fact=form.cleaned_data["fact"],
                reason=form.cleaned_data["reason"],
                by=signed_in_user(request),
            )
        except CaseError as error:
            self._refused(request, str(error))
        else:
            decided = "eligible" if eligibility.eligible else "still not eligible"
            self.message_user(request, f"The fact was recorded; eligibility decided again: {decided}.")
        return back

    def _placement(self, applicant: Applicant, placement_id: int) -> Placement:
        return get_object_or_404(Placement, pk=placement_id, applicant=applicant)

    def offer_resend_view(self, request: HttpRequest, applicant_id: int, placement_id: int) -> HttpResponse:
        applicant, back = self._case_action(request, applicant_id, "youthjobs.change_placement")
        try:
            offer_resend(placement=self._placement(applicant, placement_id), by=signed_in_user(request))
        except CaseError as error:
            self._refused(request, str(error))
        else:
            self.message_user(request, "The offer is being sent again.")
        return back

    def offer_deadline_view(self, request: HttpRequest, applicant_id: int, placement_id: int) -> HttpResponse:
        applicant, back = self._case_action(request, applicant_id, "youthjobs.change_placement")
        form = OfferDeadlineForm(request.POST, prefix=_deadline_prefix(placement_id))
        if not form.is_valid():
            self._refused(
                request, " ".join(str(error) for errors in form.errors.values() for error in errors).rstrip(".")
            )
            return back
        try:
            offer_deadline_extend(
                placement=self._placement(applicant, placement_id),
                until=form.cleaned_data["until"],
                by=signed_in_user(request),
                reason=form.cleaned_data["reason"],
            )
        except CaseError as error:
            self._refused(request, str(error))
        else:
            self.message_user(request, "The deadline was extended; the offer's history says why.")
        return back


@admin.register(DirectHire)
class DirectHireAdmin(ReadOnlyModelAdmin[DirectHire]):
    """Direct hires; which applicant each is, only for staff who may see applicants (the
    direct-hire permission alone shows positions and kinds, never an applicant id)."""

    list_filter = ["kind", "position__site__neighbourhood"]
    search_fields = ["applicant__applicant_id", "position__position_id", "position__site__name"]
    list_select_related = ["applicant", "position"]

    def _may_see_applicants(self, request: HttpRequest) -> bool:
        return request.user.has_perm("youthjobs.view_applicant")

    def get_list_display(self, request: HttpRequest) -> tuple[str, ...]:
        if self._may_see_applicants(request):
            return ("applicant", "position", "kind")
        return ("position", "kind")

    def get_list_display_links(
        self, request: HttpRequest, list_display: Sequence[str | Callable[[Any], str | bool]]
    ) -> tuple[str | Callable[[Any], str | bool]]:
        return (list_display[0],)

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        if self._may_see_applicants(request):
            return self.search_fields
        return ["position__position_id", "position__site__name"]

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        if self._may_see_applicants(request):
            return ("applicant", "position", "kind")
        return ("position", "kind")


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
class MatchRunAdmin(admin.ModelAdmin[MatchRun]):
    """Staff start runs here (a form, then a worker solves it), watch their progress,
    compare two, approve one and download its placements."""

    list_display = [
        "__str__",
        "season",
        "round",
        "mechanism",
        "seed",
        "decision",
        "progress",
        "placed",
        "total_score",
        "approved_at",
    ]
    list_filter = [WaitingForApprovalFilter, "season", "round", "mechanism", "status"]
    actions = ["compare_runs"]
    readonly_fields = [
        "season",
        "round",
        "mechanism",
        "seed",
        "parameters_shown",
        "input_checksum",
        "status",
        "progress",
        "message",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "timings_shown",
        "approved_at",
        "approved_by",
    ]
    exclude = ["summary", "parameters", "timings"]
    change_form_template = "admin/youthjobs/matchrun/change_form.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[MatchRun]:
        return super().get_queryset(request).annotate(superseded_by_id=superseding_run_pk())

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Runs are deleted one by one from their page, where the admin says whether one can be.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Runs are read-only records; approving is its own permissioned button.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # An approved run's offers are the programme's record, and a run still working would
        # write its proposals after the delete: only a finished, unapproved run can go.
        if obj is not None and (not isinstance(obj, MatchRun) or obj.approved_at or not obj.is_finished):
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(
        self, objs: Any, request: HttpRequest
    ) -> tuple[list[Any], dict[str, int], set[str], list[Any]]:
        # A run's proposals go with it (no offer was made): list them as one line, not one per youth.
        runs = list(objs)
        proposals = Placement.objects.filter(run__in=runs).count()
        described = [f"{run} and its {proposals} proposed placements" for run in runs]
        return described, {"match runs": len(runs), "proposed placements": proposals}, set(), []

    @admin.display(description="decision")
    def decision(self, run: MatchRun) -> str:
        if run.is_what_if:
            return "What-if (never approved)"
        if run.approved_at:
            return "Approved"
        if getattr(run, "superseded_by_id", None):
            return "Superseded"
        if run.status == MatchRun.Status.FINISHED:
            return "Waiting for approval"
        return run.get_status_display()

    @admin.display(description="placed")
    def placed(self, run: MatchRun) -> Any:
        return run.summary.get("overall", {}).get("placed", "—")

    @admin.display(description="total score")
    def total_score(self, run: MatchRun) -> Any:
        return run.summary.get("overall", {}).get("total_score", "—")

    @admin.display(description="parameters")
    def parameters_shown(self, run: MatchRun) -> str:
        return _labelled_rows(run_parameters_shown(run), table_id="run-parameters")

    @admin.display(description="timings")
    def timings_shown(self, run: MatchRun) -> str:
        return _labelled_rows(run_timings_shown(run), table_id="run-timings") or "—"

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
                    started_by=signed_in_user(request),
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

    def _can_approve(self, request: HttpRequest, run: MatchRun, superseded_by: MatchRun | None) -> bool:
        return (
            not run.is_what_if
            and run.status == MatchRun.Status.FINISHED
            and run.approved_at is None
            and superseded_by is None
            and request.user.has_perm("youthjobs.approve_matchrun")
        )

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        run = get_object_or_404(MatchRun.objects.select_related("season", "approved_by"), pk=object_id)
        superseded_by = round_approved_run(run)
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
            "superseded_by": superseded_by,
            "what_if": what_if_described(run) if run.is_what_if else "",
            "can_approve": self._can_approve(request, run, superseded_by),
            "can_export": request.user.has_perm("youthjobs.view_applicant"),
            "refresh": not run.is_finished,
        }
        return super().change_view(request, object_id, form_url, extra)

    def approve_view(self, request: HttpRequest, run_id: int) -> HttpResponse:
        if request.method != "POST":
            return redirect("admin:youthjobs_matchrun_change", run_id)
        if not request.user.has_perm("youthjobs.approve_matchrun"):
            raise PermissionDenied
        run = get_object_or_404(MatchRun, pk=run_id)
        try:
            offered = match_run_approve(run=run, approved_by=signed_in_user(request))
        except PlacementError as error:
            self.message_user(request, f"{run} was not approved: {error}. Nothing was changed.", level=messages.ERROR)
        else:
            self.message_user(request, f"{run} approved: {offered} offers made; the messages are being sent.")
        return redirect("admin:youthjobs_matchrun_change", run_id)

    def placements_csv_view(self, request: HttpRequest, run_id: int) -> HttpResponse:
        if not request.user.has_perms(["youthjobs.view_matchrun", "youthjobs.view_applicant"]):
            raise PermissionDenied
        run = get_object_or_404(MatchRun, pk=run_id)
        personal_data_view_record(
            viewer=request.user, instance=run, why="downloaded its placements with the youths' names"
        )
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
        approvable = [
            run
            for run in (comparison.first, comparison.second)
            if self._can_approve(request, run, round_approved_run(run))
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": f"{comparison.first} and {comparison.second}",
            "comparison": comparison,
            "approvable": approvable,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/youthjobs/matchrun/compare.html", context)


def _labelled_rows(rows: list[tuple[str, Any]], *, table_id: str) -> str:
    """(label, value) rows as a small two-column table of the admin's read-only fields."""
    if not rows:
        return ""
    body = format_html_join("", '<tr><th scope="row">{}</th><td>{}</td></tr>', rows)
    return format_html('<table id="{}" class="labelled-fields"><tbody>{}</tbody></table>', table_id, body)


class PlacementEventInline(ReadOnlyInline[PlacementEvent]):
    model = PlacementEvent
    fields = readonly_fields = ("changed_at", "from_state", "to_state", "from_position", "changed_by", "reason")

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # The history belongs to the placement: whoever may see the placement sees it.
        return request.user.has_perm("youthjobs.view_placement")


class PositionWithSeatsChoice(forms.ModelChoiceField[PositionWithSeats]):
    def label_from_instance(self, position: PositionWithSeats) -> str:
        seats = f"{position.seats_left} seat{'s' if position.seats_left > 1 else ''} left"
        return f"{position.site.name}: {position.title} ({position.position_id}), {seats}"


class PlacementOverrideForm(forms.Form):
    """Withdraw or otherwise move a placement on, or move it to a position with a seat left.
    Validated by the server (no browser-side `required`), so a missing reason gets the
    page's own message."""

    use_required_attribute = False

    to_state = forms.ChoiceField(label="Change its state to", required=False)
    position = PositionWithSeatsChoice(
        label="Or move it to the position",
        # The positions with a seat left for the placement's run, set by __init__.
        queryset=cast("QuerySet[PositionWithSeats]", Position.objects.none()),
        required=False,
        help_text="Only positions of the season with a seat left.",
        error_messages={"invalid_choice": "That position has no seat left any more: choose another one."},
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the placement's history.",
        error_messages={"required": "Say why the placement changes: the reason is kept in its history."},
    )

    def __init__(self, *args: Any, placement: Placement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = sorted(PLACEMENT_TRANSITIONS[placement.state])
        cast(forms.ChoiceField, self.fields["to_state"]).choices = [("", "—")] + [
            (state, PlacementState(state).label) for state in allowed
        ]
        cast(PositionWithSeatsChoice, self.fields["position"]).queryset = positions_with_seats_left(
            run=placement.run
        ).exclude(pk=placement.position_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.has_error("position"):
            return data  # its own message says what is wrong with the choice
        if bool(data.get("to_state")) == bool(data.get("position")):
            raise forms.ValidationError("Choose either a new state or a new position.")
        return data


class PlacementSiteFilter(admin.SimpleListFilter):
    """Sites that have placements in the runs shown, by name."""

    title = "site"
    parameter_name = "site"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]) -> list[tuple[str, str]]:
        sites = Site.objects.filter(positions__placements__isnull=False).distinct().order_by("name")
        return [(str(site.pk), site.name) for site in sites]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(position__site=self.value()) if self.value() else queryset


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin[Placement]):
    """Staff review: filter by state, site and neighbourhood; override with a reason."""

    list_display = ["applicant", "position", "site_name", "state_now", "score", "explanation", "run"]
    # Placements across match runs, for analysis: the applicant by id only, no contact details.
    actions = [
        csv_export_action(
            file_name="placements",
            description="Export the selected placements as CSV",
            columns=[
                ("run", "run_id"),
                ("season", "run__season__year"),
                ("round", "run__round"),
                ("applicant_id", "applicant__applicant_id"),
                ("position_id", "position__position_id"),
                ("state", "state"),
                ("is_direct_hire", "is_direct_hire"),
                ("commute_minutes", "commute_minutes"),
                ("interest_rank", "interest_rank"),
                ("score", "score"),
                ("state_changed_at", "state_changed_at"),
            ],
        )
    ]
    list_filter = [
        "state",
        OfferExpiringFilter,
        "run",
        PlacementSiteFilter,
        "applicant__neighbourhood",
        "is_direct_hire",
    ]
    search_fields = ["applicant__applicant_id", "position__position_id", "position__site__name"]
    list_select_related = ["applicant", "position__site", "run"]
    inlines = [PlacementEventInline]
    readonly_fields = [
        "run",
        "applicant",
        "position",
        "state_now",
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

    @admin.display(description="state", ordering="state")
    def state_now(self, placement: Placement) -> str:
        return placement.shown_state

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
        can_override = request.user.has_perm("youthjobs.change_placement")
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "can_override": can_override}
        )

    def override_view(self, request: HttpRequest, placement_id: int) -> HttpResponse:
        """Change a placement's state or position with a reason (kept in its history)."""
        if not request.user.has_perm("youthjobs.change_placement"):
            raise PermissionDenied
        placement = get_object_or_404(
            Placement.objects.select_related("position__site", "applicant", "run"), pk=placement_id
        )
        form = PlacementOverrideForm(request.POST or None, placement=placement)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if data["position"]:
                    placement_override(
                        placement=placement,
                        position=data["position"],
                        by=signed_in_user(request),
                        reason=data["reason"],
                    )
                else:
                    placement_transition(
                        placement=placement,
                        to_state=data["to_state"],
                        by=signed_in_user(request),
                        reason=data["reason"],
                    )
            except PlacementError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, "The placement was changed; its history says why.")
                return redirect("admin:youthjobs_placement_change", placement.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Change the placement {placement}",
            "placement": placement,
            "override_form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/youthjobs/placement/override.html", context)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Fields are never edited directly: changes go through the override form.
        return False
