"""What the DC housing API shows.

Projects are named by their NLIHC id (`NL000001`), which is also their detail's address
and every list's `project` filter. Fields keep the DC Preservation Catalog's names and
meaning (`poa_end`: the end of a subsidy's period of affordability). Dates are ISO 8601.

Parcel owners and the descriptions of property events may name people: those fields are
only in the answers to a user with `housing.view_parcel` / `housing.view_realpropertyevent`.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cached_property
from typing import Any, ClassVar

from django.utils import timezone
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

from housing.models import (
    InspectionScore,
    MarketIndicator,
    Owner,
    Parcel,
    Project,
    RealPropertyEvent,
    RiskAssessment,
    RiskRefresh,
    Subsidy,
)

MAX_TIMELINE_YEARS = 30
# The serializer context's key for the city's last `RiskRefresh` (or None).
RISK_REFRESH_CONTEXT = "risk_refresh"


class NamedChoiceField(serializers.ChoiceField):
    """A choice whose values the schema documents once, as the component `component`.

    drf-spectacular names an enum after the field: the risk levels, shown as `level`,
    `risk_level` and a flag's `severity`, would be three enums, and a project's `status`
    would collide with an ingestion run's."""

    def __init__(self, *, component: str, **kwargs: Any) -> None:
        self.component = component
        super().__init__(**kwargs)


