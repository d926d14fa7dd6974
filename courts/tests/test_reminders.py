"""Court date reminders as a resident asks for them and the daily task sends them: after a
proven lookup, by text or email, 7 days and 1 day before, never twice, deleted after court;
watching a citation not in the data yet; bad phone numbers and emails store nothing."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from courts import tasks
from courts.models import ReminderSubscription
from courts.reminders import WATCH_DAYS, citation_watch, court_reminders_send, reminder_subscribe
from courts.tests.factories import CitationFactory, CourtDateFactory, ViolationFactory

pytestmark = pytest.mark.django_db
FIND = reverse("courts:find-ticket")
REMIND = reverse("courts:reminder-new")
WATCH = reverse("courts:watch-new")
TODAY = date(2026, 11, 25)
PHONE = "314-555-0187"


@pytest.fixture
def citation():
    citation = CitationFactory(citation_number="528860387")
    CourtDateFactory(citation=citation, day=TODAY + timedelta(days=7), minute_of_day=13 * 60 + 30)
    return citation


@pytest.fixture
def upcoming():
    """A citation whose court date is a week after the real today (the pages use it)."""
    citation = CitationFactory(citation_number="682690971")
    CourtDateFactory(citation=citation, day=timezone.localdate() + timedelta(days=7))
    return citation


@pytest.fixture
def passed():
    """A citation whose only court date has passed, with a charge still waiting for payment."""
    citation = CitationFactory(citation_number="104114023")
    CourtDateFactory(citation=citation, day=timezone.localdate() - timedelta(days=30))
    ViolationFactory(citation=citation)
    return citation


def prove(client, citation) -> None:
    found = client.post(
        FIND,
        {"kind": "citation", "citation_number": citation.citation_number, "date_of_birth": "1985-04-30"},
        follow=True,
    )
    assert f"Ticket {citation.citation_number}" in found.content.decode()


def test_a_resident_who_found_a_ticket_subscribes_a_phone_number(client, upcoming):
    prove(client, upcoming)

    response = client.post(REMIND, {"citation": upcoming.pk, "channel": "sms", "address": PHONE})

    assert response.status_code == 302 and response["Location"] == reverse("courts:reminder-set")
    subscription = ReminderSubscription.objects.get()
    assert (subscription.citation, subscription.phone_number, subscription.new_date_after) == (
        upcoming,
        "+13145550187",
        None,
    )
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Your reminders are set" in page.content.decode()
    assert reverse("courts:tickets") in page.content.decode()
    assert "no-store" in page["Cache-Control"]


def test_a_passed_court_date_offers_news_of_a_new_date_never_a_reminder(client, passed):
    prove(client, passed)
    page = client.get(reverse("courts:tickets")).content.decode()

    assert "Your court date has passed" in page and "failure to appear" in page
    assert "Remind me before court" not in page and "before your court date" not in page
    assert "Tell me when a new court date is set" in page

    client.post(REMIND, {"citation": passed.pk, "channel": "sms", "address": PHONE})
    thanks = client.get(reverse("courts:reminder-set")).content.decode()

    assert (
        "We will tell you about a new court date" in thanks and "7 days and 1 day before the court date" not in thanks
    )
    assert ReminderSubscription.objects.get().new_date_after == passed.court_dates.get().day


def test_a_subscription_after_a_passed_date_waits_for_a_new_one_then_reminds(passed, sms_outbox):
    today = timezone.localdate()
    reminder_subscribe(citation=passed, channel="sms", address=PHONE, today=today)

    assert court_reminders_send(today=today).reminders_sent == 0
    assert ReminderSubscription.objects.exists() and sms_outbox == []

    new_date = CourtDateFactory(citation=passed, day=today + timedelta(days=20))
    first = court_reminders_send(today=today)
    again = court_reminders_send(today=today)
    week = court_reminders_send(today=new_date.day - timedelta(days=7))

    assert (first.reminders_sent, again.reminders_sent, week.reminders_sent) == (1, 0, 1)
    assert "A new court date is set" in sms_outbox[0].body and passed.citation_number in sms_outbox[0].body
    assert ReminderSubscription.objects.get().new_date_after is None


def test_a_wait_for_a_new_date_that_never_comes_ends_and_says_so(passed, sms_outbox):
    today = timezone.localdate()
    reminder_subscribe(citation=passed, channel="sms", address=PHONE, today=today)

    run = court_reminders_send(today=today + timedelta(days=WATCH_DAYS + 1))

    assert run.subscriptions_deleted == 1 and not ReminderSubscription.objects.exists()
    assert "No new court date" in sms_outbox[0].body


def test_send_due_reminders_sends_what_is_due_today(upcoming, sms_outbox):
    reminder_subscribe(citation=upcoming, channel="sms", address=PHONE, today=timezone.localdate())
    out = io.StringIO()

    call_command("send_due_reminders", stdout=out)
    call_command("send_due_reminders", stdout=out)

    assert len(sms_outbox) == 1 and upcoming.citation_number in sms_outbox[0].body
    assert "court reminders: 1 sent" in out.getvalue() and "court reminders: 0 sent" in out.getvalue()


def test_phone_numbers_and_emails_are_encrypted_at_rest(citation):
    reminder_subscribe(citation=citation, channel="sms", address=PHONE, today=TODAY)
    reminder_subscribe(citation=citation, channel="email", address="Pat@Example.ORG", today=TODAY)

    with connection.cursor() as cursor:
        cursor.execute("SELECT phone_number, email FROM courts_remindersubscription")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert "3145550187" not in stored and "example.org" not in stored.lower()
    assert {subscription.email for subscription in ReminderSubscription.objects.all()} == {None, "Pat@example.org"}


@pytest.mark.parametrize(
    ("channel", "address", "message"),
    [
        ("sms", "555-01", "Enter a valid phone number"),
        ("sms", "call me maybe", "Enter a valid phone number"),
        ("email", "pat@", "Enter a valid email address"),
    ],
)
def test_an_invalid_phone_or_email_gets_a_clear_error_and_stores_nothing(client, citation, channel, address, message):
    prove(client, citation)

    response = client.post(REMIND, {"citation": citation.pk, "channel": channel, "address": address})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReminderSubscription.objects.exists()


def test_back_or_reload_after_a_reminder_never_resends_nor_answers_405(client, upcoming):
    prove(client, upcoming)
    client.post(REMIND, {"citation": upcoming.pk, "channel": "sms", "address": PHONE})

    for address in (REMIND, reverse("courts:reminder-set"), reverse("courts:tickets")):
        response = client.get(address, follow=True)
        assert response.status_code == 200 and PHONE not in response.content.decode()
    assert ReminderSubscription.objects.count() == 1


def test_the_proof_kept_for_reminders_lasts_half_an_hour(client, citation):
    prove(client, citation)

    assert client.session.get_expiry_age() == 30 * 60
    assert client.session["courts_proven_citations"] == [citation.pk]


def test_reminders_need_the_ticket_proven_by_this_client(client, citation):
    other = CitationFactory()

    without_lookup = client.post(REMIND, {"citation": citation.pk, "channel": "sms", "address": PHONE})
    prove(client, citation)
    someone_else = client.post(REMIND, {"citation": other.pk, "channel": "sms", "address": PHONE})

    assert without_lookup.status_code == someone_else.status_code == 403
    assert not ReminderSubscription.objects.exists()


def test_reminders_go_out_7_days_and_1_day_before_once_each(citation, sms_outbox):
    subscription = reminder_subscribe(citation=citation, channel="sms", address=PHONE, today=TODAY)

    week = court_reminders_send(today=TODAY)
    again = court_reminders_send(today=TODAY)
    quiet = court_reminders_send(today=TODAY + timedelta(days=3))
    day = court_reminders_send(today=TODAY + timedelta(days=6))
    day_again = court_reminders_send(today=TODAY + timedelta(days=6))

    assert [run.reminders_sent for run in (week, again, quiet, day, day_again)] == [1, 0, 0, 1, 0]
    assert [entry.to for entry in sms_outbox] == ["+13145550187", "+13145550187"]
    text = sms_outbox[0].body
    assert "Wednesday, December 2 at 1:30 PM" in text and citation.court.name in text and citation.court.address in text
    assert settings.PORTAL_NAME in text and "To stop these messages:" in text
    subscription.refresh_from_db()


def test_a_missed_daily_run_still_sends_the_week_reminder_but_never_both_late(citation, sms_outbox):
    reminder_subscribe(citation=citation, channel="sms", address=PHONE, today=TODAY)

    late = court_reminders_send(today=TODAY + timedelta(days=4))
    last_day = court_reminders_send(today=TODAY + timedelta(days=7))

    assert (late.reminders_sent, last_day.reminders_sent) == (1, 1)
    assert len(sms_outbox) == 2


def test_email_reminders_go_through_django_mail(citation):
    reminder_subscribe(citation=citation, channel="email", address="pat@example.org", today=TODAY)

    court_reminders_send(today=TODAY)

    [message] = mail.outbox
    assert message.to == ["pat@example.org"] and message.subject == "Court date in one week"
    assert citation.citation_number in message.body


def test_subscriptions_are_deleted_once_the_court_date_has_passed(citation, sms_outbox):
    reminder_subscribe(citation=citation, channel="sms", address=PHONE, today=TODAY)

    run = court_reminders_send(today=TODAY + timedelta(days=8))

    assert run.subscriptions_deleted == 1 and not ReminderSubscription.objects.exists()


def test_a_watched_citation_is_followed_once_it_appears(client, sms_outbox):
    response = client.post(
        WATCH,
        {"citation_number": "SYN 123-456", "date_of_birth": "1985-04-30", "channel": "sms", "address": PHONE},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("courts:watch-set"), 302)]
    assert "We are watching for your ticket" in response.content.decode()
    assert "SYN" not in response.redirect_chain[0][0]
    assert court_reminders_send(today=TODAY).watches_found == 0

    citation = CitationFactory(citation_number="SYN123456", date_of_birth=date(1985, 4, 30))
    CourtDateFactory(citation=citation, day=TODAY + timedelta(days=1))
    run = court_reminders_send(today=TODAY)

    assert (run.watches_found, run.reminders_sent) == (1, 1)
    assert ReminderSubscription.objects.get().citation == citation
    assert "is now in the court records" in sms_outbox[0].body
    assert "Court" in sms_outbox[1].body and "SYN123456" in sms_outbox[1].body


def test_a_watch_does_not_follow_a_citation_with_another_birth_date(sms_outbox):
    citation_watch(citation_number="777", date_of_birth=date(1985, 4, 30), channel="sms", address=PHONE, today=TODAY)
    CitationFactory(citation_number="777", date_of_birth=date(1990, 1, 1))

    assert court_reminders_send(today=TODAY).watches_found == 0
    assert sms_outbox == []


def test_a_watch_that_finds_nothing_ends_and_says_so(sms_outbox):
    citation_watch(citation_number="888", date_of_birth=date(1985, 4, 30), channel="sms", address=PHONE, today=TODAY)

    run = court_reminders_send(today=TODAY + timedelta(days=WATCH_DAYS + 1))

    assert run.watches_ended == 1 and not ReminderSubscription.objects.exists()
    assert "stopped watching" in sms_outbox[0].body


def test_a_watch_with_an_invalid_email_stores_nothing(client):
    response = client.post(
        WATCH, {"citation_number": "999", "date_of_birth": "1985-04-30", "channel": "email", "address": "nope"}
    )

    assert response.status_code == 400 and "Enter a valid email address" in response.content.decode()
    assert not ReminderSubscription.objects.exists()


def test_the_daily_task_is_scheduled_on_celery_beat():
    schedule = settings.CELERY_BEAT_SCHEDULE["courts-reminders"]

    assert schedule["task"] == "courts.tasks.court_reminders_send_task"


def test_the_task_runs_the_service_for_today_and_reports_counts(citation, sms_outbox, monkeypatch):
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: TODAY)
    reminder_subscribe(citation=citation, channel="sms", address=PHONE, today=TODAY)

    summary = tasks.court_reminders_send_task()

    assert summary == {"reminders_sent": 1, "watches_found": 0, "watches_ended": 0, "subscriptions_deleted": 0}
    assert len(sms_outbox) == 1


def test_a_reminder_form_with_errors_is_not_counted_against_the_limit(client, upcoming, settings):
    settings.COURTS_LOOKUP_ATTEMPTS = 2
    prove(client, upcoming)
    refused = [
        client.post(REMIND, {"citation": upcoming.pk, "channel": "sms", "address": "555-01"}).status_code
        for _ in range(5)
    ]
    answers = [
        client.post(REMIND, {"citation": upcoming.pk, "channel": "sms", "address": PHONE}).status_code for _ in range(3)
    ]

    assert refused == [400] * 5 and answers == [302, 302, 429]
    assert ReminderSubscription.objects.count() == 2


def test_a_reminder_asked_for_in_spanish_is_sent_in_spanish(client, upcoming, sms_outbox):
    client.post(reverse("set_language"), {"language": "es", "next": FIND})
    prove_found = client.post(
        FIND,
        {"kind": "citation", "citation_number": upcoming.citation_number, "date_of_birth": "1985-04-30"},
        follow=True,
    )
    assert f"Multa {upcoming.citation_number}" in prove_found.content.decode()
    client.post(REMIND, {"citation": upcoming.pk, "channel": "sms", "address": PHONE})
    assert ReminderSubscription.objects.get().language == "es"

    court_reminders_send(today=timezone.localdate())

    text = sms_outbox[0].body
    assert f"Su fecha de corte para la multa {upcoming.citation_number} es el " in text
    assert "¿Preguntas? Llame al" in text and "Para dejar de recibir estos mensajes:" in text
    # Another resident's English subscription stays in English in the same run.
    with translation.override("en"):
        english = reminder_subscribe(
            citation=upcoming, channel="sms", address="314-555-0100", today=timezone.localdate()
        )
    assert english.language == "en"
    court_reminders_send(today=timezone.localdate())
    assert "Your court date for ticket" in sms_outbox[-1].body
