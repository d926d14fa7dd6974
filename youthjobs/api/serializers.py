"""What the Boston summer jobs API says of positions, applicants, placements, match runs and
programme figures."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from youthjobs import selectors
from youthjobs.models import Applicant, MatchRun, Placement, Position, Site
from youthjobs.services import RunParameters


class SiteSerializer(serializers.ModelSerializer[Site]):
    class Meta:
        model = Site
        fields = ["site_id", "name", "address", "neighbourhood", "latitude", "longitude", "is_synthetic"]


class PositionSerializer(serializers.ModelSerializer[Position]):
    season = serializers.CharField(source="season.year")
    site = SiteSerializer()

    class Meta:
        model = Position
        fields = [
            "position_id",
            "season",
            "title",
            "category",
            "seats",
            "minimum_age",
            "hours_per_week",
            "starts_on",
            "ends_on",
            "is_synthetic",
            "site",
        ]


class ApplicantSerializer(serializers.ModelSerializer[Applicant]):
    """Personal data: only for tokens holding `youthjobs.view_applicant`."""

    season = serializers.CharField(source="season.year")
    interests = serializers.ListField(source="ranked_interests", child=serializers.CharField())
    eligible = serializers.SerializerMethodField()
    ineligibility_reasons = serializers.SerializerMethodField()

    class Meta:
        model = Applicant
        fields = [
            "applicant_id",
            "season",
            "first_name",
            "last_name",
            "date_of_birth",
            "gender",
            "email",
            "phone",
            "home_zip",
            "neighbourhood",
            "has_transit_pass",
            "has_work_permit",
            "interests",
            "eligible",
            "ineligibility_reasons",
            "is_synthetic",
        ]

    def get_eligible(self, applicant: Applicant) -> bool | None:
        eligibility = getattr(applicant, "eligibility", None)
        return None if eligibility is None else eligibility.eligible

    def get_ineligibility_reasons(self, applicant: Applicant) -> list[str]:
        eligibility = getattr(applicant, "eligibility", None)
        return [] if eligibility is None else list(eligibility.reasons)


class PlacementSerializer(serializers.ModelSerializer[Placement]):
    """A run's placement with its explained score; for tokens holding `youthjobs.view_placement`."""

    run = serializers.IntegerField(source="run_id")
    applicant_id = serializers.CharField(source="applicant.applicant_id")
    position_id = serializers.CharField(source="position.position_id")
    site_id = serializers.CharField(source="position.site.site_id")

    class Meta:
        model = Placement
        fields = [
            "run",
            "applicant_id",
            "position_id",
            "site_id",
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
        ]


class GroupFiguresSerializer(serializers.Serializer[dict[str, Any]]):
    """One group's figures; a count under 10 reads "fewer than 10" and its rates are null."""

    group = serializers.CharField()
    youth = serializers.JSONField(required=False)
    placed = serializers.JSONField()
    placement_rate = serializers.FloatField(allow_null=True, required=False)


class ProgrammeFiguresSerializer(serializers.Serializer[dict[str, Any]]):
    season = serializers.CharField(source="season.year")
    applicants = serializers.IntegerField()
    eligible = serializers.IntegerField()
    placed = serializers.IntegerField()
    placement_rate = serializers.FloatField()
    seats = serializers.IntegerField()
    completion_rate = serializers.FloatField(allow_null=True)
    by_neighbourhood = GroupFiguresSerializer(many=True)
    by_age_band = GroupFiguresSerializer(many=True)
    by_category = GroupFiguresSerializer(many=True)
    commute = GroupFiguresSerializer(many=True)


class SeasonGroupSerializer(serializers.Serializer[dict[str, Any]]):
    """A neighbourhood's, age band's or gender's figures in a season; a count under 10 reads
    "fewer than 10" and what derives from it is null."""

    group = serializers.CharField()
    youth = serializers.JSONField()
    placed = serializers.JSONField()
    placement_rate = serializers.FloatField(allow_null=True)
    seats = serializers.IntegerField(required=False, allow_null=True)
    seats_per_applicant = serializers.FloatField(required=False, allow_null=True)


