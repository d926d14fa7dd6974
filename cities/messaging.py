"""The one way the portal writes to a person: email or SMS, recorded, idempotent, opt-out aware.

Every app (offers to Boston's youth, St. Louis court reminders) calls `message_send`; none
writes its own sender. Guarantees:
- each message names the portal and carries a link to stop all messages on that channel;
- an address that opted out gets nothing (the attempt is recorded as OPTED_OUT);
- a message is sent at most once per idempotency key, so a retried task or a re-run of a beat
  job sends nothing twice (a FAILED one is tried again; one left SENDING by a crash is not,
  because it may have reached the person);
- addresses are never stored or logged in clear: records keep a keyed digest.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from cities.message_backends import SMSDeliveryError, sms_backend
from cities.models import MessageChannel, MessageOptOut, SentMessage

logger = logging.getLogger(__name__)

OPT_OUT_SALT = "cities.messaging.opt-out"


@dataclass(frozen=True)
class MessageOutcome:
    message: SentMessage
    sent_now: bool


def phone_number_normalise(raw: str) -> str:
    """A US phone number as typed by a person, in E.164 (+13145551234), or a ValidationError."""
    try:
        number = phonenumbers.parse(raw, settings.PHONE_NUMBER_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Enter a valid phone number, for example 314-555-0123."), code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email_address_normalise(raw: str) -> str:
    """An email address trimmed, its domain lower-cased, or a ValidationError."""
    address = raw.strip()
    validate_email(address)
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def address_normalise(*, channel: MessageChannel | str, raw: str) -> str:
    if channel == MessageChannel.SMS:
        return phone_number_normalise(raw)
    return email_address_normalise(raw)


def recipient_digest(*, channel: MessageChannel | str, address: str, secret: str | None = None) -> str:
    """A keyed hash of a normalised address: the same person gives the same digest, and the table
    of digests reveals no address. Keyed by SECRET_KEY unless `secret` names another key."""
    return salted_hmac(
        "cities.messaging.recipient", f"{channel}:{address}", secret=secret, algorithm="sha256"
    ).hexdigest()


def _has_opted_out(*, channel: MessageChannel | str, address: str) -> bool:
    # An opt-out recorded before a key rotation was keyed by a key now in SECRET_KEY_FALLBACKS:
    # it must still hold.
    digests = [
        recipient_digest(channel=channel, address=address, secret=secret)
        for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    ]
    return MessageOptOut.objects.filter(channel=channel, recipient_digest__in=digests).exists()


def opt_out_url(*, channel: MessageChannel | str, digest: str) -> str:
    token = signing.dumps({"channel": str(channel), "digest": digest}, salt=OPT_OUT_SALT, compress=True)
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("cities:message-opt-out", kwargs={"token": token})


def _text_with_footer(*, channel: MessageChannel | str, body: str, digest: str) -> str:
    stop = opt_out_url(channel=channel, digest=digest)
    # In the active language: a reminder is sent in the language its resident asked in.
    footer = _("To stop these messages: %(link)s") % {"link": stop}
    return f"{body.rstrip()}\n\n— {settings.PORTAL_NAME}. {footer}"


@transaction.atomic
def message_opt_out_record(*, token: str) -> None:
    """Record the opt-out a stop link asks for. Raises signing.BadSignature for a forged or
    damaged link. Recording it twice is harmless."""
    claim = signing.loads(token, salt=OPT_OUT_SALT)
    channel = claim.get("channel") if isinstance(claim, dict) else None
    digest = claim.get("digest") if isinstance(claim, dict) else None
    if channel not in MessageChannel.values or not isinstance(digest, str):
        raise signing.BadSignature("The link does not name a channel and an address.")
    MessageOptOut.objects.get_or_create(channel=channel, recipient_digest=digest)


def message_send(
    *,
    channel: MessageChannel | str,
    to: str,
    subject: str,
    body: str,
    purpose: str,
    idempotency_key: str,
) -> MessageOutcome:
    """Send one message to one person, at most once per `idempotency_key` (see the module's
    guarantees). Raises ValidationError for an address that is not a valid phone number or email,
    before anything is recorded. Delivery failures do not raise: the record says FAILED."""
    address = address_normalise(channel=channel, raw=to)
    digest = recipient_digest(channel=channel, address=address)
    with transaction.atomic():
        message, created = SentMessage.objects.select_for_update().get_or_create(
            idempotency_key=idempotency_key,
            defaults={"channel": channel, "recipient_digest": digest, "purpose": purpose, "subject": subject[:200]},
        )
        if not created and message.status != SentMessage.Status.FAILED:
            return MessageOutcome(message=message, sent_now=False)
        if _has_opted_out(channel=channel, address=address):
            message.status = SentMessage.Status.OPTED_OUT
            message.save(update_fields=["status"])
            return MessageOutcome(message=message, sent_now=False)
        message.status = SentMessage.Status.SENDING
        message.save(update_fields=["status"])
    text = _text_with_footer(channel=channel, body=body, digest=digest)
    provider_message_id = ""
    try:
        if channel == MessageChannel.SMS:
            provider_message_id = sms_backend().send(to=address, body=text)
        else:
            send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [address])
    except (SMSDeliveryError, smtplib.SMTPException, OSError) as error:
        logger.warning("message %s (%s) failed: %s", message.pk, purpose, type(error).__name__)
        message.status = SentMessage.Status.FAILED
        message.failure_reason = f"{type(error).__name__}"
        message.save(update_fields=["status", "failure_reason"])
        return MessageOutcome(message=message, sent_now=False)
    message.status = SentMessage.Status.SENT
    message.sent_at = timezone.now()
    message.failure_reason = ""
    message.provider_message_id = provider_message_id
    message.save(update_fields=["status", "sent_at", "failure_reason", "provider_message_id"])
    return MessageOutcome(message=message, sent_now=True)
