"""The core's API: read-only lists and details for everyone, and one write, a partner
offering a file to a dataset. Rows come from `cities.selectors`, files go to the ingestion
machinery; errors become JSON in `cities.api.exceptions`."""

from __future__ import annotations

import functools

from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.generators import EndpointEnumerator
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from cities import selectors
from cities.api import examples
from cities.api.filters import (
    CityFilter,
    DatasetFilter,
    GrantFilter,
    IngestionRunFilter,
    OrganizationFilter,
    PartnershipFilter,
)
from cities.api.schema import read_examples
from cities.api.serializers import (
    CitySerializer,
    DatasetSerializer,
    GrantSerializer,
    IngestionRunCreateInputSerializer,
    IngestionRunSerializer,
    OrganizationSerializer,
    PartnershipSerializer,
)
from cities.api.viewsets import ReadOnlyModelViewSet
from cities.models import City, Dataset, Grant, IngestionRun, Organization, Partnership
from cities.permissions import may_upload_to
from cities.services import ingestion_run_offer

API_PREFIX = "/api/v1/"


@read_examples(examples.CITY)
class CityViewSet(ReadOnlyModelViewSet[City]):
    """The collaborative's cities, each with the total and number of grants it received."""

    serializer_class = CitySerializer
    filterset_class = CityFilter
    lookup_field = "slug"
    lookup_value_converter = "slug"
    ordering_fields = ["name", "state", "role", "grant_total", "grant_count"]
    ordering = ["role", "name"]

    def get_queryset(self) -> QuerySet[City]:
        return selectors.city_list()


@read_examples(examples.ORGANIZATION)
class OrganizationViewSet(ReadOnlyModelViewSet[Organization]):
    """The organisations that fund, run or support the cities' work."""

    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    lookup_field = "slug"
    lookup_value_converter = "slug"
    ordering_fields = ["name", "kind"]
    ordering = ["name"]

    def get_queryset(self) -> QuerySet[Organization]:
        return selectors.organization_list()


@read_examples(examples.PARTNERSHIP)
class PartnershipViewSet(ReadOnlyModelViewSet[Partnership]):
    """Which organisation works with which city, and in what role. A partnership is found by
    its natural id, the city's and the organisation's slugs (one per organisation and city):
    `/api/v1/partnerships/boston/living-cities/`."""

    serializer_class = PartnershipSerializer
    filterset_class = PartnershipFilter
    ordering_fields = ["role"]
    ordering = ["city__name", "organization__name"]

    def get_queryset(self) -> QuerySet[Partnership]:
        return selectors.partnership_list()

    def get_object(self) -> Partnership:
        # Through the filter backends, as DRF's own lookup: an unknown query parameter is refused.
        partnership = get_object_or_404(
            self.filter_queryset(self.get_queryset()),
            city__slug=self.kwargs["city"],
            organization__slug=self.kwargs["organization"],
        )
        self.check_object_permissions(self.request, partnership)
        return partnership


@read_examples(examples.GRANT)
class GrantViewSet(ReadOnlyModelViewSet[Grant]):
    """Grants to the cities; amounts are decimal strings in US dollars."""

    serializer_class = GrantSerializer
    filterset_class = GrantFilter
    # The funder's reference, not the database's id: it stays when the grants are loaded again.
    lookup_field = "reference"
    lookup_value_converter = "slug"
    ordering_fields = ["amount", "starts_on", "ends_on", "reference"]
    ordering = ["city__name", "starts_on"]

    def get_queryset(self) -> QuerySet[Grant]:
        return selectors.grant_list()


@read_examples(examples.DATASET)
class DatasetViewSet(ReadOnlyModelViewSet[Dataset]):
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


@read_examples(examples.INGESTION_RUN)
class IngestionRunViewSet(ReadOnlyModelViewSet[IngestionRun]):
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
        examples=[examples.INGESTION_RUN_OFFER, examples.INGESTION_RUN],
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


@functools.cache
def api_resources() -> dict[str, dict[str, str]]:
    """Every resource of every app under `/api/v1/`: {app: {resource: path}}, read from the
    URLconf (what DRF's routers and the apps' `urls.py` registered), so no app lists itself
    twice. A resource is an address answering GET without a path parameter."""
    found: dict[str, dict[str, str]] = {}
    for path, _, method, _callback in EndpointEnumerator().get_api_endpoints():
        if method != "GET" or not path.startswith(API_PREFIX) or "{" in path or path == API_PREFIX:
            continue
        parts = path.removeprefix(API_PREFIX).strip("/").split("/")
        app, resource = (parts[0], "/".join(parts[1:])) if len(parts) > 1 else ("cities", parts[0])
        found.setdefault(app, {})[resource] = path
    return {app: dict(sorted(resources.items())) for app, resources in sorted(found.items())}


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
def api_root(request: Request) -> Response:
    """`/api/v1/`: every app's resources with their addresses, the schema and the catalogue."""
    return Response(
        {
            "resources": {
                app: {name: request.build_absolute_uri(path) for name, path in resources.items()}
                for app, resources in api_resources().items()
            },
            "schema": request.build_absolute_uri(reverse("api-schema")),
            "documentation": request.build_absolute_uri(reverse("api-docs")),
            "catalogue": request.build_absolute_uri(reverse("cities:data-json")),
        }
    )
