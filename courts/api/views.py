"""The St. Louis courts API: courts, municipalities and judges for everyone; find my ticket
as a POST (what was typed never enters a URL), rate-limited like the page; every citation
only to a token allowed to see defendants."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from cities.api.filters import unknown_query_parameters_refuse
from cities.api.schema import read_examples
from cities.api.viewsets import APIView, ReadOnlyModelViewSet
from cities.client_address import client_address
from cities.http import private_response
from courts import dashboard, selectors
from courts.api import examples
from courts.api.filters import CitationFilter
from courts.api.serializers import (
    TICKET_LOOKUP_SERIALIZERS,
    CourtSerializer,
    CourtStatisticsSerializer,
    JudgeSerializer,
    MunicipalitySerializer,
    StaffCitationSerializer,
    TicketSerializer,
    ticket_lookup_serializer,
)
from courts.lookup import LookupRequest, ticket_lookup
from courts.models import Citation, Court, Judge, Municipality

NO_MATCH = "No citation matches all of these details."


@read_examples(examples.COURT)
class CourtViewSet(ReadOnlyModelViewSet[Court]):
    """St. Louis County's municipal courts: contacts, place, payment system, rights page."""

    serializer_class = CourtSerializer
    lookup_field = "slug"
    lookup_value_converter = "slug"
    ordering_fields = ["name", "zip_code"]
    ordering = ["name"]

    def get_queryset(self) -> QuerySet[Court]:
        return Court.objects.prefetch_related(
            Prefetch("municipalities", queryset=Municipality.objects.order_by("name"))
        )


@read_examples(examples.MUNICIPALITY)
class MunicipalityViewSet(ReadOnlyModelViewSet[Municipality]):
    """Municipalities with their ticket payment page and the courts that serve them."""

    serializer_class = MunicipalitySerializer
    lookup_field = "source_id"
    ordering_fields = ["name"]
    ordering = ["name"]

    def get_queryset(self) -> QuerySet[Municipality]:
        return Municipality.objects.prefetch_related(Prefetch("courts", queryset=Court.objects.order_by("name")))


@read_examples(examples.JUDGE)
class JudgeViewSet(ReadOnlyModelViewSet[Judge]):
    """The judges of the municipal courts (public officials)."""

    serializer_class = JudgeSerializer
    lookup_field = "source_id"
    ordering_fields = ["name"]
    ordering = ["court__name", "name"]

    def get_queryset(self) -> QuerySet[Judge]:
        return Judge.objects.select_related("court")


class MaySeeDefendants(BasePermission):
    message = "Citations are shown only to tokens allowed to see defendants' details."

    def has_permission(self, request: Request, view: object) -> bool:
        return bool(request.user and request.user.has_perm("courts.view_defendant_details"))


@read_examples(examples.CITATION)
class CitationViewSet(ReadOnlyModelViewSet[Citation]):
    """Every citation with the person it names, for staff tokens with
    `courts.view_defendant_details` only. Residents use the lookup."""

    serializer_class = StaffCitationSerializer
    permission_classes = [MaySeeDefendants]
    filterset_class = CitationFilter
    lookup_field = "citation_number"
    ordering_fields = ["citation_number", "citation_date"]
    ordering = ["citation_number"]
    # Citations, violations and warrants are written only by the ingestion, which starts a new
    # version of the courts data: a list's count holds until then (`cities.api.pagination`).
    count_cached_by_data_version = "courts"

    def get_queryset(self) -> QuerySet[Citation]:
        return selectors.citation_list_for_staff()

    def finalize_response(self, request: Request, response: Response, *args: object, **kwargs: object) -> Response:
        return super().finalize_response(request, private_response(response), *args, **kwargs)


class TicketLookupView(APIView):
    """Find my ticket: the citations that match everything given (citation number, or licence
    number and state, or last name and municipality; always the date of birth), with their
    violations, warrants, court date, court and guidance. Nothing matching is 404, the same
    answer whatever was wrong. More than the allowed searches per client is 429."""

    authentication_classes: list[type] = []
    permission_classes: list[type] = []

    @extend_schema(
        request=PolymorphicProxySerializer(
            component_name="TicketLookup",
            serializers=dict(TICKET_LOOKUP_SERIALIZERS.items()),
            resource_type_field_name="kind",
        ),
        responses={
            200: TicketSerializer(many=True),
            400: OpenApiResponse(description="A field is missing or malformed."),
            404: OpenApiResponse(description=NO_MATCH),
            429: OpenApiResponse(description="Too many searches; Retry-After says when to try again."),
        },
        examples=[
            examples.LOOKUP_BY_CITATION,
            examples.LOOKUP_BY_LICENCE,
            examples.LOOKUP_BY_NAME,
            examples.TICKET,
        ],
    )
    def post(self, request: Request) -> Response:
        search = ticket_lookup_serializer(request.data)
        search.is_valid(raise_exception=True)
        outcome = ticket_lookup(request=LookupRequest(**search.validated_data), client=client_address(request))
        if outcome.refused is not None:
            raise Throttled(wait=outcome.refused.retry_after_seconds)
        if not outcome.citations:
            raise NotFound(NO_MATCH)
        tickets = selectors.ticket_results(citations=outcome.citations, today=timezone.localdate())
        # drf-stubs type a serializer's instance as one object even with many=True.
        serialized = TicketSerializer(tickets, many=True)  # type: ignore[arg-type]
        return Response(serialized.data, status=status.HTTP_200_OK)

    def finalize_response(self, request: Request, response: Response, *args: object, **kwargs: object) -> Response:
        return super().finalize_response(request, private_response(response), *args, **kwargs)


class CourtStatisticsView(APIView):
    """Each court's citations, charges, fines, court costs and charges with a warrant, as on
    the public dashboard: a figure resting on fewer than 10 citations is null."""

    pagination_class = None
    answers_a_list = True

    @extend_schema(responses=CourtStatisticsSerializer(many=True), examples=[examples.COURT_STATISTICS])
    def get(self, request: Request) -> Response:
        unknown_query_parameters_refuse(request)
        rows = dashboard.dashboard_cached().courts
        # drf-stubs type a serializer's instance as one object even with many=True.
        return Response(CourtStatisticsSerializer(rows, many=True).data)  # type: ignore[arg-type]
