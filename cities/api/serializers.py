"""What the core's API shows, and what it accepts when a partner offers a file.

Other rows are named by their slug (a grant's `city` is "boston"): the slug is what the
filters and the detail addresses take, so a partner can follow it without an extra lookup.
Amounts are decimal strings in US dollars ("200000.00"), exact to the cent.
"""

from __future__ import annotations

from typing import Any

from django_stubs_ext import WithAnnotations
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cities.ingestion import IngestionError, registered_schemas, schema_for
from cities.models import City, Dataset, Grant, IngestionRun, Organization, Partnership
from cities.selectors import LatestRuns


class CitySerializer(serializers.ModelSerializer[City]):
    grant_total = serializers.DecimalField(
        max_digits=None, decimal_places=2, read_only=True, help_text="Sum of the city's grants, in US dollars."
    )
    grant_count = serializers.IntegerField(read_only=True, help_text="Number of grants the city received.")

    class Meta:
        model = City
        fields = ["slug", "name", "state", "role", "focus", "description", "grant_total", "grant_count"]


class OrganizationSerializer(serializers.ModelSerializer[Organization]):
    home_city: serializers.SlugRelatedField[City] = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="Slug of the home city; null for national organisations.",
    )

    class Meta:
        model = Organization
        fields = ["slug", "name", "kind", "home_city", "website", "description"]


class PartnershipUrlField(serializers.HyperlinkedIdentityField):
    """A partnership's address by its natural id, the city's and the organisation's slugs."""

    def get_url(self, obj: Any, view_name: str, request: Any, format: str | None) -> str:
        kwargs = {"city": obj.city.slug, "organization": obj.organization.slug}
        url: str = self.reverse(view_name, kwargs=kwargs, request=request, format=format)
        return url


class PartnershipSerializer(serializers.ModelSerializer[Partnership]):
    url = PartnershipUrlField(
        view_name="partnership-detail", help_text="The partnership's address: /partnerships/{city}/{organization}/."
    )
    organization: serializers.SlugRelatedField[Organization] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    city: serializers.SlugRelatedField[City] = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Partnership
        fields = ["url", "organization", "city", "role", "contribution"]


class GrantSerializer(serializers.ModelSerializer[Grant]):
    funder: serializers.SlugRelatedField[Organization] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="Slug of the funder."
    )
    city: serializers.SlugRelatedField[City] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="Slug of the city."
    )

    class Meta:
        model = Grant
        fields = ["reference", "funder", "city", "amount", "purpose", "starts_on", "ends_on"]


class IngestionRunSummarySerializer(serializers.ModelSerializer[IngestionRun]):
    class Meta:
        model = IngestionRun
        fields = [
            "id",
            "status",
            "created_at",
            "finished_at",
            "rows_read",
            "rows_created",
            "rows_updated",
            "rows_unchanged",
            "rows_rejected",
            "error_count",
            "file_checksum",
        ]


class FileColumnSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField()
    kind = serializers.CharField(help_text="text, integer, decimal, a date with its format, a reference or choices.")
    # A declared field named like a Field attribute: DRF's metaclass moves it into `fields`.
    required = serializers.BooleanField()  # type: ignore[assignment]
    key = serializers.BooleanField(help_text="Part of the natural key rows are matched by.")


class DatasetSerializer(serializers.ModelSerializer[Dataset]):
    city: serializers.SlugRelatedField[City] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text="Null for the collaborative's own datasets."
    )
    publisher: serializers.SlugRelatedField[Organization] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    file_columns = serializers.SerializerMethodField(
        help_text="The columns a file offered to this dataset must have; null when it is only catalogued."
    )
    latest_run = serializers.SerializerMethodField(
        help_text="The dataset's most recent ingestion run, if any, whatever its outcome: a failed "
        "upload is no version (see current_version)."
    )
    current_version = serializers.SerializerMethodField(
        help_text="The version the dataset's records are at: its last successful ingestion run (id, time, "
        "checksum); null before the first."
    )

    class Meta:
        model = Dataset
        fields = [
            "slug",
            "title",
            "city",
            "publisher",
            "description",
            "source",
            "source_url",
            "licence",
            "update_frequency",
            "contains_personal_data",
            "schema",
            "file_columns",
            "latest_run",
            "current_version",
        ]

    @extend_schema_field(FileColumnSerializer(many=True, allow_null=True))
    def get_file_columns(self, dataset: Dataset) -> list[dict[str, Any]] | None:
        schema = registered_schemas().get(dataset.schema)
        if schema is None:
            return None
        # documentation() words its flags for people ("yes", ""); the API says true or false.
        return [
            {**column, "required": column["required"] == "yes", "key": column["key"] == "yes"}
            for column in schema.documentation()
        ]

    @extend_schema_field(IngestionRunSummarySerializer(allow_null=True))
    def get_latest_run(self, dataset: WithAnnotations[Dataset, LatestRuns]) -> dict[str, Any] | None:
        # `latest_runs` is prefetched by the selector: one query for the whole page.
        if not dataset.latest_runs:
            return None
        return IngestionRunSummarySerializer(dataset.latest_runs[0]).data

    @extend_schema_field(IngestionRunSummarySerializer(allow_null=True))
    def get_current_version(self, dataset: WithAnnotations[Dataset, LatestRuns]) -> dict[str, Any] | None:
        # `current_versions` is prefetched by the selector, like `latest_runs`.
        if not dataset.current_versions:
            return None
        return IngestionRunSummarySerializer(dataset.current_versions[0]).data


class RowErrorSerializer(serializers.Serializer[dict[str, Any]]):
    row = serializers.IntegerField(allow_null=True, help_text="Row number in the file, the header being row 1.")
    column = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class IngestionRunSerializer(serializers.ModelSerializer[IngestionRun]):
    """A run as anyone may see it: never the stored file's path nor who offered it."""

    dataset: serializers.SlugRelatedField[Dataset] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    # A declared field named like a Serializer attribute: DRF's metaclass moves it into `fields`.
    errors = RowErrorSerializer(many=True, read_only=True, help_text="The first errors found, in row order.")  # type: ignore[assignment]

    class Meta:
        model = IngestionRun
        fields = [
            *IngestionRunSummarySerializer.Meta.fields,
            "dataset",
            "file_name",
            "file_checksum",
            "file_size",
            "started_at",
            "errors",
        ]


class IngestionRunCreateInputSerializer(serializers.Serializer[dict[str, Any]]):
    dataset: serializers.SlugRelatedField[Dataset] = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Dataset.objects.all(),
        help_text="Slug of the dataset the file is offered to; it must have an ingestion schema.",
        error_messages={"does_not_exist": "No dataset has the slug {value}.", "invalid": "Not a dataset slug."},
    )
    file = serializers.FileField(help_text="A CSV file in UTF-8 with the dataset's columns.")

    def validate_dataset(self, dataset: Dataset) -> Dataset:
        try:
            schema_for(dataset)
        except IngestionError as error:
            raise serializers.ValidationError(str(error)) from None
        return dataset
