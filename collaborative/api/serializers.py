"""What the collaborative's API shows. Organisations and cities are named by slug, as in the core's API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cities.models import City, Dataset, Organization
from collaborative.impact import CityImpact
from collaborative.markdown import markdown_render
from collaborative.models import ActionItem, EcosystemMember, Lesson, Meeting, Relationship
from collaborative.selectors import EcosystemMap


class EcosystemMemberSerializer(serializers.ModelSerializer[EcosystemMember]):
    city: serializers.SlugRelatedField[City] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organization: serializers.SlugRelatedField[Organization] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    kind = serializers.CharField(source="organization.kind", read_only=True, help_text="The organisation's kind.")
    contributions = serializers.SerializerMethodField(help_text="What the organisation brings to the city's ecosystem.")

    class Meta:
        model = EcosystemMember
        fields = ["id", "city", "organization", "kind", "contributions", "source"]

    def get_contributions(self, member: EcosystemMember) -> list[str]:
        return [choice.value for choice in member.contributions]


class RelationshipSerializer(serializers.ModelSerializer[Relationship]):
    city: serializers.SlugRelatedField[City] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    source_organization: serializers.SlugRelatedField[Organization] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    target_organization: serializers.SlugRelatedField[Organization] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Relationship
        fields = ["id", "city", "source_organization", "kind", "target_organization", "since", "until", "source"]


class NodeFiguresSerializer(serializers.Serializer[dict[str, Any]]):
    organization = serializers.CharField(source="key", help_text="Slug of the organisation.")
    name = serializers.CharField()
    kind = serializers.CharField()
    degree = serializers.IntegerField(help_text="Number of organisations it is tied to, either way.")
    betweenness = serializers.FloatField(help_text="Normalised betweenness centrality, 0 to 1: how much it brokers.")


class TieSerializer(serializers.Serializer[dict[str, Any]]):
    source_organization = serializers.CharField(source="source")
    kind = serializers.CharField()
    target_organization = serializers.CharField(source="target")
    since = serializers.DateField(allow_null=True)
    until = serializers.DateField(allow_null=True)


class ChangeSerializer(serializers.Serializer[dict[str, Any]]):
    since = serializers.DateField()
    ties_added = TieSerializer(many=True)
    ties_ended = TieSerializer(many=True)


class NetworkFiguresSerializer(serializers.Serializer[dict[str, Any]]):
    organization_count = serializers.IntegerField()
    tie_count = serializers.IntegerField(help_text="Pairs of organisations tied today, either way, counted once.")
    density = serializers.FloatField()
    organizations = NodeFiguresSerializer(source="nodes", many=True, help_text="Most central first.")
    brokers = serializers.ListField(child=serializers.CharField(), help_text="Slugs with a betweenness above 0.")
    isolates = serializers.ListField(child=serializers.CharField())
    missing_kinds = serializers.ListField(child=serializers.CharField())
    unconnected_kind_pairs = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    clusters = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    change = ChangeSerializer(allow_null=True, help_text="Only when `since` is given.")

    def to_representation(self, instance):  # type: ignore[no-untyped-def]
        data = super().to_representation(instance)
        data["brokers"] = [node.key for node in instance.brokers]
        return data


class EcosystemSummarySerializer(serializers.Serializer[EcosystemMap]):
    city = serializers.CharField(source="city.slug")
    name = serializers.CharField(source="city.name")
    organization_count = serializers.IntegerField(source="figures.organization_count")
    tie_count = serializers.IntegerField(source="figures.tie_count")
    density = serializers.FloatField(source="figures.density")


class EcosystemSerializer(EcosystemSummarySerializer):
    figures = NetworkFiguresSerializer()


class EcosystemQuerySerializer(serializers.Serializer[dict[str, Any]]):
    since = serializers.DateField(required=False, help_text="Also list the ties that began or ended since this date.")
    on = serializers.DateField(required=False, help_text="The map as it stood on this date (today by default).")


class ImpactFigureSerializer(serializers.Serializer[dict[str, Any]]):
    key = serializers.CharField()
    # A declared field named like a Field attribute: DRF's metaclass moves it into `fields`.
    label = serializers.CharField()  # type: ignore[assignment]
    value = serializers.CharField(
        source="shown", help_text='The figure as text; a count of fewer than 10 people reads "fewer than 10".'
    )


class CityImpactSerializer(serializers.Serializer[CityImpact]):
    city = serializers.CharField(source="city.slug")
    name = serializers.CharField(source="city.name")
    role = serializers.CharField(source="city.role")
    grant_total = serializers.DecimalField(max_digits=None, decimal_places=2, help_text="US dollars.")
    grant_count = serializers.IntegerField()
    app = serializers.CharField(source="app_name", allow_null=True)
    figures = ImpactFigureSerializer(many=True)


class ActionItemSerializer(serializers.ModelSerializer[ActionItem]):
    owner: serializers.SlugRelatedField[Organization] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="Slug of the owner organisation."
    )

    class Meta:
        model = ActionItem
        fields = ["id", "meeting", "description", "owner", "due_on", "status"]


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    cities: serializers.SlugRelatedField[City] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    organizations: serializers.SlugRelatedField[Organization] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    topics = serializers.ListField(source="topic_list", child=serializers.CharField(), read_only=True)
    resources = serializers.ListField(source="resource_list", child=serializers.CharField(), read_only=True)
    action_items = ActionItemSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "location",
            "cities",
            "organizations",
            "topics",
            "resources",
            "is_example",
            "action_items",
        ]


class MeetingWithNotesSerializer(MeetingSerializer):
    """For clients allowed to read the notes (`collaborative.view_meeting_notes`)."""

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "notes"]


class LessonSerializer(serializers.ModelSerializer[Lesson]):
    cities: serializers.SlugRelatedField[City] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    datasets: serializers.SlugRelatedField[Dataset] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    body_html = serializers.SerializerMethodField(help_text="The Markdown body as sanitised HTML.")
    figures_cited = serializers.ListField(source="figure_list", child=serializers.CharField(), read_only=True)

    class Meta:
        model = Lesson
        fields = [
            "slug",
            "title",
            "summary",
            "theme",
            "app_label",
            "cities",
            "datasets",
            "figures_cited",
            "published_on",
            "is_example",
            "body",
            "body_html",
        ]

    def get_body_html(self, lesson: Lesson) -> str:
        return markdown_render(lesson.body)
