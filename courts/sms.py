"""Find my ticket by text message, as courtbot does: a resident texts a citation number and
their date of birth to the portal's number and gets the next court date back, and reminders
before it (or, when it has passed, word of a new one).

Registered with `cities.sms_inbound` from `CourtsConfig.ready`; the provider's signature is
checked before this is reached. The birth date is asked for as on the web, since a citation
number alone proves nothing; a miss is answered the same way whatever was wrong, and both
limits of the web lookup apply (per sender, and failed proofs per ticket from any sender).
Log lines never hold the number, the ticket or the birth date.
"""

from __future__ import annotations

import logging
import re
import time
from datetime import date

from django.utils import timezone

from cities.models import MessageChannel
from courts import selectors
from courts.lookup import (
    LookupKind,
    LookupRequest,
    citation_number_of,
    ticket_lookup,
)
from courts.models import Citation
from courts.reminders import court_date_text, reminder_subscribe

logger = logging.getLogger(__name__)

# A sender is counted by its phone number, apart from the web's clients.
SMS_CLIENT_SCOPE = "sms-lookup"

BIRTH_DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d", "%m-%d-%Y")
CITATION_TOKEN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]{3,24}$")
ASK_FOR_BIRTH_DATE = (
    "To keep court records private, text your ticket number and your date of birth together, like: 123456789 04/30/1985"
)
NO_MATCH = (
    "We could not find a ticket with that number and date of birth. Check both and try again, "
    "or call the court named on your ticket."
)


def _birth_date(token: str) -> date | None:
    for pattern in BIRTH_DATE_FORMATS:
        try:
            parsed = time.strptime(token, pattern)
        except ValueError:
            continue
        return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
    return None


def _parsed(body: str) -> tuple[str, date | None] | None:
    """(citation number, birth date or None) of a text like "123456789 04/30/1985", or None
    for a text that names no citation number (not ours to answer)."""
    tokens = body.split()
    born = next((day for token in tokens if (day := _birth_date(token)) is not None), None)
    numbers = [token for token in tokens if _birth_date(token) is None and CITATION_TOKEN.match(token)]
    numbers = [token for token in numbers if any(character.isdigit() for character in token)]
    if len(numbers) != 1:
        return None
    return citation_number_of(numbers[0]), born


def court_date_reply(from_number: str, body: str) -> str | None:
    """The reply to a text naming a citation (see the module); None for any other text."""
    parsed = _parsed(body)
    if parsed is None:
        return None
    number, born = parsed
    if born is None:
        return ASK_FOR_BIRTH_DATE
    request = LookupRequest(kind=LookupKind.CITATION, date_of_birth=born, citation_number=number)
    outcome = ticket_lookup(request=request, client=from_number, client_scope=SMS_CLIENT_SCOPE)
    if outcome.refused is not None:
        return f"Too many tries. Please wait {outcome.refused.retry_after_minutes} minutes, then text again."
    citations = outcome.citations
    if not citations:
        return NO_MATCH
    today = timezone.localdate()
    ticket = selectors.ticket_results(citations=citations, today=today)[0]
    citation = ticket.citation
    court = ticket.court
    phone = court.phone_display if court else "the number on your ticket"
    if not ticket.reminder_offer:
        return (
            f"Ticket {citation.citation_number}: the records show every charge closed. You do not need to do anything."
        )
    _subscribe_once(citation, from_number, today)
    court_date = ticket.next_court_date
    if court_date is None:
        return (
            f"Ticket {citation.citation_number}: no court date is in the records yet. We will text you "
            f"when one is set. Questions? Call {phone}."
        )
    if ticket.court_date_passed:
        return (
            f"Ticket {citation.citation_number}: your court date, {court_date.day:%B %-d, %Y}, has passed. "
            f"Missing court can lead to a warrant. Call {phone} now and ask for a new court date. "
            "We will text you if a new date reaches the records."
        )
    return f"{court_date_text(court_date, citation)} We will text you 7 days and 1 day before. Text STOP to stop."


def _subscribe_once(citation: Citation, from_number: str, today: date) -> None:
    # The same person texting twice gets one set of reminders, not two.
    existing = citation.reminder_subscriptions.filter(channel=MessageChannel.SMS)
    if any(subscription.phone_number == from_number for subscription in existing):
        return
    reminder_subscribe(citation=citation, channel=MessageChannel.SMS, address=from_number, today=today)
    logger.info("court reminders: a subscription by text")
