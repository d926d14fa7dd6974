"""How the OpenAPI schema documents what every API view shares: who may call it and the
error answers the shared machinery gives (authentication, permissions, filters, pages,
throttling). Deriving them from each view's configuration keeps the schema exact for
every endpoint, including later apps', without an annotation on each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent, force_instance, get_view_model
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework.exceptions import ParseError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings

from cities.api.csv import CSVRenderer
from cities.api.filters import known_query_parameters
from cities.permissions import ReadOnlyUnlessModelPermission

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What went wrong, in a sentence."}},
    "required": ["detail"],
}

VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Each refused parameter or field with its reasons; `detail` when the request as a whole "
    "was refused (an unreadable upload, a dataset that takes no files).",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}

ERROR_COMPONENTS = {"Error": ERROR_SCHEMA, "ValidationError": VALIDATION_ERROR_SCHEMA}

# The shared machinery's own words for these errors (DRF's authentication, permissions,
# parsers and throttles); 400 and 404 depend on the operation (`PortalAutoSchema._error_example`).
ERROR_EXAMPLES = {
    401: ("A token that is not valid", "Invalid token."),
    403: ("Not allowed", "You do not have permission to perform this action."),
    415: ("Another media type", 'Unsupported media type "application/json" in request.'),
    429: ("Too many requests", "Request was throttled. Expected available in 42 seconds."),
}

WRITE_METHODS = ("POST", "PUT", "PATCH")

# The tag of the core's resources (the `cities` app): cities, partners, grants, datasets.
CORE_TAG = "core"

# What django-filter's fields refuse besides what their type says: a NUL character in text
# (PostgreSQL can store none), and numbers above 1e50.
TEXT_WITHOUT_NUL = "^[^\\x00]*$"
LARGEST_NUMBER_FILTERED = 1e50


ViewT = TypeVar("ViewT", bound=Callable[..., Any])


def read_examples(*examples: OpenApiExample) -> Callable[[ViewT], ViewT]:
    """A viewset's examples of a row, on its list and its detail, whichever it offers: a
    list's example is one row, which drf-spectacular puts in the page shape."""

    def decorate(view: ViewT) -> ViewT:
        reads = {
            action: extend_schema(examples=list(examples)) for action in ("list", "retrieve") if hasattr(view, action)
        }
        return extend_schema_view(**reads)(view)

    return decorate


CSV_BODY = {
    "type": "string",
    "description": "A header row with the JSON rows' field names, then one line per matching row: "
    "every row, not a page. Null is an empty cell; a nested object's fields have columns of their own "
    "(`site.name`); a list is joined with '; ', a list of objects by each object's first field.",
}


