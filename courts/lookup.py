"""Find my ticket: a resident proves who they are and sees only their own citations.

Three searches, each needing the date of birth:
- citation number and date of birth;
- driver's licence number and licence state and date of birth;
- last name and date of birth and municipality.

Every search is one index scan (see `Citation.Meta.indexes`) and answers the citations that
match all it was given, or nothing. A search that finds nothing is answered the same way
whichever part was wrong, so nobody can learn that a citation number exists. Searches are
counted per client in the cache (Redis when deployed), and searches that found nothing per
identity (the ticket number, licence or name and town searched, whoever searched): past either
limit, the client is told how long to wait. The identity's limit holds whether or not that
ticket exists, so it tells nothing either. Log lines name the kind of search and the number found, never what was typed.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.validators import RegexValidator
from django.db.models import Prefetch, QuerySet

from cities.rate_limits import Limit, RateLimit, rate_limit_give_back, rate_limit_take
from courts.models import Citation, CourtDate, MunicipalityCourt, Violation

logger = logging.getLogger(__name__)

KEY_CHARACTERS = re.compile(r"[^0-9A-Z]")


class LookupKind:
    CITATION = "citation"
    LICENCE = "licence"
    NAME = "name"
    ALL = (CITATION, LICENCE, NAME)


# Which fields each search needs beside the date of birth.
LOOKUP_NEEDS: dict[str, tuple[str, ...]] = {
    LookupKind.CITATION: ("citation_number",),
    LookupKind.LICENCE: ("licence_number", "licence_state"),
    LookupKind.NAME: ("last_name", "municipality"),
}
# What the lookup's text fields accept, in the same words for the page's form, the API's
# serializers and its schema: at least one character that is not a space, and no NUL (which
# no database stores); a state is two letters. Spaces are kept: the lookup itself ignores
# them, so " 123 " finds 123.
SOME_TEXT = r"^[^\u0000]*\S[^\u0000]*$"
STATE_CODE = r"^[A-Za-z]{2}$"


@dataclass(frozen=True)
class LookupTextField:
    """The shape one text field of a search must have (whether it matches is the search's
    business, and its "no match" is the same whatever was wrong)."""

    max_length: int
    pattern: str
    message: str

    def validators(self) -> list[RegexValidator]:
        return [RegexValidator(self.pattern, self.message)]


LOOKUP_TEXT_FIELDS: dict[str, LookupTextField] = {
    "citation_number": LookupTextField(30, SOME_TEXT, "Enter the number printed on the ticket."),
    "licence_number": LookupTextField(30, SOME_TEXT, "Enter the licence number."),
    "licence_state": LookupTextField(2, STATE_CODE, "Enter the two letters of the state, like MO or IL."),
    "last_name": LookupTextField(60, SOME_TEXT, "Enter the last name."),
}


@dataclass(frozen=True)
class LookupRequest:
    """What a resident typed. `kind` says which of the other fields the search uses."""

    kind: str
    date_of_birth: date
    citation_number: str = ""
    licence_number: str = ""
    licence_state: str = ""
    last_name: str = ""
    municipality_id: int | None = None


def lookup_key_of(value: str) -> str:
    """A name or licence number as stored for lookups: upper case, letters and digits only
    (the twin of `courts.ingest.lookup_key`, which does this to a whole column)."""
    return KEY_CHARACTERS.sub("", value.upper())


def citation_number_of(value: str) -> str:
    """Citation numbers are printed with spaces or dashes now and then; the data has neither."""
    return re.sub(r"[\s-]", "", value)


def _citations_with_details() -> QuerySet[Citation]:
    return Citation.objects.select_related("court", "municipality").prefetch_related(
        Prefetch(
            "violations",
            queryset=Violation.objects.select_related("warrant").order_by("violation_number", "source_id"),
        ),
        Prefetch("court_dates", queryset=CourtDate.objects.order_by("day", "minute_of_day")),
        Prefetch(
            "municipality__court_links",
            queryset=MunicipalityCourt.objects.select_related("court").order_by("court__name"),
        ),
    )


def _matching(citations: QuerySet[Citation], request: LookupRequest) -> QuerySet[Citation]:
    citations = citations.filter(date_of_birth=request.date_of_birth)
    if request.kind == LookupKind.CITATION:
        number = citation_number_of(request.citation_number)
        return citations.filter(citation_number=number) if number else citations.none()
    if request.kind == LookupKind.LICENCE:
        key = lookup_key_of(request.licence_number)
        state = request.licence_state.strip().upper()
        return citations.filter(licence_number_key=key, licence_state=state) if key and state else citations.none()
    if request.kind == LookupKind.NAME:
        key = lookup_key_of(request.last_name)
        if not key or request.municipality_id is None:
            return citations.none()
        return citations.filter(last_name_key=key, municipality_id=request.municipality_id)
    raise ValueError(f"unknown kind of lookup {request.kind!r}")


def citations_find(*, request: LookupRequest) -> list[Citation]:
    """The citations matching everything in `request`, with their court, municipality (and the
    courts serving it), violations with warrants and court dates, in four queries (five with
    the municipality's courts). Empty when anything does not match: the caller must answer an
    empty result the same way whatever was wrong."""
    found = list(_matching(_citations_with_details(), request).order_by("citation_number"))
    logger.info("court lookup by %s: %d citation(s) found", request.kind, len(found))
    return found


def citations_proven(*, citation_ids: list[int]) -> list[Citation]:
    """Citations this client proved in an earlier lookup (their ids kept in its session), with
    the same details as `citations_find`, for the pages that follow a lookup."""
    return list(_citations_with_details().filter(pk__in=citation_ids).order_by("citation_number"))


CLIENT_SCOPE = "lookup"
IDENTITY_SCOPE = "lookup-identity"


def lookup_identity(request: LookupRequest) -> str:
    """What a search names besides the date of birth (the secret a guesser would try), as
    the lookup reads it: the same ticket typed two ways is one identity."""
    if request.kind == LookupKind.CITATION:
        return f"citation:{citation_number_of(request.citation_number)}"
    if request.kind == LookupKind.LICENCE:
        return f"licence:{lookup_key_of(request.licence_number)}:{request.licence_state.strip().upper()}"
    return f"name:{lookup_key_of(request.last_name)}:{request.municipality_id}"


@dataclass(frozen=True)
class LookupOutcome:
    """The citations a search found, or the limit that refused it: `refused_by` is
    "searches" (this client's) or "identity" (the failed searches for what it named)."""

    citations: list[Citation]
    refused: RateLimit | None = None
    refused_by: str = ""


def ticket_lookup(
    *, request: LookupRequest, client: str, client_scope: str = CLIENT_SCOPE, now: float | None = None
) -> LookupOutcome:
    """One search by `client` (a client address, or a phone number at `client_scope`
    "sms-lookup") under both limits, the same for the page, the API and text messages:

    - `COURTS_LOOKUP_ATTEMPTS` searches per client in each window of
      `COURTS_LOOKUP_WINDOW_SECONDS`, found or not;
    - `COURTS_LOOKUP_FAILURES_PER_IDENTITY` searches that found nothing per identity (the
      ticket, licence or name and town named) in each window of
      `COURTS_LOOKUP_IDENTITY_WINDOW_SECONDS`, from any client, whether or not that ticket
      exists: a search takes its place in the count before searching (so searches at once
      cannot exceed it) and gives it back when it found its ticket.

    Call it only for a search about to be made, never for a request refused for its own
    errors. Citations as `citations_find` gives them; none when anything did not match."""
    taken = rate_limit_take(
        limit=Limit(
            scope=client_scope,
            attempts=settings.COURTS_LOOKUP_ATTEMPTS,
            window_seconds=settings.COURTS_LOOKUP_WINDOW_SECONDS,
        ),
        subject=client,
        now=now,
    )
    if not taken.allowed:
        logger.info("court lookup refused: too many searches from one client")
        return LookupOutcome(citations=[], refused=taken, refused_by="searches")
    identity = rate_limit_take(
        limit=Limit(
            scope=IDENTITY_SCOPE,
            attempts=settings.COURTS_LOOKUP_FAILURES_PER_IDENTITY,
            window_seconds=settings.COURTS_LOOKUP_IDENTITY_WINDOW_SECONDS,
        ),
        subject=lookup_identity(request),
        now=now,
    )
    if not identity.allowed:
        logger.info("court lookup refused: too many failed searches for one identity")
        return LookupOutcome(citations=[], refused=identity, refused_by="identity")
    citations = citations_find(request=request)
    if citations:
        rate_limit_give_back(identity)
    return LookupOutcome(citations=citations)
