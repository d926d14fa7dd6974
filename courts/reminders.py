"""Court date reminders: a resident who proved a citation (or who watches one not yet in the
data) gets a text message or an email 7 days and 1 day before the court date.

Phone numbers, emails, watched citation numbers and birth dates are encrypted at rest. Every
message goes through `cities.messaging.message_send`, which names the portal, says how to
stop and honours opt-outs; each message has an idempotency key, so a re-run of the daily task
sends nothing twice. A subscription is deleted once its court date has passed, and a watch
once it found its citation's court date passed or its time ran out (the resident is told).
A subscription asked for after the court date had passed promises no reminder of that date:
it waits for a new court date, tells the resident when one is set, then reminds as usual.
Each message is written in the language the resident asked in (`ReminderSubscription.language`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cities.messaging import email_address_normalise, message_send, phone_number_normalise
from cities.models import MessageChannel
from courts.models import Citation, CourtDate, ReminderSubscription

logger = logging.getLogger(__name__)

WATCH_DAYS = 60
# Sent once when the court date is this many days away or fewer (a missed daily run still
# sends it), and again when it is this close.
WEEK_BEFORE = 7
DAY_BEFORE = 1
PURPOSE = "court reminder"


@dataclass(frozen=True)
class ReminderRun:
    reminders_sent: int
    watches_found: int
    watches_ended: int
    subscriptions_deleted: int


def _address(channel: str, raw: str) -> tuple[str, str]:
    """(phone, email) normalised for the channel. Raises ValidationError naming the field
    ({"channel": ...} or {"address": ...}) with a clear message."""
    try:
        if channel == MessageChannel.SMS:
            return phone_number_normalise(raw), ""
        if channel == MessageChannel.EMAIL:
            return "", email_address_normalise(raw)
    except ValidationError as error:
        raise ValidationError({"address": error.messages}) from None
    raise ValidationError({"channel": _("Choose text message or email.")})


@transaction.atomic
def reminder_subscribe(*, citation: Citation, channel: str, address: str, today: date) -> ReminderSubscription:
    """Subscribe a phone number or email to reminders of a proven citation's court dates.

    Raises ValidationError naming the field, storing nothing, for an unknown channel or an
    address that is not a phone number or an email address (as `cities.messaging` reads
    them). Until the citation has a court date, the subscription waits; it ends WATCH_DAYS
    after today if none comes. When every court date of the citation has passed, it waits
    the same way for a court date after the last of them (`new_date_after`): the resident is
    told when one is set, then reminded as usual."""
    phone, email = _address(channel, address)
    days = [court_date.day for court_date in citation.court_dates.all()]
    passed = bool(days) and max(days) < today
    return ReminderSubscription.objects.create(
        citation=citation,
        channel=channel,
        phone_number=phone or None,
        email=email or None,
        watch_ends_on=today + timedelta(days=WATCH_DAYS),
        new_date_after=max(days) if passed else None,
        language=_asked_in(),
    )


@transaction.atomic
def citation_watch(
    *, citation_number: str, date_of_birth: date, channel: str, address: str, today: date
) -> ReminderSubscription:
    """Watch a citation number not in the data yet: once a citation with this number and
    this date of birth appears, the subscription follows it and the resident is told; after
    WATCH_DAYS they are told the watch ended. Raises ValidationError, storing nothing, for a
    bad channel, address or citation number."""
    number = "".join(citation_number.split()).replace("-", "")
    if not number.isalnum() or len(number) > 20:
        raise ValidationError({"citation_number": _("Enter the ticket number as it is printed on your ticket.")})
    phone, email = _address(channel, address)
    return ReminderSubscription.objects.create(
        watched_citation_number=number,
        watched_date_of_birth=date_of_birth.isoformat(),
        channel=channel,
        phone_number=phone or None,
        email=email or None,
        watch_ends_on=today + timedelta(days=WATCH_DAYS),
        language=_asked_in(),
    )


def _asked_in() -> str:
    """The active language (the page's, or an SMS conversation's), as one of the portal's."""
    language = translation.get_language() or "en"
    return language if language in dict(settings.LANGUAGES) else "en"


def _send(subscription: ReminderSubscription, *, subject: str, body: str, key: str) -> bool:
    """Send one message; the caller writes `subject` and `body` in the subscription's language."""
    to = (subscription.phone_number if subscription.channel == MessageChannel.SMS else subscription.email) or ""
    outcome = message_send(
        channel=subscription.channel, to=to, subject=subject, body=body, purpose=PURPOSE, idempotency_key=key
    )
    return outcome.sent_now


def court_date_text(court_date: CourtDate, citation: Citation) -> str:
    """The court date of a citation, where and whom to call, in the active language."""
    court = citation.court
    # Translators: a court date in a reminder, in Django's date format letters.
    day = date_format(court_date.day, pgettext("reminder date format", "l, F j"))
    if court_date.time_of_day is not None:
        when = _("%(day)s at %(time)s") % {"day": day, "time": time_format(court_date.time_of_day, "g:i A")}
    else:
        when = day
    if court is None:
        return _("Your court date for ticket %(number)s is %(when)s, at the court named on your ticket.") % {
            "number": citation.citation_number,
            "when": when,
        }
    return _(
        "Your court date for ticket %(number)s is %(when)s, at %(court)s, %(address)s, %(city)s. "
        "Questions? Call %(phone)s."
    ) % {
        "number": citation.citation_number,
        "when": when,
        "court": court.name,
        "address": court.address,
        "city": court.city,
        "phone": court.phone_display,
    }


