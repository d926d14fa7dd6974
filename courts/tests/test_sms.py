"""Find my ticket by text, as a resident's phone and Twilio would use it: a citation number
and birth date answered with the court date and reminders, a passed date with what to do,
a miss the same whatever was wrong; every request signed by Twilio."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cities.tests.twilio_fake import signed_post, twilio_settings
from courts.models import ReminderSubscription
from courts.tests.factories import CitationFactory, CourtDateFactory, ViolationFactory

pytestmark = pytest.mark.django_db
INBOUND = reverse("cities:sms-inbound")
PHONE = "+13145550187"


@pytest.fixture
def twilio(settings, monkeypatch):
    return twilio_settings(settings, monkeypatch)


def text(client, body: str, sender: str = PHONE) -> str:
    response = signed_post(client, INBOUND, {"From": sender, "Body": body})
    assert response.status_code == 200
    return response.content.decode()


def test_a_citation_number_and_birth_date_get_the_court_date_and_reminders(client, twilio):
    citation = CitationFactory(citation_number="682690971")
    CourtDateFactory(citation=citation, day=timezone.localdate() + timedelta(days=9), minute_of_day=9 * 60 + 30)
    ViolationFactory(citation=citation)

    reply = text(client, "682690971 04/30/1985")
    again = text(client, "682-690-971 1985-04-30")

    assert "682690971" in reply and "9:30 AM" in reply and citation.court.name in reply
    assert "7 days and 1 day before" in reply and again == reply
    subscription = ReminderSubscription.objects.get()
    assert (subscription.citation, subscription.channel, subscription.phone_number) == (citation, "sms", PHONE)


def test_a_passed_court_date_says_what_to_do_and_promises_no_reminder(client, twilio):
    citation = CitationFactory(citation_number="104114023")
    CourtDateFactory(citation=citation, day=timezone.localdate() - timedelta(days=40))
    ViolationFactory(citation=citation)

    reply = text(client, "104114023 04/30/1985")

    assert "has passed" in reply and "warrant" in reply and "ask for a new court date" in reply
    assert "7 days and 1 day" not in reply
    assert ReminderSubscription.objects.get().new_date_after is not None


def test_a_number_alone_asks_for_the_birth_date_and_keeps_nothing(client, twilio):
    CitationFactory(citation_number="682690971")

    reply = text(client, "682690971")

    assert "date of birth" in reply and "682690971" not in reply
    assert not ReminderSubscription.objects.exists()


def test_a_miss_is_answered_the_same_whatever_was_wrong(client, twilio):
    CitationFactory(citation_number="682690971")

    wrong_birth = text(client, "682690971 05/01/1985")
    unknown = text(client, "111111111 04/30/1985")

    assert wrong_birth == unknown and "could not find" in unknown
    assert not ReminderSubscription.objects.exists()


def test_guessing_birth_dates_by_text_meets_the_web_lookups_limit(client, twilio, settings):
    settings.COURTS_LOOKUP_FAILURES_PER_IDENTITY = 2
    CitationFactory(citation_number="682690971")

    guesses = [text(client, f"682690971 05/0{day}/1985", sender=f"+1314555017{day}") for day in range(1, 4)]
    right = text(client, "682690971 04/30/1985", sender="+13145550160")

    assert "Too many tries" in guesses[-1] and "Too many tries" in right
    assert not ReminderSubscription.objects.exists()