class SeasonCategorySerializer(serializers.Serializer[dict[str, Any]]):
    group = serializers.CharField()
    seats = serializers.IntegerField()
    first_choices = serializers.JSONField()
    placed = serializers.JSONField(allow_null=True)


class SeasonReturningSerializer(serializers.Serializer[dict[str, Any]]):
    """Youth who applied in an earlier season too, and how they progressed since."""

    returning = serializers.JSONField()
    returning_placed = serializers.JSONField()
    placed_both_seasons = serializers.JSONField()
    same_employer = serializers.JSONField()
    different_category = serializers.JSONField()
    completed_again = serializers.JSONField()


class SeasonFiguresSerializer(serializers.Serializer[dict[str, Any]]):
    """One season's public figures; placement figures are null until a run is approved."""

    season = serializers.CharField()
    matched = serializers.BooleanField(help_text="Whether a match run of the season was approved.")
    applicants = serializers.IntegerField()
    eligible = serializers.IntegerField()
    positions = serializers.IntegerField()
    sites = serializers.IntegerField()
    seats = serializers.IntegerField()
    placed = serializers.IntegerField(allow_null=True)
    placement_rate = serializers.FloatField(allow_null=True)
    completed = serializers.JSONField(allow_null=True)
    completion_rate = serializers.FloatField(allow_null=True)
    mean_commute_minutes = serializers.FloatField(allow_null=True)
    by_neighbourhood = SeasonGroupSerializer(many=True)
    by_age_band = SeasonGroupSerializer(many=True)
    by_gender = SeasonGroupSerializer(many=True)
    categories = SeasonCategorySerializer(many=True)
    commute = GroupFiguresSerializer(many=True)
    returning = SeasonReturningSerializer(allow_null=True)


class CommuteParametersSerializer(serializers.Serializer[dict[str, Any]]):
    """How a run estimated commutes (`youthjobs.commute.CommuteParameters`)."""

    max_minutes = serializers.FloatField(help_text="Pairs with a longer estimated commute were not candidates.")
    walking_speed_kmh = serializers.FloatField()
    transit_speed_kmh = serializers.FloatField()
    transit_wait_minutes = serializers.FloatField()
    walk_detour_factor = serializers.FloatField()
    transit_detour_factor = serializers.FloatField()
    max_walk_to_stop_m = serializers.FloatField(help_text="A home or job farther from every stop has no transit.")


class ScoreWeightsSerializer(serializers.Serializer[dict[str, Any]]):
    """How a run scored a youth-position pair (`youthjobs.scoring.ScoreWeights`)."""

    travel_weight = serializers.FloatField()
    interest_weight = serializers.FloatField()
    first_choice_points = serializers.FloatField()
    second_choice_points = serializers.FloatField()
    third_choice_points = serializers.FloatField()
    other_interest_points = serializers.FloatField()
    not_listed_points = serializers.FloatField()


class RunParametersSerializer(serializers.Serializer[dict[str, Any]]):
    commute = CommuteParametersSerializer()
    weights = ScoreWeightsSerializer()
    candidates_per_youth = serializers.IntegerField(
        help_text="How many of each youth's best-scoring positions the run considered; 0: all of them."
    )


class WhatIfSerializer(serializers.Serializer[dict[str, Any]]):
    """What a what-if run changed in an approved run's problem."""

    of_run = serializers.IntegerField(help_text="The approved run whose problem it re-solved.")
    max_minutes = serializers.FloatField(allow_null=True, help_text="The longer maximum commute; null if unchanged.")
    extra_seats = serializers.DictField(child=serializers.IntegerField(), help_text="Seats added, by job category.")


class RunGroupFiguresSerializer(serializers.Serializer[dict[str, Any]]):
    """A neighbourhood's, age band's or gender's figures in a run; a count under 10 reads
    "fewer than 10" and every figure derived from the group's counts is null."""

    group = serializers.CharField()
    youth = serializers.JSONField(help_text='A whole number, or "fewer than 10".')
    placed = serializers.JSONField(help_text='A whole number, or "fewer than 10".')
    placement_rate = serializers.FloatField(allow_null=True)
    mean_score = serializers.FloatField(allow_null=True)
    mean_commute_minutes = serializers.FloatField(allow_null=True)
    median_commute_minutes = serializers.FloatField(allow_null=True, required=False)
    p90_commute_minutes = serializers.FloatField(allow_null=True)


