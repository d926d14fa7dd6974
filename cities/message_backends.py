"""How messages leave the portal: SMS backends, and an email backend for the embedded mode.

`settings.SMS_BACKEND` names the SMS backend class, as `EMAIL_BACKEND` names Django's email
backend. A provider is a subclass of `SMSBackend` whose `send` returns the provider's id of
the message (for its delivery reports) and raises `SMSDeliveryError` when the provider refuses
the message. `TwilioSMSBackend` is Twilio's, through its own library.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as DjangoConsoleEmailBackend
from django.urls import reverse
from django.utils.module_loading import import_string
from twilio.base.exceptions import TwilioException
from twilio.http import HttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client


class SMSDeliveryError(Exception):
    """The SMS provider did not accept the message."""


class MessagesDisabledError(SMSDeliveryError):
    """MESSAGES_DISABLED: the deployment sends no message; each is recorded as failed."""


class SMSBackend:
    def send(self, *, to: str, body: str) -> str:
        """Send `body` to the E.164 number `to` and return the provider's id of the message
        ("" when there is no provider), or raise SMSDeliveryError."""
        raise NotImplementedError


def masked_address(address: str) -> str:
    """What a console may show of an address: enough to tell two test numbers apart, no more."""
    if "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:1]}***@{domain}"
    return f"***{address[-2:]}"


class ConsoleSMSBackend(SMSBackend):
    """The embedded mode's SMS: the text goes to the console, the number masked."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def send(self, *, to: str, body: str) -> str:
        self.stream.write(f"SMS to {masked_address(to)}:\n{body}\n{'-' * 60}\n")
        self.stream.flush()
        return ""


@dataclass(frozen=True)
class SMSOutboxEntry:
    to: str
    body: str


# Like django.core.mail.outbox: what the tests' backend "sent", cleared by the root conftest.
sms_outbox: list[SMSOutboxEntry] = []


class LocmemSMSBackend(SMSBackend):
    """The tests' SMS: kept in `sms_outbox`."""

    def send(self, *, to: str, body: str) -> str:
        sms_outbox.append(SMSOutboxEntry(to=to, body=body))
        return ""


class TwilioSMSBackend(SMSBackend):
    """Text messages through Twilio's REST API with its `twilio` library, from
    `TWILIO_FROM_NUMBER`, asking Twilio to report each message's delivery to the portal's
    status callback (`cities.sms_webhooks`). `http_client_class` is the library's HTTP client
    (the tests put a local fake of Twilio's API there; nothing else should)."""

    http_client_class: type[HttpClient] = TwilioHttpClient

    def __init__(self) -> None:
        missing = [
            name
            for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER")
            if not getattr(settings, name)
        ]
        if missing:
            raise ImproperlyConfigured(f"TwilioSMSBackend needs {', '.join(missing)}")
        self.client = Client(
            settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=self.http_client_class()
        )

    def send(self, *, to: str, body: str) -> str:
        callback = settings.PORTAL_BASE_URL.rstrip("/") + reverse("cities:sms-status")
        try:
            message = self.client.messages.create(
                to=to, from_=settings.TWILIO_FROM_NUMBER, body=body, status_callback=callback
            )
        except TwilioException as error:
            # The error names Twilio's code, never the number.
            code = getattr(error, "code", None)
            raise SMSDeliveryError(f"Twilio refused the message (error {code})") from None
        return message.sid or ""


class DisabledSMSBackend(SMSBackend):
    """MESSAGES_DISABLED's SMS: nothing is sent, nothing printed."""

    def send(self, *, to: str, body: str) -> str:
        raise MessagesDisabledError("MESSAGES_DISABLED is true")


class DisabledEmailBackend(BaseEmailBackend):
    """MESSAGES_DISABLED's email: nothing is sent, nothing printed."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise MessagesDisabledError("MESSAGES_DISABLED is true")


def sms_backend() -> SMSBackend:
    backend_class: type[SMSBackend] = import_string(settings.SMS_BACKEND)
    return backend_class()


class RedactingConsoleEmailBackend(DjangoConsoleEmailBackend):
    """The embedded mode's email: Django's console backend with the addresses masked, because the
    console is a log and residents' addresses never reach a log."""

    def write_message(self, message: EmailMessage) -> None:
        masked = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=message.from_email,
            to=[masked_address(address) for address in message.to],
        )
        super().write_message(masked)
