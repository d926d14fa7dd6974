"""The core's API: read-only lists and details for everyone, and one write, a partner
offering a file to a dataset. Rows come from `cities.selectors`, files go to the ingestion
machinery; errors become JSON in `cities.api.exceptions`."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cities import selectors
from cities.api.filters import (
    CityFilter,
    DatasetFilter,
    GrantFilter,
    IngestionRunFilter,
    OrganizationFilter,
    PartnershipFilter,
)
from cities.api.serializers import (
    CitySerializer,
    DatasetSerializer,
    GrantSerializer,
    IngestionRunCreateInputSerializer,
    IngestionRunSerializer,
    OrganizationSerializer,
    PartnershipSerializer,
)
from cities.models import City, Dataset, Grant, IngestionRun, Organization, Partnership
from cities.permissions import may_upload_to
from cities.services import ingestion_run_offer


class CityViewSet(viewsets.ReadOnlyModelViewSet[City]):
    """The collaborative's cities, each with the total and number of grants it received."""

    serializer_class = CitySerializer
    filterset_class = CityFilter
    lookup_field = "slug"
    lookup_value_converter = "slug"
    ordering_fields = ["name", "state", "role", "grant_total", "grant_count"]
    ordering = ["role", "name"]

    def get_queryset(self) -> QuerySet[City]:
        return selectors.city_list()


class OrganizationViewSet(viewsets.ReadOnlyModelViewSet[Organization]):
    """The organisations that fund, run or support the cities' work."""

    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    lookup_field = "slug"
    lookup_value_converter = "slug"
    ordering_fields = ["name", "kind"]
    ordering = ["name"]

    def get_queryset(self) -> QuerySet[Organization]:
        return selectors.organization_list()


class PartnershipViewSet(viewsets.ReadOnlyModelViewSet[Partnership]):
    """Which organisation works with which city, and in what role."""

    serializer_class = PartnershipSerializer
    filterset_class = PartnershipFilter
    lookup_value_converter = "int"
    ordering_fields = ["id", "role"]
    ordering = ["city__name", "organization__name"]

    def get_queryset(self) -> QuerySet[Partnership]:
        return selectors.partnership_list()


class GrantViewSet(viewsets.ReadOnlyModelViewSet[Grant]):
    """Grants to the cities; amounts are decimal strings in US dollars."""

    serializer_class = GrantSerializer
    filterset_class = GrantFilter
    lookup_value_converter = "int"
    ordering_fields = ["amount", "starts_on", "ends_on", "reference"]
    ordering = ["city__name", "starts_on"]

    def get_queryset(self) -> QuerySet[Grant]:
        return selectors.grant_list()


class DatasetViewSet(viewsets.ReadOnlyModelViewSet[Dataset]):
    """The catalogue: every dataset the cities publish, with its provenance, the columns a
    file must have when the portal ingests it, and its latest ingestion run."""

    serializer_class = DatasetSerializer
    filterset_class = DatasetFilter
    lookup_field = "slug"
    lookup_value_converter = "slug"
    ordering_fields = ["title", "slug", "update_frequency"]
    ordering = ["title"]

    def get_queryset(self) -> QuerySet[Dataset]:
        return selectors.dataset_list()


class IngestionRunViewSet(viewsets.ReadOnlyModelViewSet[IngestionRun]):
    """Files offered to datasets and what became of their rows. Row errors name the row and
    column, never a personal value."""

    serializer_class = IngestionRunSerializer
    filterset_class = IngestionRunFilter
    lookup_value_converter = "int"
    parser_classes = [MultiPartParser]
    ordering_fields = ["created_at", "finished_at", "status", "rows_read", "error_count"]
    ordering = ["-created_at"]

    def get_queryset(self) -> QuerySet[IngestionRun]:
        return selectors.ingestion_run_list()

    @extend_schema(
        summary="Offer a file to a dataset",
        description="Needs the `cities.add_ingestionrun` permission and the permission to add the rows "
        "the dataset's files become (e.g. `cities.add_grant`). The file is stored and ingested in the "
        "background: all its rows or none. The answer is the run; follow its `status` at "
        "`/api/v1/ingestion-runs/{id}/`. A refused request (unknown dataset, a dataset that only "
        "catalogues, no file) stores nothing.",
        request=IngestionRunCreateInputSerializer,
        responses={201: IngestionRunSerializer},
    )
    def create(self, request: Request) -> Response:
        offer = IngestionRunCreateInputSerializer(data=request.data)
        offer.is_valid(raise_exception=True)
        if not may_upload_to(request.user, offer.validated_data["dataset"]):
            raise PermissionDenied("You may not offer files to this dataset.")
        upload = offer.validated_data["file"]
        run = ingestion_run_offer(
            dataset=offer.validated_data["dataset"], stream=upload, file_name=upload.name, requested_by=request.user
        )
        # Read back rather than answer the object in hand: where Celery runs tasks eagerly
        # (the embedded mode) the run has finished by now, and the partner sees its outcome.
        run = selectors.ingestion_run_list().get(pk=run.pk)
        return Response(IngestionRunSerializer(run).data, status=status.HTTP_201_CREATED)


# Exempt, or a POST to a wrong address would meet the CSRF check's HTML 403 instead.
@csrf_exempt
def api_not_found(request: HttpRequest, unmatched_path: str) -> JsonResponse:
    """Any other address under the API answers in the API's own error format, not an HTML page."""
    return JsonResponse({"detail": "There is no API endpoint at this address."}, status=status.HTTP_404_NOT_FOUND)