class MatchRunFiguresSerializer(serializers.Serializer[dict[str, Any]]):
    """A finished run's figures, computed once when it finished. Commutes and scores are of
    the youth it placed; direct hires count as placed and are left out of the score."""

    youth_considered = serializers.IntegerField(help_text="Eligible youth without a seat whom the run tried to place.")
    eligible = serializers.IntegerField(
        allow_null=True, help_text="Eligible youth of the season when the run started; null for older runs."
    )
    direct_hires = serializers.IntegerField(help_text="Direct hires carried into the run (round 1), placed first.")
    direct_hires_not_placed = serializers.IntegerField()
    seats = serializers.IntegerField(help_text="Seats the run had to offer, direct hires' included.")
    seats_filled = serializers.IntegerField()
    placed = serializers.IntegerField(help_text="Youth placed, direct hires included.")
    unplaced = serializers.IntegerField()
    placement_rate = serializers.FloatField(allow_null=True, help_text="Share of the youth considered placed, 0 to 1.")
    mean_commute_minutes = serializers.FloatField(allow_null=True)
    median_commute_minutes = serializers.FloatField(allow_null=True, help_text="Null for older runs.")
    p90_commute_minutes = serializers.FloatField(allow_null=True)
    total_score = serializers.FloatField()
    mean_score = serializers.FloatField()
    candidate_pairs = serializers.IntegerField(help_text="Youth-position pairs within the maximum commute.")
    blocking_pairs = serializers.IntegerField(help_text="Pairs who would both rather be together: 0 when stable.")
    greedy_placed = serializers.IntegerField(
        allow_null=True, help_text="Youth the former greedy lottery places in the same problem; null for older runs."
    )
    greedy_total_score = serializers.FloatField(allow_null=True)
    placed_over_greedy = serializers.IntegerField(allow_null=True)
    total_score_over_greedy = serializers.FloatField(allow_null=True)
    by_neighbourhood = RunGroupFiguresSerializer(many=True)
    by_age_band = RunGroupFiguresSerializer(many=True)
    by_gender = RunGroupFiguresSerializer(many=True)


class MatchRunSerializer(serializers.ModelSerializer[MatchRun]):
    """A match run: its mechanism and every parameter it ran with, its state and its figures;
    aggregates only: no youth, no placement, no staff member is named."""

    season = serializers.CharField(source="season.year")
    parameters = serializers.SerializerMethodField()
    what_if = serializers.SerializerMethodField()
    approved = serializers.SerializerMethodField()
    superseded_by = serializers.IntegerField(
        source="superseded_by_id",
        allow_null=True,
        help_text="The approved run of the same season and round, when it is another run: this one cannot be.",
    )
    figures = serializers.SerializerMethodField()

    class Meta:
        model = MatchRun
        fields = [
            "id",
            "season",
            "round",
            "mechanism",
            "parameters",
            "seed",
            "input_checksum",
            "what_if",
            "status",
            "message",
            "created_at",
            "started_at",
            "finished_at",
            "approved",
            "approved_at",
            "superseded_by",
            "figures",
        ]

    @extend_schema_field(RunParametersSerializer)
    def get_parameters(self, run: MatchRun) -> dict[str, Any]:
        # Every parameter the run ran with: one stored before a parameter existed ran with its default.
        return RunParametersSerializer(RunParameters.from_json(run.parameters).as_json()).data

    @extend_schema_field(WhatIfSerializer(allow_null=True))
    def get_what_if(self, run: MatchRun) -> dict[str, Any] | None:
        return WhatIfSerializer(run.what_if).data if run.is_what_if else None

    def get_approved(self, run: MatchRun) -> bool:
        return run.approved_at is not None

    @extend_schema_field(MatchRunFiguresSerializer(allow_null=True))
    def get_figures(self, run: MatchRun) -> dict[str, Any] | None:
        figures = selectors.match_run_figures_published(run)
        return None if figures is None else MatchRunFiguresSerializer(figures).data
