"""What the Boston summer jobs API says of positions, applicants, placements and programme figures."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from youthjobs.models import Applicant, Placement, Position, Site


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
