"""The shared messaging service, as the apps that send offers and reminders use it."""

from __future__ import annotations

import io
import logging

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from cities.message_backends import ConsoleSMSBackend, LocmemSMSBackend, SMSDeliveryError
from cities.messaging import message_send, phone_number_normalise, recipient_digest
from cities.models import MessageChannel, MessageOptOut, SentMessage

pytestmark = pytest.mark.django_db


def _send(channel=MessageChannel.EMAIL, to="resident@example.org", key="test:1"):
    return message_send(
        channel=channel,
        to=to,
        subject="Your court date is in 7 days",
        body="Your court date is on 2 December at 9:00.",
        purpose="tests.reminder",
        idempotency_key=key,
    )


def _stop_link(text: str) -> str:
    return text.split("To stop these messages: ")[1].split()[0].removeprefix("http://127.0.0.1:8000")


def test_an_email_names_the_portal_and_how_to_stop_and_is_recorded_without_the_address():
    outcome = _send()

    assert outcome.sent_now and outcome.message.status == SentMessage.Status.SENT
    [email] = mail.outbox
    assert email.to == ["resident@example.org"]
    assert "— Civic Portal. To stop these messages: http://127.0.0.1:8000/messages/stop/" in email.body
    stored = SentMessage.objects.values().get()
    assert not any("resident" in str(value) for value in stored.values())
    assert stored["recipient_digest"] == recipient_digest(channel="email", address="resident@example.org")


def test_the_same_idempotency_key_never_sends_twice():
    first = _send()
    again = _send()

    assert (first.sent_now, again.sent_now) == (True, False)
    assert again.message.pk == first.message.pk
    assert len(mail.outbox) == 1


def test_a_text_message_goes_to_the_normalised_number(sms_outbox):
    _send(channel=MessageChannel.SMS, to="(314) 555-0123")

    [sms] = sms_outbox
    assert sms.to == "+13145550123"
    assert sms.body.startswith("Your court date is on 2 December")
    assert "Civic Portal" in sms.body


@pytest.mark.parametrize("raw", ["555", "not a number", "314-555-01234567", ""])
def test_an_invalid_phone_number_is_refused_and_nothing_is_recorded(raw, sms_outbox):
    with pytest.raises(ValidationError, match="valid phone number"):
        _send(channel=MessageChannel.SMS, to=raw)
    assert not SentMessage.objects.exists()
    assert sms_outbox == []


def test_an_invalid_email_is_refused_and_nothing_is_recorded():
    with pytest.raises(ValidationError):
        _send(to="resident at example")
    assert not SentMessage.objects.exists()


def test_phone_numbers_written_differently_are_the_same_person():
    assert phone_number_normalise("314.555.0123") == phone_number_normalise("+1 314 555 0123") == "+13145550123"


def test_a_resident_stops_messages_with_the_link_and_gets_no_more(client, sms_outbox):
    _send(channel=MessageChannel.SMS, to="314-555-0123", key="test:first")
    stop = _stop_link(sms_outbox[0].body)

    asked = client.get(stop)
    assert asked.status_code == 200 and b"Stop all messages" in asked.content
    assert not MessageOptOut.objects.exists(), "a link scanner following the link must not opt anyone out"

    done = client.post(stop)
    assert done.status_code == 200 and b"We will not send you any more messages" in done.content
    later = _send(channel=MessageChannel.SMS, to="+1 314 555 0123", key="test:second")

    assert later.message.status == SentMessage.Status.OPTED_OUT and not later.sent_now
    assert len(sms_outbox) == 1
    assert _send(to="resident@example.org", key="test:email").sent_now, "the opt-out was for text messages only"


def test_an_opt_out_outlives_a_secret_key_rotation(client, settings, sms_outbox):
    _send(channel=MessageChannel.SMS, to="314-555-0123", key="test:before")
    client.post(_stop_link(sms_outbox[0].body))

    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-0123456789-0123456789"
    after = _send(channel=MessageChannel.SMS, to="314-555-0123", key="test:after")

    assert after.message.status == SentMessage.Status.OPTED_OUT
    assert len(sms_outbox) == 1


def test_a_forged_stop_link_is_refused_and_changes_nothing(client):
    response = client.post(reverse("cities:message-opt-out", kwargs={"token": "forged-token"}))

    assert response.status_code == 400 and b"not valid" in response.content
    assert not MessageOptOut.objects.exists()


class BrokenSMSBackend(LocmemSMSBackend):
    def send(self, *, to: str, body: str) -> str:
        raise SMSDeliveryError("provider said no")


def test_a_failed_delivery_is_recorded_and_logged_without_the_number_then_retried(settings, sms_outbox, caplog):
    settings.SMS_BACKEND = f"{__name__}.BrokenSMSBackend"
    with caplog.at_level(logging.WARNING):
        failed = _send(channel=MessageChannel.SMS, to="314-555-0123")

    assert failed.message.status == SentMessage.Status.FAILED and not failed.sent_now
    assert "555" not in caplog.text and "SMSDeliveryError" in caplog.text

    settings.SMS_BACKEND = "cities.message_backends.LocmemSMSBackend"
    retried = _send(channel=MessageChannel.SMS, to="314-555-0123")
    assert retried.sent_now and retried.message.pk == failed.message.pk
    assert len(sms_outbox) == 1


def test_the_console_backends_mask_the_address():
    stream = io.StringIO()
    ConsoleSMSBackend(stream=stream).send(to="+13145550123", body="Hello")

    assert "***23" in stream.getvalue() and "5550123" not in stream.getvalue()


def test_the_embedded_email_console_masks_the_address(settings, capsys):
    settings.EMAIL_BACKEND = "cities.message_backends.RedactingConsoleEmailBackend"
    _send(to="resident@example.org")

    printed = capsys.readouterr().out
    assert "r***@example.org" in printed and "resident@" not in printed
