"""The OpenAPI schema's examples: every operation shows what it answers (and what it takes,
for the writes), every error has its body, and every example is valid against the very
schema it illustrates, so an example cannot drift from its serializer unnoticed. Then, as a
partner would, a few live answers are checked against the same schemas.

The schema is generated from the running code, so later endpoints are held to this too."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from jsonschema import Draft202012Validator
from rest_framework.test import APIClient

from cities.api.schema import ERROR_EXAMPLES
from courts.tests.factories import CitationFactory, CourtDateFactory, MunicipalityCourtFactory, ViolationFactory
from tests.api_clients import token_client

ERROR_CODES_WITH_EXAMPLES = {"400", "401", "403", "404", "429", *map(str, ERROR_EXAMPLES)}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    # As published: rendered to JSON and read back, lazy texts and all.
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


def operations(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def json_schema(node: Any) -> Any:
    """OpenAPI 3.0's schema dialect as JSON Schema: `nullable` becomes a null alternative.
    `oneOf` is read as `anyOf`: jsonschema checks no `uri` format without a package we do
    not install, so a blank URL ("" or a URL, drf-spectacular's `oneOf`) would match both."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {
        "anyOf" if key == "oneOf" else key: json_schema(value) for key, value in node.items() if key != "nullable"
    }
    if not node.get("nullable"):
        return converted
    if "type" in converted and not {"$ref", "allOf", "oneOf", "anyOf"} & converted.keys():
        converted["type"] = [converted["type"], "null"]
        if "enum" in converted:
            converted["enum"] = [*converted["enum"], None]
        return converted
    return {"anyOf": [converted, {"type": "null"}]}


def validator_for(schema: dict[str, Any], media: dict[str, Any]) -> Draft202012Validator:
    """A validator of one media type's schema, its `#/components/...` references resolved
    against the document's components."""
    document = {**json_schema(media["schema"]), "components": json_schema(schema["components"])}
    return Draft202012Validator(document, format_checker=Draft202012Validator.FORMAT_CHECKER)


