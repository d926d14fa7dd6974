"""The collaborative's API: read-only ecosystem maps, their members and ties, and their
network figures. Rows come from `collaborative.selectors`."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from cities.api.filters import unknown_query_parameters_refuse
from cities.api.schema import read_examples
from cities.api.viewsets import ReadOnlyModelViewSet, ViewSet
from cities.models import City
from collaborative import selectors
from collaborative.api import examples
from collaborative.api.filters import (
    ActionItemFilter,
    EcosystemMemberFilter,
    LessonFilter,
    MeetingFilter,
    RelationshipFilter,
)
from collaborative.api.serializers import (
    ActionItemSerializer,
    CityImpactSerializer,
    EcosystemMemberSerializer,
    EcosystemQuerySerializer,
    EcosystemSerializer,
    EcosystemSummarySerializer,
    LessonSerializer,
    MeetingSerializer,
    MeetingWithNotesSerializer,
    RelationshipSerializer,
)
from collaborative.impact import collaborative_impact
from collaborative.learning import action_item_list, meeting_list
from collaborative.lessons import lesson_list
from collaborative.models import ActionItem, EcosystemMember, Lesson, Meeting, Relationship


@read_examples(examples.ECOSYSTEM_MEMBER)
class EcosystemMemberViewSet(ReadOnlyModelViewSet[EcosystemMember]):
    """The organisations on each city's ecosystem map and what each contributes there."""

    serializer_class = EcosystemMemberSerializer
    filterset_class = EcosystemMemberFilter
    lookup_value_converter = "int"
    ordering_fields = ["id"]
    ordering = ["city__name", "organization__name"]

    def get_queryset(self) -> QuerySet[EcosystemMember]:
        return selectors.ecosystem_member_list()


@read_examples(examples.RELATIONSHIP)
class RelationshipViewSet(ReadOnlyModelViewSet[Relationship]):
    """Published ties between organisations (survey answers appear once staff approve them)."""

    serializer_class = RelationshipSerializer
    filterset_class = RelationshipFilter
    lookup_value_converter = "int"
    ordering_fields = ["id", "since", "kind"]
    ordering = ["city__name", "source_organization__name", "kind", "target_organization__name"]

    def get_queryset(self) -> QuerySet[Relationship]:
        return selectors.relationship_list()


class EcosystemViewSet(ViewSet):
    """Each city's ecosystem map in figures: degree and betweenness of every organisation,
    brokers, isolates, missing and unconnected kinds, clusters and, with `since`, changes."""

    lookup_field = "slug"
    lookup_value_converter = "slug"

    @extend_schema(responses=EcosystemSummarySerializer(many=True), examples=[examples.ECOSYSTEM_SUMMARY])
    def list(self, request: Request) -> Response:
        unknown_query_parameters_refuse(request)
        # drf-stubs type a serializer's instance as one object even with many=True.
        maps = EcosystemSummarySerializer(selectors.ecosystem_maps(), many=True)  # type: ignore[arg-type]
        return Response(maps.data)

    @extend_schema(
        parameters=[
            OpenApiParameter("since", OpenApiTypes.DATE, description="Also list the ties that began or ended since."),
            OpenApiParameter(
                "on", OpenApiTypes.DATE, description="The map as it stood on this date (today by default)."
            ),
        ],
        responses={
            200: EcosystemSerializer,
            400: OpenApiResponse(description="A malformed query parameter, named in the answer."),
        },
        examples=[examples.ECOSYSTEM],
    )
    def retrieve(self, request: Request, slug: str) -> Response:
        unknown_query_parameters_refuse(request, taken=EcosystemQuerySerializer().fields)
        query = EcosystemQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            ecosystem_map = selectors.ecosystem_map(
                slug=slug, on=query.validated_data.get("on"), changed_since=query.validated_data.get("since")
            )
        except City.DoesNotExist:
            raise Http404("No city has this slug.") from None
        return Response(EcosystemSerializer(ecosystem_map).data)


class ImpactViewSet(ViewSet):
    """What each city achieved, from its app's own data (current when asked), beside its grants."""

    @extend_schema(responses=CityImpactSerializer(many=True), examples=[examples.CITY_IMPACT])
    def list(self, request: Request) -> Response:
        unknown_query_parameters_refuse(request)
        # drf-stubs type a serializer's instance as one object even with many=True.
        return Response(CityImpactSerializer(collaborative_impact(), many=True).data)  # type: ignore[arg-type]


@read_examples(examples.MEETING)
class MeetingViewSet(ReadOnlyModelViewSet[Meeting]):
    """Peer-learning meetings and coaching sessions with their action items; the notes only
    for clients allowed to read them (`collaborative.view_meeting_notes`)."""

    filterset_class = MeetingFilter
    lookup_value_converter = "int"
    ordering_fields = ["starts_at", "id"]
    ordering = ["-starts_at"]

    def get_serializer_class(self) -> type[MeetingSerializer]:
        if self.request is not None and self.request.user.has_perm("collaborative.view_meeting_notes"):
            return MeetingWithNotesSerializer
        return MeetingSerializer

    def get_queryset(self) -> QuerySet[Meeting]:
        return meeting_list()


@read_examples(examples.ACTION_ITEM)
class ActionItemViewSet(ReadOnlyModelViewSet[ActionItem]):
    """What meetings agreed an organisation would do, by when, and whether it is done."""

    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilter
    lookup_value_converter = "int"
    ordering_fields = ["due_on", "id"]
    ordering = ["due_on", "id"]

    def get_queryset(self) -> QuerySet[ActionItem]:
        return action_item_list()


@read_examples(examples.LESSON)
class LessonViewSet(ReadOnlyModelViewSet[Lesson]):
    """Lessons and case studies, with their Markdown body and its sanitised HTML."""

    serializer_class = LessonSerializer
    filterset_class = LessonFilter
    lookup_field = "slug"
    lookup_value_converter = "slug"
    ordering_fields = ["published_on", "title"]
    ordering = ["-published_on", "title"]

    def get_queryset(self) -> QuerySet[Lesson]:
        return lesson_list()
