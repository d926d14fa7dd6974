"""Every operation of the published OpenAPI schema, fuzzed by schemathesis against the demo
data, as a resident (anonymous) and as a partner (token), with all of schemathesis' checks:
no server error, answers that match their documented schema, status code and content type,
invalid input refused, valid input accepted, undocumented methods refused.

The schema is read from the running application, so every endpoint added later is tested
here without a change to this file.
"""

from __future__ import annotations

import re

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from cities.tokens import api_token_create
from civicportal.wsgi import application

CONFIG = SchemathesisConfig.from_dict(
    {
        "operations": [
            {
                # A schema-valid offer can still name a dataset that does not exist or takes no
                # files; which slugs are good is data, not schema, and the API refuses the
                # others with 400. Every other check applies to this operation as to any.
                "include-operation-id": "ingestion_runs_create",
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "429"]
                    }
                },
            },
            {
                # The DC dashboard's filters take the clusters, programmes and owner types the
                # data holds and refuse others with 400; a schema generated without the
                # database can only say "text". Subsidies take the Catalog's programmes and
                # portfolios in any letter case, which an enum cannot say. Every other check
                # applies as to any operation.
                "include-operation-id": [
                    "housing_projects_list",
                    "housing_subsidies_list",
                    "housing_risk_assessments_list",
                    "housing_expiry_timeline_list",
                ],
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "429"]
                    }
                },
            },
        ]
    }
)

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=CONFIG)


@pytest.fixture
def _requests_share_the_test_transaction():
    """The WSGI calls run inside the test's transaction, as Django's test client runs them:
    Django would otherwise close the connection at each request's start and end, which
    inside a transaction poisons it."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    # The WSGI transport never closes the last answer, so its request never ended: end it,
    # or work a later test starts outside any request waits for that request's end instead
    # of running (`cities.after_response`).
    signals.request_finished.send(sender=None)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=["resident", "partner"])
def credentials(request, db) -> dict[str, str]:
    if request.param == "resident":
        return {}
    partner = request.getfixturevalue("partner")
    return {"Authorization": f"Token {api_token_create(user=partner)[1]}"}


@schema.parametrize()
@pytest.mark.usefixtures("demo_data", "_requests_share_the_test_transaction")
@settings(
    max_examples=20,
    deadline=None,
    # The same examples on every run: CI passes or fails on the code, never on the draw.
    derandomize=True,
    # The fixtures (demo data, a token) are read-only inputs: every example may share them.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_operation_answers_as_documented(case, credentials):
    # The WSGI transport does not undo gzip as a partner's HTTP client does (compression has
    # its own tests in cities/tests/test_weight.py): ask for the plain answer.
    case.call_and_validate(headers={**credentials, "Accept-Encoding": "identity"})


def test_the_schema_is_valid_openapi_and_generates_without_warnings(tmp_path):
    # --fail-on-warn: a field or parameter drf-spectacular cannot type would be documented
    # as a bare string or object, which the operations above could then not check.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_api_docs_load_their_assets_from_our_own_static_files(client):
    page = client.get("/api/docs/")

    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    # Swagger UI's start-up script is served by the docs view itself (no inline script).
    assert all(asset.startswith("/static/") or asset == "/api/docs/?script=" for asset in assets), assets
    assert not re.search(r"https?://", html)
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