def bodies(operation: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each documented body of the operation: its request's and its answers', by media type."""
    for media_type, media in operation.get("requestBody", {}).get("content", {}).items():
        yield f"request {media_type}", media
    for status_code, response in operation["responses"].items():
        for media_type, media in response.get("content", {}).items():
            yield f"{status_code} {media_type}", media


def test_every_operation_has_an_example_of_its_success(schema):
    missing = [
        name
        for name, operation in operations(schema)
        if not any(
            media.get("examples")
            for status_code, response in operation["responses"].items()
            if status_code.startswith("2")
            for media in response.get("content", {}).values()
        )
    ]

    assert missing == [], f"Operations without an example of their successful answer: {missing}"


def test_every_write_has_an_example_of_its_request(schema):
    missing = [
        name
        for name, operation in operations(schema)
        if "requestBody" in operation
        and not any(media.get("examples") for media in operation["requestBody"]["content"].values())
    ]

    assert missing == [], f"Writes without an example of their request: {missing}"


def test_every_error_answer_has_its_body_and_an_example(schema):
    missing = [
        f"{name} {status_code}"
        for name, operation in operations(schema)
        for status_code, response in operation["responses"].items()
        if status_code in ERROR_CODES_WITH_EXAMPLES
        and not any(media.get("examples") for media in response.get("content", {}).values())
    ]

    assert missing == [], f"Error answers without a body and its example: {missing}"


def test_every_example_is_valid_against_its_own_schema(schema):
    invalid = []
    checked = 0
    for name, operation in operations(schema):
        for body, media in bodies(operation):
            examples = media.get("examples", {})
            if not examples:
                continue
            validator = validator_for(schema, media)
            for example_name, example in examples.items():
                checked += 1
                invalid.extend(
                    f"{name} {body} {example_name!r} at {list(error.absolute_path)}: {error.message}"
                    for error in validator.iter_errors(example["value"])
                )

    assert invalid == [], "\n".join(invalid)
    assert checked >= len(list(operations(schema))) * 2


def test_a_wrong_example_would_be_caught(schema):
    # The check above can fail: a partnership missing its natural id, or with a number for
    # its city, is refused.
    media = schema["paths"]["/api/v1/partnerships/{city}/{organization}/"]["get"]["responses"]["200"]
    validator = validator_for(schema, media["content"]["application/json"])
    example = next(iter(media["content"]["application/json"]["examples"].values()))["value"]

    assert validator.is_valid(example)
    assert not validator.is_valid({key: value for key, value in example.items() if key != "url"})
    assert not validator.is_valid({**example, "city": 7})


# ---------------------------------------------------------------- live answers


@pytest.mark.parametrize(
    ("address", "path"),
    [
        ("/api/v1/grants/", "/api/v1/grants/"),
        ("/api/v1/partnerships/boston/living-cities/", "/api/v1/partnerships/{city}/{organization}/"),
        ("/api/v1/courts/courts/", "/api/v1/courts/courts/"),
        ("/api/v1/youthjobs/figures/", "/api/v1/youthjobs/figures/"),
        ("/api/v1/housing/expiry-timeline/", "/api/v1/housing/expiry-timeline/"),
        ("/api/v1/collaborative/ecosystems/boston/", "/api/v1/collaborative/ecosystems/{slug}/"),
    ],
)
def test_the_example_of_an_unknown_parameter_is_the_answer_given(demo_data, resident_api, schema, address, path):
    response = resident_api.get(address, {"colour": "red"})

    assert response.status_code == 400
    examples = schema["paths"][path]["get"]["responses"]["400"]["content"]["application/json"]["examples"]
    assert [example["value"] for example in examples.values()] == [response.json()]


@pytest.fixture
def court_records(db) -> None:
    """A clearly synthetic ticket, as the demo's: one violation without a warrant."""
    link = MunicipalityCourtFactory()
    citation = CitationFactory(
        citation_number="SYNDEMO0001",
        court=link.court,
        municipality=link.municipality,
        first_name="Sample",
        last_name="Synthetic",
        date_of_birth=date(1990, 5, 1),
    )
    ViolationFactory(citation=citation)
    CourtDateFactory(citation=citation, day=date(2099, 3, 2))


@pytest.fixture
def st_louis_staff_api(st_louis_staff) -> APIClient:
    return token_client(st_louis_staff)


@pytest.mark.parametrize(
    ("client", "method", "address", "path", "status_code", "body"),
    [
        ("partner_api", "get", "/api/v1/cities/", "/api/v1/cities/", "200", None),
        (
            "partner_api",
            "get",
            "/api/v1/partnerships/boston/living-cities/",
            "/api/v1/partnerships/{city}/{organization}/",
            "200",
            None,
        ),
        ("partner_api", "get", "/api/v1/datasets/grants/", "/api/v1/datasets/{slug}/", "200", None),
        ("partner_api", "get", "/api/v1/grants/?colour=red", "/api/v1/grants/", "400", None),
        ("partner_api", "get", "/api/v1/grants/no-such-grant/", "/api/v1/grants/{reference}/", "404", None),
        ("partner_api", "get", "/api/v1/courts/citations/", "/api/v1/courts/citations/", "403", None),
        ("st_louis_staff_api", "get", "/api/v1/courts/citations/", "/api/v1/courts/citations/", "200", None),
        (
            "partner_api",
            "post",
            "/api/v1/courts/lookup/",
            "/api/v1/courts/lookup/",
            "200",
            {"kind": "citation", "citation_number": "SYNDEMO0001", "date_of_birth": "1990-05-01"},
        ),
    ],
)
@pytest.mark.usefixtures("demo_data", "court_records")
def test_live_answers_are_valid_against_the_schema_of_their_examples(
    request, schema, client, method, address, path, status_code, body
):
    api = request.getfixturevalue(client)
    response = api.post(address, body, format="json") if method == "post" else api.get(address)

    assert str(response.status_code) == status_code, response.content
    answer = response.json()
    assert answer.get("results", answer) if isinstance(answer, dict) else answer
    media = schema["paths"][path][method]["responses"][status_code]["content"]["application/json"]
    assert media["examples"]
    validator = validator_for(schema, media)
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(answer)]
    assert errors == []
