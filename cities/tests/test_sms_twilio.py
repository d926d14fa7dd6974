"""Text messages through Twilio, as the provider and a resident's phone would see them: sent
through the library to a local fake of Twilio's API, delivery reports and replies (STOP,
START, HELP) accepted only when Twilio's signature holds."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from cities.message_backends import TwilioSMSBackend
from cities.messaging import message_send, recipient_digest
from cities.models import MessageChannel, MessageOptOut, SentMessage
from cities.tests.twilio_fake import ACCOUNT_SID, FROM_NUMBER, PORTAL, UNREACHABLE, signed_post, twilio_settings

pytestmark = pytest.mark.django_db
PHONE = "+13145550187"
STATUS = reverse("cities:sms-status")
INBOUND = reverse("cities:sms-inbound")


@pytest.fixture
def twilio(settings, monkeypatch):
    return twilio_settings(settings, monkeypatch)


def send(key: str = "test:1", to: str = PHONE):
    return message_send(
        channel="sms", to=to, subject="Court", body="Court on Monday.", purpose="test", idempotency_key=key
    )


def test_a_text_goes_out_through_twilio_and_its_delivery_report_is_recorded(client, twilio):
    outcome = send()

    assert outcome.sent_now
    [request] = twilio
    assert request.path == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert (request.data["To"], request.data["From"]) == (PHONE, FROM_NUMBER)
    assert "Court on Monday." in request.data["Body"] and "To stop these messages" in request.data["Body"]
    assert request.data["StatusCallback"] == PORTAL + STATUS
    message = SentMessage.objects.get()
    assert message.provider_message_id.startswith("SM") and message.status == SentMessage.Status.SENT

    sent = signed_post(client, STATUS, {"MessageSid": message.provider_message_id, "MessageStatus": "sent"})
    delivered = signed_post(client, STATUS, {"MessageSid": message.provider_message_id, "MessageStatus": "delivered"})

    assert sent.status_code == delivered.status_code == 204
    message.refresh_from_db()
    assert message.status == SentMessage.Status.DELIVERED


def test_an_undelivered_report_keeps_twilios_error_code(client, twilio):
    send()
    sid = SentMessage.objects.get().provider_message_id

    signed_post(client, STATUS, {"MessageSid": sid, "MessageStatus": "undelivered", "ErrorCode": "30003"})

    message = SentMessage.objects.get()
    assert (message.status, message.failure_reason) == (SentMessage.Status.UNDELIVERED, "provider error 30003")


def test_a_text_twilio_refuses_is_recorded_failed_without_the_number(twilio, caplog):
    outcome = send(to=UNREACHABLE)

    message = SentMessage.objects.get()
    assert not outcome.sent_now and message.status == SentMessage.Status.FAILED
    assert "5550199" not in message.failure_reason and "5550199" not in caplog.text


@pytest.mark.parametrize("path", [STATUS, INBOUND])
def test_unsigned_or_badly_signed_callbacks_are_refused_and_change_nothing(client, twilio, path):
    send()
    sid = SentMessage.objects.get().provider_message_id
    params = {"MessageSid": sid, "MessageStatus": "delivered", "From": PHONE, "Body": "STOP"}

    unsigned = client.post(path, params)
    wrong_key = signed_post(client, path, params, token="not-the-token")
    tampered = client.post(path, {**params, "MessageStatus": "failed", "Body": "START"}, HTTP_X_TWILIO_SIGNATURE="AAAA")

    assert unsigned.status_code == wrong_key.status_code == tampered.status_code == 403
    assert SentMessage.objects.get().status == SentMessage.Status.SENT
    assert not MessageOptOut.objects.exists()


def test_without_an_auth_token_no_callback_is_believed(client, twilio, settings):
    settings.TWILIO_AUTH_TOKEN = ""

    assert signed_post(client, INBOUND, {"From": PHONE, "Body": "STOP"}, token="").status_code == 403
    assert not MessageOptOut.objects.exists()


def test_stop_start_and_help_by_text_are_honoured(client, twilio):
    stop = signed_post(client, INBOUND, {"From": PHONE, "Body": " stop "})

    assert stop.status_code == 200 and stop["Content-Type"].startswith("text/xml")
    assert "no more texts" in stop.content.decode()
    assert MessageOptOut.objects.filter(
        channel=MessageChannel.SMS, recipient_digest=recipient_digest(channel="sms", address=PHONE)
    ).exists()
    assert send(key="after-stop").message.status == SentMessage.Status.OPTED_OUT
    assert len(twilio) == 0

    start = signed_post(client, INBOUND, {"From": PHONE, "Body": "START"})
    assert "get our texts again" in start.content.decode() and not MessageOptOut.objects.exists()
    assert send(key="after-start").sent_now

    help_reply = signed_post(client, INBOUND, {"From": PHONE, "Body": "HELP"}).content.decode()
    assert "STOP" in help_reply and "date of birth" in help_reply


def test_the_backend_refuses_to_start_without_its_settings(settings):
    settings.TWILIO_ACCOUNT_SID = ""
    settings.TWILIO_AUTH_TOKEN = ""
    settings.TWILIO_FROM_NUMBER = FROM_NUMBER

    with pytest.raises(ImproperlyConfigured, match="TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN"):
        TwilioSMSBackend()
