"""How the OpenAPI schema documents what every API view shares: who may call it and the
error answers the shared machinery gives (authentication, permissions, filters, pages,
throttling). Deriving them from each view's configuration keeps the schema exact for
every endpoint, including later apps', without an annotation on each."""

from __future__ import annotations

from typing import Any, Literal

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent, force_instance
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer
from rest_framework.permissions import SAFE_METHODS

from cities.api.csv import CSVRenderer
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

# How a partner gets a token, in the schema's security scheme.
PARTNER_TOKENS = (
    "A partner's program sends `Authorization: Token <key>`. Keys are made by the portal's staff "
    "in the admin (API tokens, Add) for a partner's account in the 'Partners (API reads)' role, "
    "with the permissions its work needs; the key is shown once, "
    "only its digest is kept, and it may expire. Reads of public data need no token; lists of "
    "people (citations, applicants, placements) and uploads do. Write to the address in "
    "/data.json's contactPoint to ask for one."
)

ERROR_COMPONENTS = {"Error": ERROR_SCHEMA, "ValidationError": VALIDATION_ERROR_SCHEMA}

WRITE_METHODS = ("POST", "PUT", "PATCH")

# What django-filter's fields refuse besides what their type says: a NUL character in text
# (PostgreSQL can store none), and numbers above 1e50.
TEXT_WITHOUT_NUL = "^[^\\x00]*$"
LARGEST_NUMBER_FILTERED = 1e50


CSV_BODY = {
    "type": "string",
    "description": "A header row with the JSON rows' field names, then one line per matching row: "
    "every row, not a page. Null is an empty cell; a nested object's fields have columns of their own "
    "(`site.name`); a list is joined with '; ', a list of objects by each object's first field.",
}


class PortalAutoSchema(AutoSchema):
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
    # this one sees every operation's documented answers, whatever decided them.
    def _get_response_bodies(self, direction: Literal["request", "response"] = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for status_code, description in self._error_responses().items():
            if str(status_code) in responses:
                continue
            schema = self._component("ValidationError" if status_code == 400 else "Error")
            responses[str(status_code)] = self._get_response_for_code(
                OpenApiResponse(response=schema, description=description), str(status_code), direction=direction
            )
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
        return {"type": "apiKey", "in": "header", "name": "Authorization", "description": PARTNER_TOKENS}
