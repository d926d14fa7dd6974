"""A local stand-in for Twilio's REST API, and requests signed as Twilio signs them, for the
SMS tests: no test reaches the internet."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urlparse

from django.test import Client
from twilio.http import HttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "1" * 32
AUTH_TOKEN = "test-auth-token"
FROM_NUMBER = "+13145550100"
PORTAL = "https://portal.example.org"
# A number the fake refuses, as Twilio refuses a number it cannot reach.
UNREACHABLE = "+13145550199"


@dataclass(frozen=True)
class FakeRequest:
    method: str
    path: str
    data: dict[str, Any]
    auth: tuple[str, str] | None


class FakeTwilioAPI(HttpClient):
    """Answers `POST /2010-04-01/Accounts/<sid>/Messages.json` as Twilio does (201 and the
    message, or 400 and Twilio's error for UNREACHABLE); anything else is a 404."""

    requests: ClassVar[list[FakeRequest]] = []

    def __init__(self) -> None:
        super().__init__(logger=logging.getLogger(__name__), is_async=False)

    def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        path = urlparse(url).path
        form = dict(data or {})
        self.requests.append(FakeRequest(method=method, path=path, data=form, auth=auth))
        if method != "POST" or path != f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json":
            return Response(404, json.dumps({"code": 20404, "message": "not found", "status": 404}))
        if auth != (ACCOUNT_SID, AUTH_TOKEN):
            return Response(401, json.dumps({"code": 20003, "message": "Authenticate", "status": 401}))
        if form.get("To") == UNREACHABLE:
            error = {"code": 21211, "message": "The 'To' number is not a valid phone number.", "status": 400}
            return Response(400, json.dumps(error))
        sid = f"SM{len(self.requests):032d}"
        message = {
            "sid": sid,
            "account_sid": ACCOUNT_SID,
            "to": form.get("To"),
            "from": form.get("From"),
            "body": form.get("Body"),
            "status": "queued",
            "num_segments": "1",
            "direction": "outbound-api",
            "date_created": "Mon, 07 Dec 2026 05:00:00 +0000",
            "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
        }
        return Response(201, json.dumps(message))


def twilio_settings(settings: Any, monkeypatch: Any) -> list[FakeRequest]:
    """The portal configured for Twilio, talking to the fake; returns what the fake was asked."""
    settings.SMS_BACKEND = "cities.message_backends.TwilioSMSBackend"
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.TWILIO_FROM_NUMBER = FROM_NUMBER
    settings.PORTAL_BASE_URL = PORTAL
    monkeypatch.setattr("cities.message_backends.TwilioSMSBackend.http_client_class", FakeTwilioAPI)
    FakeTwilioAPI.requests.clear()
    return FakeTwilioAPI.requests


def signed_post(client: Client, path: str, params: dict[str, str], token: str = AUTH_TOKEN) -> Any:
    """POST `params` to `path` with the X-Twilio-Signature Twilio would send, computed by
    Twilio's own validator over the portal's public address."""
    signature = RequestValidator(token).compute_signature(PORTAL + path, params)
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)
