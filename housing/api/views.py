"""The DC housing API: read-only lists of the Preservation Catalog and the market indicators,
each in JSON or CSV (as every list), a project's detail, and the expiry timeline. Rows come from
`housing.selectors`; projects are filtered by the dashboard's own `ProjectFilter`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from cities.api.filters import KnownQueryParametersFilter, StrictOrderingFilter
from cities.api.schema import read_examples
from cities.api.viewsets import GenericViewSet, ListViewSet, ReadOnlyModelViewSet
from cities.permissions import ViewRequiresModelPermission
from housing import selectors
from housing.api import examples
from housing.api.filters import (
    InspectionFilter,
    MarketIndicatorFilter,
    OwnerFilter,
    ProjectFilterBackend,
    SubsidyFilter,
)
from housing.api.serializers import (
    RISK_REFRESH_CONTEXT,
    ExpiryTimelineQuerySerializer,
    ExpiryYearSerializer,
    InspectionSerializer,
    MarketIndicatorSerializer,
    OwnerSerializer,
    ProjectDetailSerializer,
    ProjectSerializer,
    RiskAssessmentSerializer,
    SubsidySerializer,
)
from housing.models import InspectionScore, MarketIndicator, Owner, Project, RiskAssessment, RiskRefresh, Subsidy


class CountedPerDataVersion:
    """DC's rows are written only by the ingestion and the risk refresh, which both start a new
    version of the housing data: a list's count holds until then (`cities.api.pagination`)."""

    count_cached_by_data_version = "housing"


@extend_schema_view(
    list=extend_schema(examples=[examples.PROJECT]), retrieve=extend_schema(examples=[examples.PROJECT_DETAIL])
)
class ProjectViewSet(CountedPerDataVersion, ReadOnlyModelViewSet[Project]):
    """Subsidised rental projects of the DC Preservation Catalog with their current
    preservation risk, filtered as on the DC dashboard. A project's detail adds its
    subsidies, inspections, parcels, property events and every risk flag with its evidence."""

    filter_backends = [ProjectFilterBackend, StrictOrderingFilter, KnownQueryParametersFilter]
    lookup_field = "nlihc_id"
    lookup_value_converter = "slug"
    ordering_fields = ["nlihc_id", "name", "ward", "cluster_code", "units_total", "affordability_ends_on"]
    ordering = ["nlihc_id"]

    def get_queryset(self) -> QuerySet[Project]:
        return selectors.project_detail_list() if self.action == "retrieve" else selectors.project_list()

    def get_serializer_class(self) -> type[ProjectSerializer]:
        return ProjectDetailSerializer if self.action == "retrieve" else ProjectSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        if self.action == "retrieve":
            context[RISK_REFRESH_CONTEXT] = RiskRefresh.objects.latest_finished()
        return context


@read_examples(examples.OWNER)
class OwnerViewSet(CountedPerDataVersion, ListViewSet[Owner]):
    """Owners of the subsidised projects as HUD records them, with their projects. Only for
    tokens with the housing.view_owner permission: HUD's "Individual" owners are people."""

    serializer_class = OwnerSerializer
    permission_classes = [ViewRequiresModelPermission]
    filterset_class = OwnerFilter
    ordering_fields = ["name", "project_count", "assisted_units"]
    ordering = ["name"]

    def get_queryset(self) -> QuerySet[Owner]:
        return selectors.owner_list()


@read_examples(examples.SUBSIDY)
class SubsidyViewSet(CountedPerDataVersion, ListViewSet[Subsidy]):
    """Every subsidy of every project, active or not, with its period of affordability."""

    serializer_class = SubsidySerializer
    filterset_class = SubsidyFilter
    ordering_fields = ["poa_end", "poa_start", "program", "portfolio", "units_assisted"]
    ordering = ["project__nlihc_id", "subsidy_id"]

    def get_queryset(self) -> QuerySet[Subsidy]:
        return selectors.subsidy_list()


@read_examples(examples.INSPECTION)
class InspectionViewSet(CountedPerDataVersion, ListViewSet[InspectionScore]):
    """HUD physical inspection (REAC) scores of the projects."""

    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
    ordering_fields = ["inspected_on", "score"]
    ordering = ["project__nlihc_id", "-inspected_on"]

    def get_queryset(self) -> QuerySet[InspectionScore]:
        return selectors.inspection_list()


@read_examples(examples.RISK_ASSESSMENT)
class RiskAssessmentViewSet(CountedPerDataVersion, ListViewSet[RiskAssessment]):
    """Each project's current preservation risk: its level, what it was before and when it
    changed, and every flag with the rule and the evidence behind it. Filtered by the
    dashboard's project filters, `risk_level` among them."""

    serializer_class = RiskAssessmentSerializer
    filter_backends = [ProjectFilterBackend, StrictOrderingFilter, KnownQueryParametersFilter]
    ordering_fields = ["level_changed_at", "affordability_ends_on", "assessed_at"]
    ordering = ["project__nlihc_id"]

    def get_queryset(self) -> QuerySet[RiskAssessment]:
        return selectors.risk_assessment_list()

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), RISK_REFRESH_CONTEXT: RiskRefresh.objects.latest_finished()}


@read_examples(examples.MARKET_INDICATOR)
class MarketIndicatorViewSet(CountedPerDataVersion, ListViewSet[MarketIndicator]):
    """NeighborhoodInfo DC's housing market indicators by ward, cluster and census tract.
    A figure the source withheld keeps its mark (`s` suppressed, `i` insufficient) and has
    no value: it is never 0."""

    serializer_class = MarketIndicatorSerializer
    filterset_class = MarketIndicatorFilter
    ordering_fields = ["geography_code", "indicator", "year", "value"]
    ordering = ["geography_type", "geography_code", "indicator", "year"]

    def get_queryset(self) -> QuerySet[MarketIndicator]:
        return MarketIndicator.objects.all()


class ExpiryTimelineViewSet(GenericViewSet[Project]):
    """How many projects, and how many assisted units, lose their affordability in each of the
    coming years: one row per calendar year, zeros included. A project counts once, in the
    year its last active subsidy ends. Every project filter of the dashboard applies."""

    # Its rows are years, not projects: drf-stubs expect a list's serializer to match its queryset.
    serializer_class = ExpiryYearSerializer  # type: ignore[assignment]
    filter_backends = [ProjectFilterBackend, KnownQueryParametersFilter]
    extra_query_parameters = tuple(ExpiryTimelineQuerySerializer().fields)
    pagination_class = None

    def get_queryset(self) -> QuerySet[Project]:
        return Project.objects.all()

    @extend_schema(parameters=[ExpiryTimelineQuerySerializer], examples=[examples.EXPIRY_YEAR])
    def list(self, request: Request) -> Response:
        # A plain dict: DRF reads an empty form value as an absent one, and would answer
        # `?as_of=` with today's timeline instead of refusing it.
        window = ExpiryTimelineQuerySerializer(data=request.query_params.dict())
        window.is_valid(raise_exception=True)
        projects = self.filter_queryset(self.get_queryset())
        timeline = selectors.expiry_timeline_for(projects, **window.validated_data)
        return Response(self.get_serializer(timeline, many=True).data)