class NamedChoiceFieldSchema(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField
    match_subclasses = True

    def map_serializer_field(self, auto_schema: AutoSchema, direction: str) -> dict[str, str]:
        field = self.target
        choices = {"type": "string", "enum": list(field.choices)}
        component = ResolvedComponent(
            name=field.component, type=ResolvedComponent.SCHEMA, object=field.component, schema=choices
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


def risk_level_field(field_class: type[NamedChoiceField] = NamedChoiceField, **kwargs: Any) -> NamedChoiceField:
    return field_class(component="RiskLevel", choices=RiskAssessment.Level.choices, **kwargs)


class PreviousRiskLevelField(NamedChoiceField):
    """The stored "" (never changed) is null in the API, as every other absent value is."""

    def to_representation(self, value: Any) -> Any:
        return super().to_representation(value) if value else None


def project_field() -> serializers.SlugRelatedField[Project]:
    return serializers.SlugRelatedField(slug_field="nlihc_id", read_only=True, help_text="The project's NLIHC id.")


class FieldsNeedingPermissionMixin:
    """Leaves out of each answer the fields its user may not see.

    `fields_needing_permission` maps a permission to the fields only it reveals. They are
    left out of the answer rather than out of the serializer's fields, so that the schema,
    whoever generates it, documents them (as optional properties)."""

    fields_needing_permission: ClassVar[dict[str, list[str]]]
    context: dict[str, Any]

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)  # type: ignore[misc]
        for name in self._withheld_fields:
            del data[name]
        return data

    # One serializer renders every row of a list: the user's permissions are read once.
    @cached_property
    def _withheld_fields(self) -> list[str]:
        user = getattr(self.context.get("request"), "user", None)
        return [
            name
            for permission, names in self.fields_needing_permission.items()
            if user is None or not user.has_perm(permission)
            for name in names
        ]


class ParcelSerializer(FieldsNeedingPermissionMixin, serializers.ModelSerializer[Parcel]):
    """A tax parcel of the project. Its owner may be a person: who, and since when, only a
    user with `housing.view_parcel` sees."""

    fields_needing_permission = {"housing.view_parcel": ["owner_name", "owner_since"]}

    class Meta:
        model = Parcel
        fields = ["ssl", "owner_type_code", "owner_name", "owner_since"]
        extra_kwargs = {
            "owner_name": {"help_text": "Only with the housing.view_parcel permission: it may name a person."},
            "owner_since": {"help_text": "Only with the housing.view_parcel permission."},
        }


class PropertyEventSerializer(FieldsNeedingPermissionMixin, serializers.ModelSerializer[RealPropertyEvent]):
    """A sale or foreclosure notice on a parcel of the project. Its description may name a
    buyer: it, and the parcel, only a user with `housing.view_realpropertyevent` sees."""

    fields_needing_permission = {"housing.view_realpropertyevent": ["ssl", "description"]}

    class Meta:
        model = RealPropertyEvent
        fields = ["event_date", "event_type", "ssl", "description"]
        # Not required: absent from the answers to everyone else.
        extra_kwargs = {
            "ssl": {"required": False, "help_text": "Only with the housing.view_realpropertyevent permission."},
            "description": {
                "required": False,
                "help_text": "Only with the housing.view_realpropertyevent permission: it may name a buyer.",
            },
        }


class RiskEvidenceSerializer(serializers.Serializer[dict[str, Any]]):
    record = serializers.CharField(help_text="The record the rule read, e.g. a subsidy and its end.")
    # The evidence's own key. DRF's metaclass takes declared fields off the class, so this
    # never stands for the Field attribute of the same name that the stubs see.
    source = serializers.CharField(  # type: ignore[assignment]
        allow_null=True, help_text="The dataset the record comes from."
    )
    source_date = serializers.DateField(allow_null=True, help_text="The day the portal last ingested that dataset.")


class RiskFlagSerializer(serializers.Serializer[dict[str, Any]]):
    # First, so that CSV, which shows a list of objects by their first field, shows codes.
    code = serializers.CharField(help_text="The rule's name, e.g. expiry_near.")
    label = serializers.CharField()  # type: ignore[assignment]  # as `source` above
    rule = serializers.CharField(help_text="The rule in words, with its thresholds.")
    severity = risk_level_field(help_text="The level this flag alone would give.")
    evidence = RiskEvidenceSerializer()


class ProjectRiskAssessmentSerializer(serializers.ModelSerializer[RiskAssessment]):
    level = risk_level_field(read_only=True)
    previous_level = risk_level_field(
        PreviousRiskLevelField,
        read_only=True,
        allow_null=True,
        help_text="The level before the last change; null until the level first changes.",
    )
    flags = RiskFlagSerializer(
        many=True, read_only=True, help_text="Every rule the project meets, in the order of the rules."
    )
    # The city's last refresh, which the view puts in the context (one query per answer).
    checked_as_of = serializers.SerializerMethodField(
        help_text="The day the rules counted from at the city's last risk refresh, which found this"
        " assessment still holding (`as_of` and `assessed_at` say since when it holds)."
    )
    checked_at = serializers.SerializerMethodField(help_text="When the city's last risk refresh finished.")

    class Meta:
        model = RiskAssessment
        fields = [
            "level",
            "checked_as_of",
            "checked_at",
            "as_of",
            "assessed_at",
            "previous_level",
            "level_changed_at",
            "affordability_ends_on",
            "assisted_units_at_risk",
            "flags",
        ]

    def get_checked_as_of(self, assessment: RiskAssessment) -> date | None:
        refresh: RiskRefresh | None = self.context.get(RISK_REFRESH_CONTEXT)
        return refresh.as_of if refresh else None

    def get_checked_at(self, assessment: RiskAssessment) -> datetime | None:
        refresh: RiskRefresh | None = self.context.get(RISK_REFRESH_CONTEXT)
        return refresh.finished_at if refresh else None


class RiskAssessmentSerializer(ProjectRiskAssessmentSerializer):
    project = project_field()
    project_name = serializers.CharField(source="project.name", read_only=True)

    class Meta(ProjectRiskAssessmentSerializer.Meta):
        fields = ["project", "project_name", *ProjectRiskAssessmentSerializer.Meta.fields]


class ProjectSubsidySerializer(serializers.ModelSerializer[Subsidy]):
    class Meta:
        model = Subsidy
        fields = [
            "subsidy_id",
            "program",
            "portfolio",
            "agency",
            "active",
            "units_assisted",
            "poa_start",
            "poa_end",
            "poa_start_orig",
            "poa_end_prev",
            "poa_end_actual",
            "compl_end",
            "contract_number",
            "rent_to_fmr_description",
            "info_source",
            "info_source_date",
            "source_updated_on",
        ]


class SubsidySerializer(ProjectSubsidySerializer):
    project = project_field()

    class Meta(ProjectSubsidySerializer.Meta):
        fields = ["project", *ProjectSubsidySerializer.Meta.fields]


class ProjectInspectionSerializer(serializers.ModelSerializer[InspectionScore]):
    class Meta:
        model = InspectionScore
        fields = ["inspected_on", "score", "letter", "smoke_detector_deficiency", "raw_score"]


class InspectionSerializer(ProjectInspectionSerializer):
    project = project_field()

    class Meta(ProjectInspectionSerializer.Meta):
        fields = ["project", *ProjectInspectionSerializer.Meta.fields]


class ProjectSerializer(serializers.ModelSerializer[Project]):
    """A project with its current risk level and affordability end, both null until the
    project is first assessed."""

    status = NamedChoiceField(
        component="ProjectStatus", choices=Project.Status.choices, read_only=True, help_text="As in the Catalog."
    )
    risk_level = risk_level_field(
        source="risk_assessment.level",
        read_only=True,
        allow_null=True,
        help_text="The current preservation risk level.",
    )
    affordability_ends_on = serializers.DateField(
        source="risk_assessment.affordability_ends_on",
        read_only=True,
        allow_null=True,
        help_text="The last known end among the project's active subsidies.",
    )
    assisted_units_at_risk = serializers.IntegerField(
        source="risk_assessment.assisted_units_at_risk",
        read_only=True,
        allow_null=True,
        help_text="The assisted units that end puts at risk.",
    )

    class Meta:
        model = Project
        fields = [
            "nlihc_id",
            "name",
            "address",
            "zip_code",
            "ward",
            "anc",
            "census_tract",
            "cluster_code",
            "cluster_name",
            "latitude",
            "longitude",
            "status",
            "category_code",
            "subsidized",
            "units_total",
            "units_assisted_min",
            "units_assisted_max",
            "owner_type",
            "risk_level",
            "affordability_ends_on",
            "assisted_units_at_risk",
            "source_updated_on",
        ]


class ProjectDetailSerializer(ProjectSerializer):
    risk_assessment = ProjectRiskAssessmentSerializer(
        read_only=True, allow_null=True, help_text="The current assessment with every flag's rule and evidence."
    )
    subsidies = ProjectSubsidySerializer(many=True, read_only=True)
    inspections = ProjectInspectionSerializer(
        source="inspection_scores", many=True, read_only=True, help_text="HUD physical inspections, latest first."
    )
    parcels = ParcelSerializer(many=True, read_only=True)
    property_events = PropertyEventSerializer(
        many=True, read_only=True, help_text="Sales and foreclosure notices, latest first."
    )

    class Meta(ProjectSerializer.Meta):
        fields = [
            *ProjectSerializer.Meta.fields,
            "risk_assessment",
            "subsidies",
            "inspections",
            "parcels",
            "property_events",
        ]


class MarketIndicatorSerializer(serializers.ModelSerializer[MarketIndicator]):
    class Meta:
        model = MarketIndicator
        fields = ["geography_type", "geography_code", "indicator", "period", "year", "value", "suppression"]
        extra_kwargs = {
            "value": {"help_text": "A decimal string; null when the figure is suppressed or insufficient."},
            "suppression": {
                "help_text": "Empty when published; s: suppressed, i: insufficient data (and the value is null)."
            },
        }


class ExpiryYearSerializer(serializers.Serializer[dict[str, Any]]):
    year = serializers.IntegerField()
    projects = serializers.IntegerField(help_text="Projects whose affordability ends this year.")
    assisted_units = serializers.IntegerField(help_text="Their assisted units.")
    projects_without_units = serializers.IntegerField(
        help_text="Counted in `projects` but adding nothing to `assisted_units`: no number of units is recorded."
    )


class ExpiryTimelineQuerySerializer(serializers.Serializer[dict[str, Any]]):
    as_of = serializers.DateField(
        default=timezone.localdate, help_text="The day the timeline starts from (YYYY-MM-DD); today by default."
    )
    years = serializers.IntegerField(
        min_value=1,
        max_value=MAX_TIMELINE_YEARS,
        default=10,
        help_text="How many calendar years, the first being as_of's. The calendar ends with the year 9999.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Dates end with 9999: a window reaching past it stops there.
        last_possible = date.max.year - attrs["as_of"].year + 1
        return {**attrs, "years": min(attrs["years"], last_possible)}


class OwnerSerializer(serializers.ModelSerializer[Owner]):
    projects = serializers.ListField(
        child=serializers.CharField(), source="project_ids", read_only=True, help_text="Its projects' NLIHC ids."
    )
    project_count = serializers.IntegerField(read_only=True)
    assisted_units = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The most units assisted, summed over the owner's projects."
    )

    class Meta:
        model = Owner
        fields = ["name", "owner_type", "project_count", "assisted_units", "projects"]
