"""Texts people send to the portal's number, and the provider's reports on texts it sent.

The provider's webhooks (`cities.views.sms_inbound`, `cities.views.sms_status`) call these
only after checking the provider's signature. Keywords are the carriers' own: STOP (and its
synonyms) records an opt-out that `cities.messaging.message_send` honours, START lifts it,
HELP says who we are and how to stop. Any other text goes to the reply handlers apps declare
in their registration (`cities.registry`; a court app answers a citation number and birth
date with the next court date); the first that answers gives the reply. Numbers are never
logged or kept in clear: opt-outs keep the same keyed digest as every message record.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

from cities.messaging import phone_number_normalise, recipient_digest
from cities.models import MessageChannel, MessageOptOut, SentMessage
from cities.registry import portal_apps

logger = logging.getLogger(__name__)

STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"}
START_WORDS = {"START", "YES", "UNSTOP"}
HELP_WORDS = {"HELP", "INFO"}


def _digests(number: str) -> list[str]:
    # An opt-out recorded under a key now in SECRET_KEY_FALLBACKS is the same person's.
    return [
        recipient_digest(channel=MessageChannel.SMS, address=number, secret=secret)
        for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    ]


def help_text() -> str:
    return (
        f"{settings.PORTAL_NAME}: court date reminders and offers for residents. "
        "Text your ticket number and date of birth (like 123456789 04/30/1985) for your next court date. "
        "Text STOP to get no more texts, START to get them again."
    )


@transaction.atomic
def sms_reply(*, from_number: str, body: str) -> str:
    """The answer to one text from `from_number`: STOP records an opt-out, START removes it,
    HELP explains; other texts go to the registered handlers, and a text none of them
    recognises gets the help. Raises ValidationError for a sender that is not a phone number."""
    number = phone_number_normalise(from_number)
    word = body.strip().upper()
    if word in STOP_WORDS:
        MessageOptOut.objects.get_or_create(
            channel=MessageChannel.SMS, recipient_digest=recipient_digest(channel=MessageChannel.SMS, address=number)
        )
        logger.info("sms: an opt-out recorded by text")
        return f"{settings.PORTAL_NAME}: you will get no more texts from us. Text START to get them again."
    if word in START_WORDS:
        MessageOptOut.objects.filter(channel=MessageChannel.SMS, recipient_digest__in=_digests(number)).delete()
        logger.info("sms: an opt-out lifted by text")
        return f"{settings.PORTAL_NAME}: you will get our texts again. Text STOP to stop them."
    if word in HELP_WORDS:
        return help_text()
    for app in portal_apps():
        if app.sms_reply_handler is None:
            continue
        reply = app.sms_reply_handler(number, body)
        if reply is not None:
            return reply
    return help_text()


# The provider's message states, as SentMessage keeps them; the ones in between change nothing.
DELIVERY_STATES = {
    "delivered": SentMessage.Status.DELIVERED,
    "undelivered": SentMessage.Status.UNDELIVERED,
    "failed": SentMessage.Status.FAILED,
}


@transaction.atomic
def sms_delivery_report_record(*, provider_message_id: str, provider_status: str, error_code: str = "") -> int:
    """Record what the provider says became of a message it sent (0 or 1 rows changed).
    Reports of a state in between (queued, sent) or of an unknown message change nothing."""
    status = DELIVERY_STATES.get(provider_status.lower())
    if status is None or not provider_message_id:
        return 0
    reason = f"provider error {error_code}" if error_code and status != SentMessage.Status.DELIVERED else ""
    return SentMessage.objects.filter(channel=MessageChannel.SMS, provider_message_id=provider_message_id).update(
        status=status, failure_reason=reason
    )