def _next_court_date(citation: Citation, today: date) -> CourtDate | None:
    return next((court_date for court_date in citation.court_dates.all() if court_date.day >= today), None)


def _watches_resolve(today: date) -> tuple[int, int]:
    """Attach watches whose citation has appeared; end watches whose time ran out."""
    found = ended = 0
    watches = list(ReminderSubscription.objects.filter(citation__isnull=True))
    numbers = {watch.watched_citation_number for watch in watches}
    citations = {
        citation.citation_number: citation for citation in Citation.objects.filter(citation_number__in=numbers)
    }
    for watch in watches:
        citation = citations.get(watch.watched_citation_number)
        born = citation.date_of_birth.isoformat() if citation and citation.date_of_birth else None
        if citation is not None and born == watch.watched_date_of_birth:
            with translation.override(watch.language):
                _send(
                    watch,
                    subject=_("Your ticket is now on Civic Portal"),
                    body=_(
                        "Ticket %(number)s is now in the court records. We will remind you 7 days and 1 day "
                        "before its court date."
                    )
                    % {"number": citation.citation_number},
                    key=f"courts:watch-found:{watch.pk}",
                )
            watch.citation = citation
            watch.watched_citation_number = None
            watch.watched_date_of_birth = None
            watch.save(update_fields=["citation", "watched_citation_number", "watched_date_of_birth"])
            found += 1
        elif watch.watch_ends_on is not None and watch.watch_ends_on < today:
            with translation.override(watch.language):
                _send(
                    watch,
                    subject=_("We stopped watching for your ticket"),
                    body=_(
                        "Ticket %(number)s did not appear in the court records in %(days)s days, so we stopped "
                        "watching for it. Call the court named on your ticket."
                    )
                    % {"number": watch.watched_citation_number, "days": WATCH_DAYS},
                    key=f"courts:watch-ended:{watch.pk}",
                )
            watch.delete()
            ended += 1
    return found, ended


def court_reminders_send(*, today: date) -> ReminderRun:
    """The daily run (Celery beat): resolve watches, then for every subscription send the
    week-before reminder once the court date is 7 days away or fewer and the day-before one
    once it is 1 day away or fewer (each once, by idempotency key), and delete subscriptions
    whose court dates have all passed or that waited past `watch_ends_on` for one.
    Idempotent: a second run on the same day sends and deletes nothing more. Not one
    transaction: each message is recorded by `message_send` as it goes, so a run that stops
    half-way resends nothing when it is run again."""
    found, ended = _watches_resolve(today)
    sent = deleted = 0
    subscriptions = ReminderSubscription.objects.filter(citation__isnull=False).select_related("citation__court")
    subscriptions = subscriptions.prefetch_related("citation__court_dates")
    for subscription in subscriptions:
        with translation.override(subscription.language):
            reminded, removed = _subscription_remind(subscription, today)
        sent += reminded
        deleted += removed
    logger.info("court reminders: %d sent, %d watches found, %d ended, %d deleted", sent, found, ended, deleted)
    return ReminderRun(reminders_sent=sent, watches_found=found, watches_ended=ended, subscriptions_deleted=deleted)


def _subscription_remind(subscription: ReminderSubscription, today: date) -> tuple[int, int]:
    """One subscription's due messages, in the active language: (messages sent, rows deleted)."""
    sent = deleted = 0
    citation = subscription.citation
    assert citation is not None
    court_date = _next_court_date(citation, today)
    expired = subscription.watch_ends_on is not None and subscription.watch_ends_on < today
    if subscription.new_date_after is not None:
        if court_date is None or court_date.day <= subscription.new_date_after:
            if expired:
                _send(
                    subscription,
                    subject=_("No new court date yet"),
                    body=_(
                        "No new court date for ticket %(number)s reached the records in %(days)s days, so we "
                        "stopped watching. Call the court named on your ticket."
                    )
                    % {"number": citation.citation_number, "days": WATCH_DAYS},
                    key=f"courts:new-date-ended:{subscription.pk}",
                )
                subscription.delete()
                deleted += 1
            return sent, deleted
        sent += _send(
            subscription,
            subject=_("A new court date"),
            body=_("A new court date is set.") + " " + court_date_text(court_date, citation),
            key=f"courts:new-date:{subscription.pk}:{court_date.pk}",
        )
        subscription.new_date_after = None
        subscription.save(update_fields=["new_date_after"])
    if court_date is None:
        had_one = any(True for _passed in citation.court_dates.all())
        if had_one or expired:
            subscription.delete()
            deleted += 1
        return sent, deleted
    days = (court_date.day - today).days
    text = court_date_text(court_date, citation)
    for window, label in ((WEEK_BEFORE, "week"), (DAY_BEFORE, "day")):
        if days <= window and (label == "day" or days > DAY_BEFORE):
            key = f"courts:reminder:{subscription.pk}:{court_date.pk}:{label}"
            subject = _("Court tomorrow") if label == "day" else _("Court date in one week")
            sent += _send(subscription, subject=subject, body=text, key=key)
    return sent, deleted
