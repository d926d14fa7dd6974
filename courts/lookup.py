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
from django.db.models import Prefetch, QuerySet

from courts.models import Citation, CourtDate, MunicipalityCourt, Violation
from courts.rate_limits import RateLimit, attempt_count, attempts_left, client_attempt_count

logger = logging.getLogger(__name__)

KEY_CHARACTERS = re.compile(r"[^0-9A-Z]")


class LookupKind:
    CITATION = "citation"
    LICENCE = "licence"
    NAME = "name"
    ALL = (CITATION, LICENCE, NAME)


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


def lookup_rate_limit_check(*, client_address: str, now: float | None = None) -> RateLimit:
    """Count one search by this client: `COURTS_LOOKUP_ATTEMPTS` searches are allowed in each
    window of `COURTS_LOOKUP_WINDOW_SECONDS`, found or not (see `client_attempt_count`). Call
    it only for a search about to be made, never for a form refused for its own errors."""
    limit = client_attempt_count(
        scope="lookup",
        client_address=client_address,
        attempts=settings.COURTS_LOOKUP_ATTEMPTS,
        window_seconds=settings.COURTS_LOOKUP_WINDOW_SECONDS,
        now=now,
    )
    if not limit.allowed:
        logger.info("court lookup refused: too many searches from one client")
    return limit


IDENTITY_SCOPE = "lookup-identity"


def lookup_identity(request: LookupRequest) -> str:
    """What a search names besides the date of birth (the secret a guesser would try), as
    the lookup reads it: the same ticket typed two ways is one identity."""
    if request.kind == LookupKind.CITATION:
        return f"citation:{citation_number_of(request.citation_number)}"
    if request.kind == LookupKind.LICENCE:
        return f"licence:{lookup_key_of(request.licence_number)}:{request.licence_state.strip().upper()}"
    return f"name:{lookup_key_of(request.last_name)}:{request.municipality_id}"


def lookup_identity_check(*, request: LookupRequest, now: float | None = None) -> RateLimit:
    """Whether this identity may still be searched: refused once it has had
    `COURTS_LOOKUP_FAILURES_PER_IDENTITY` searches that found nothing in its window, from
    any client. Counts nothing itself."""
    limit = attempts_left(
        scope=IDENTITY_SCOPE,
        subject=lookup_identity(request),
        attempts=settings.COURTS_LOOKUP_FAILURES_PER_IDENTITY,
        window_seconds=settings.COURTS_LOOKUP_IDENTITY_WINDOW_SECONDS,
        now=now,
    )
    if not limit.allowed:
        logger.info("court lookup refused: too many failed searches for one identity")
    return limit


def lookup_failure_record(*, request: LookupRequest, now: float | None = None) -> None:
    """Count a search that found nothing against the identity it named."""
    attempt_count(
        scope=IDENTITY_SCOPE,
        subject=lookup_identity(request),
        attempts=settings.COURTS_LOOKUP_FAILURES_PER_IDENTITY,
        window_seconds=settings.COURTS_LOOKUP_IDENTITY_WINDOW_SECONDS,
        now=now,
    )