class PortalAutoSchema(AutoSchema):
    def get_tags(self) -> list[str]:
        # One tag per app, described in SPECTACULAR_SETTINGS["TAGS"]: the docs group each
        # app's resources under it.
        app_label = self.view.__module__.split(".")[0]
        return [CORE_TAG if app_label == "cities" else app_label]

    def get_override_parameters(self) -> list[Any]:
        parameters = super().get_override_parameters()
        formats = self.map_renderers("format")
        if CSVRenderer.format not in formats:
            return parameters
        choice = OpenApiParameter(
            name="format",
            enum=formats,
            description="The answer's format, as the Accept header can also choose it; JSON by default. "
            "CSV answers every matching row at once, streamed: `page` and `page_size` do not apply to it.",
        )
        return [*parameters, choice]

    def get_auth(self) -> list[dict[str, Any]]:
        auths = super().get_auth()
        if self._reads_are_public() and {} not in auths:
            auths.append({})
        return auths

    def _reads_are_public(self) -> bool:
        permissions = self.view.get_permissions()
        return self.method in SAFE_METHODS and all(
            isinstance(permission, ReadOnlyUnlessModelPermission) for permission in permissions
        )

    # Private in drf-spectacular, which marks a body required only when one serializer has
    # required fields: a body that is one of several serializers, each with required fields
    # (the ticket lookup), is required as well.
    def _get_request_for_media_type(self, serializer: Any, direction: str = "request") -> tuple[Any, bool]:
        schema, required = super()._get_request_for_media_type(serializer, direction)  # type: ignore[no-untyped-call]
        if isinstance(serializer, PolymorphicProxySerializer):
            variants = serializer.serializers
            variants = list(variants.values()) if isinstance(variants, dict) else list(variants)
            required = all(any(field.required for field in force_instance(v).fields.values()) for v in variants)
        return schema, required

    # Private in drf-spectacular, but the one place that sees every filter parameter of
    # every backend, whichever FilterSet declared it.
    def _get_filter_parameters(self) -> list[dict[str, Any]]:
        # drf-spectacular leaves this private method unannotated.
        parameters: list[dict[str, Any]] = super()._get_filter_parameters()  # type: ignore[no-untyped-call]
        for parameter in parameters:
            schema = parameter.get("schema", {})
            if schema.get("type") == "string" and not {"enum", "format", "pattern"} & schema.keys():
                schema["pattern"] = TEXT_WITHOUT_NUL
            elif schema.get("type") in ("number", "integer"):
                schema.setdefault("maximum", LARGEST_NUMBER_FILTERED)
        return parameters

    def _error_responses(self) -> dict[int, str]:
        is_list = self._is_list_view() and self.method == "GET"
        errors: dict[int, str] = {}
        if self.method in WRITE_METHODS:
            errors[400] = "Malformed or refused fields, each named in the answer; nothing was stored."
        elif self.method == "GET":
            # Every read refuses a query parameter it does not know (`cities.api.filters`).
            errors[400] = "An unknown or malformed query parameter, named in the answer."
        if self.view.get_authenticators():
            errors[401] = "Credentials were given but are not valid, or are needed and missing."
        if not self._reads_are_public():
            errors[403] = "The credentials do not allow this."
        if "{" in self.path:
            errors[404] = "No such object."
        elif is_list and self._get_paginator():
            errors[404] = "A page past the last one."
        if self.method in WRITE_METHODS:
            errors[415] = "The request body is not in a media type this operation reads."
        if self.view.get_throttles():
            errors[429] = "Too many requests; the Retry-After header says when to try again."
        return errors

    # drf-spectacular offers no public hook that also applies under @extend_schema(responses=...):
    # this one sees every operation's documented answers, whatever decided them. An error a
    # view declared by its description alone gets the shared body too.
    def _get_response_bodies(self, direction: Literal["request", "response"] = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        declared = {
            int(code): response["description"]
            for code, response in responses.items()
            if code.isdigit() and int(code) >= 400 and "content" not in response
        }
        for status_code, description in {**self._error_responses(), **declared}.items():
            if str(status_code) in responses and status_code not in declared:
                continue
            schema = self._component("ValidationError" if status_code == 400 else "Error")
            example = self._error_example(status_code)
            answer = OpenApiResponse(response=schema, description=description, examples=[example] if example else [])
            responses[str(status_code)] = self._get_response_for_code(answer, str(status_code), direction=direction)
        # A list's CSV body is text, and its errors are JSON only (`cities.api.csv`).
        for code, response in responses.items():
            content = response.get("content", {})
            if CSVRenderer.media_type not in content:
                continue
            if code.startswith("2"):
                content[CSVRenderer.media_type] = {"schema": CSV_BODY}
            else:
                del content[CSVRenderer.media_type]
        return responses

    def _error_example(self, status_code: int) -> OpenApiExample | None:
        """What the shared machinery answers for this error, as this operation would say it."""
        if status_code == 400:
            return OpenApiExample(
                "A refused field" if self.method in WRITE_METHODS else "An unknown parameter", value=self._refusal()
            )
        if status_code == 404:
            model = get_view_model(self.view, emit_warnings=False)
            if "{" in self.path and model is not None:
                detail = f"No {model._meta.object_name} matches the given query."
            else:
                paginated = self.method == "GET" and self._is_list_view() and self._get_paginator()
                detail = "Invalid page." if paginated else "Not found."
            return OpenApiExample("Not found", value={"detail": detail})
        example = ERROR_EXAMPLES.get(status_code)
        return OpenApiExample(example[0], value={"detail": example[1]}) if example else None

    def _refusal(self) -> dict[str, Any]:
        """A 400 body: a write's first required field missing, or a read's unknown parameter."""
        if self.method in WRITE_METHODS:
            serializer = force_instance(self.get_request_serializer())
            # A body of several kinds first needs its kind (the ticket lookup's `kind`).
            field = getattr(serializer, "resource_type_field_name", None) or next(
                (name for name, value in getattr(serializer, "fields", {}).items() if value.required), None
            )
            return {field: ["This field is required."]} if field else {"detail": ParseError.default_detail}
        listed = ", ".join(sorted(self._query_parameters_taken())) or "none"
        return {"colour": [f"Unknown query parameter; this address takes: {listed}."]}

    def _query_parameters_taken(self) -> set[str]:
        # A generic view's filter backends refuse what `known_query_parameters` does not name,
        # on its details too; any other view names what it takes, which it documents, and
        # `format`, which every view takes (`cities.api.filters.unknown_query_parameters_refuse`).
        if isinstance(self.view, GenericAPIView):
            return known_query_parameters(self.view.request, self.view.get_queryset(), self.view)
        documented = {parameter["name"] for parameter in self._get_parameters() if parameter["in"] == "query"}
        return documented | {api_settings.URL_FORMAT_OVERRIDE} if api_settings.URL_FORMAT_OVERRIDE else documented

    def _component(self, name: str) -> dict[str, str]:
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=ERROR_COMPONENTS[name]
        )
        self.registry.register_on_missing(component)
        return component.ref


class PartnerTokenScheme(OpenApiAuthenticationExtension):
    """`cities.tokens.ApiTokenAuthentication` in the schema, saying how a partner gets a key."""

    target_class = "cities.tokens.ApiTokenAuthentication"
    name = "tokenAuth"
    # Above drf-spectacular's own scheme for TokenAuthentication and its subclasses.
    priority = 1

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {"type": "apiKey", "in": "header", "name": "Authorization", "description": settings.API_PARTNER_TOKENS}
