"""The open data doors: `/data.json` (DCAT-US 1.1), and per dataset its Table Schema, the file
of a version as it was taken in, and its stored records as CSV or GeoJSON.

DRF views, so that partners' tokens authenticate and the API's throttles apply, answering
files rather than serialised data; left out of the OpenAPI schema, which describes the JSON
API (the catalogue describes these). Errors are JSON: an unknown query parameter or a
version that is no number is a 400 naming it, a version that is not (or no longer) one of the
dataset's a 404 listing those that are (`cities.api.exceptions`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import FileResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotAuthenticated, NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request

from cities import open_data
from cities.data_version import DATA_VERSION_HEADER
from cities.ingestion import DatasetSchema
from cities.models import Dataset, IngestionRun

VERSION = "version"


def _only_parameters(request: Request, allowed: Iterable[str]) -> None:
    unknown = sorted(set(request.query_params) - set(allowed))
    if unknown:
        known = ", ".join(allowed) or "none"
        raise ValidationError({name: [f"Unknown query parameter; this address takes: {known}."] for name in unknown})


def _dataset(slug: str) -> Dataset:
    dataset = Dataset.objects.select_related("city", "publisher").filter(slug=slug).first()
    if dataset is None:
        raise NotFound("No dataset has this address.")
    return dataset


def _ingested(dataset: Dataset) -> type[DatasetSchema]:
    schema = open_data.dataset_schema(dataset)
    if schema is None:
        raise NotFound("The portal only catalogues this dataset; its publisher serves the files.")
    return schema


def _version(request: Request, dataset: Dataset) -> IngestionRun:
    requested = request.query_params.get(VERSION)
    if requested is not None and not requested.isdigit():
        raise ValidationError({VERSION: ["A version is the number of an ingestion run, e.g. ?version=12."]})
    run = open_data.dataset_version(dataset, requested)
    if run is None:
        raise NotFound({"detail": "No file of this dataset has been taken in yet.", "versions": []})
    return run


def _stamped(response: HttpResponseBase, dataset: Dataset, run: IngestionRun) -> HttpResponseBase:
    response[DATA_VERSION_HEADER] = f"{dataset.slug}={run.pk}"
    return response


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
def data_json(request: Request) -> JsonResponse:
    """The catalogue of every dataset in DCAT-US 1.1."""
    _only_parameters(request, ())
    return JsonResponse(open_data.catalogue(request.build_absolute_uri("/")), json_dumps_params={"indent": 1})


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
def dataset_table_schema(request: Request, slug: str) -> JsonResponse:
    """The Frictionless Table Schema of the dataset's records."""
    _only_parameters(request, ())
    schema = _ingested(_dataset(slug))
    response = JsonResponse(open_data.table_schema(schema), json_dumps_params={"indent": 1})
    response["Content-Type"] = open_data.TABLE_SCHEMA_MEDIA_TYPE
    return response


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
def dataset_file(request: Request, slug: str) -> FileResponse:
    """The file a version took in, as it was offered; the current version's by default.
    Files of datasets with personal data are not published."""
    _only_parameters(request, (VERSION,))
    dataset = _dataset(slug)
    _ingested(dataset)
    if open_data.access_level(dataset) != open_data.PUBLIC:
        raise PermissionDenied("The files of this dataset hold personal data and are not published.")
    run = _version(request, dataset)
    response = FileResponse(run.file.open("rb"), as_attachment=True, filename=run.file_name)
    _stamped(response, dataset, run)
    return response


def _records_response(request: Request, slug: str, *, geojson: bool) -> StreamingHttpResponse:
    _only_parameters(request, (VERSION,))
    dataset = _dataset(slug)
    schema = _ingested(dataset)
    if geojson and not open_data.is_geographic(schema):
        raise NotFound("This dataset has no geometry; its records download as CSV.")
    if not open_data.may_download_records(request.user, dataset):
        if open_data.access_level(dataset) != open_data.NON_PUBLIC and not request.user.is_authenticated:
            raise NotAuthenticated("This dataset holds personal data: send a token with permission to read it.")
        raise PermissionDenied("This dataset's records are not yours to read.")
    current = _version(request, dataset)
    latest = open_data.dataset_version(dataset)
    if latest is not None and current != latest:
        raise open_data.VersionNotFound(
            str(current.pk),
            [latest.pk],
            f"The portal keeps the records of the current version ({latest.pk}) only; "
            "earlier versions download as the files they took in.",
        )
    if geojson:
        content, media_type, extension = open_data.records_geojson(dataset, schema), "application/geo+json", "geojson"
    else:
        content, media_type, extension = open_data.records_csv(dataset, schema), "text/csv; charset=utf-8", "csv"
    response = StreamingHttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{dataset.slug}-v{current.pk}.{extension}"'
    _stamped(response, dataset, current)
    return response


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
def dataset_records_csv(request: Request, slug: str) -> StreamingHttpResponse:
    """Every stored record of the dataset as CSV, streamed."""
    return _records_response(request, slug, geojson=False)


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
def dataset_records_geojson(request: Request, slug: str) -> StreamingHttpResponse:
    """Every stored record of a geographic dataset as a GeoJSON FeatureCollection, streamed."""
    return _records_response(request, slug, geojson=True)
