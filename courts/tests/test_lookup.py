"""Find my ticket as a resident uses it: the three searches, only what was proved, the same
answer whatever was wrong, the rate limit, and no identifier in URLs or logs."""

from __future__ import annotations

import logging
import re
import string
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from courts.ingest import lookup_key
from courts.lookup import LookupKind, LookupRequest, citations_find, lookup_key_of
from courts.models import CourtQuestion
from courts.tests.factories import (
    CitationFactory,
    CourtDateFactory,
    MunicipalityCourtFactory,
    ViolationFactory,
    WarrantFactory,
)

pytestmark = pytest.mark.django_db
FIND = reverse("courts:find-ticket")
BORN = date(1985, 4, 30)


@pytest.fixture
def ticket():
    """A made-up person's ticket with one unpaid violation, one with a warrant, a court date."""
    citation = CitationFactory(
        citation_number="747199692", last_name="O'Hara", last_name_key="OHARA", licence_number="H233189734"
    )
    citation.licence_number_key = "H233189734"
    citation.save(update_fields=["licence_number_key"])
    MunicipalityCourtFactory(municipality=citation.municipality, court=citation.court)
    ViolationFactory(citation=citation, violation_number="747199692-01")
    WarrantFactory(warrant_number="WA4294944", violation__citation=citation, violation__violation_number="747199692-02")
    CourtDateFactory(citation=citation, day=date(2099, 1, 15), minute_of_day=9 * 60 + 30)
    return citation


def by_citation(number: str = "747199692", born: str = "1985-04-30") -> dict[str, str]:
    return {"kind": "citation", "citation_number": number, "date_of_birth": born}


def searched(client, data: dict[str, str], address: str = "203.0.113.7"):
    return client.post(FIND, data, REMOTE_ADDR=address, follow=True)


def without_what_was_typed(content: bytes) -> str:
    """The page less the values it echoes into its inputs (and the CSRF token)."""
    return re.sub(r'value="[^"]*"', 'value=""', content.decode())


def test_citation_number_and_birth_date_find_the_ticket(client, ticket):
    response = searched(client, by_citation())

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ticket 747199692" in page
    assert "$163.54" in page  # 139.04 fine + 24.50 court cost; the warrant's violation has no amount
    assert "WA4294944" in page
    assert "A warrant is out" in page
    assert ticket.court.name in page and ticket.court.address in page
    assert "Thursday, January 15, 2099 at 9:30 AM" in page
    assert ticket.municipality.payment_url in page


def test_the_results_answer_the_common_questions(client, ticket):
    CourtQuestion.objects.create(topic="payment", position=1, question="Can I pay later?", answer="Ask the judge.")

    page = searched(client, by_citation()).content.decode()

    assert "Can I pay later?" in page and "Ask the judge." in page


def test_the_results_never_show_the_persons_details(client, ticket):
    page = searched(client, by_citation()).content.decode()

    for personal in (ticket.first_name, ticket.last_name, ticket.address, ticket.licence_number, "1985-04-30"):
        assert personal not in page


def test_licence_number_state_and_birth_date_find_the_ticket(client, ticket):
    data = {"kind": "licence", "licence_number": "h 233-189 734", "licence_state": "mo", "date_of_birth": "1985-04-30"}

    assert "Ticket 747199692" in searched(client, data).content.decode()


def test_last_name_birth_date_and_town_find_the_ticket(client, ticket):
    data = {
        "kind": "name",
        "last_name": "o'hara",
        "municipality": str(ticket.municipality.pk),
        "date_of_birth": "1985-04-30",
    }

    assert "Ticket 747199692" in searched(client, data).content.decode()


def test_a_search_shows_only_the_citations_that_match_everything(ticket):
    CitationFactory(last_name="O'Hara", last_name_key="OHARA", municipality=ticket.municipality, date_of_birth=BORN)
    CitationFactory(
        last_name="O'Hara", last_name_key="OHARA", municipality=ticket.municipality, date_of_birth=date(1985, 5, 1)
    )

    found = citations_find(
        request=LookupRequest(
            kind=LookupKind.NAME, date_of_birth=BORN, last_name="OHara", municipality_id=ticket.municipality.pk
        )
    )

    assert len(found) == 2
    assert all(
        citation.date_of_birth == BORN and citation.municipality_id == ticket.municipality.pk for citation in found
    )


@pytest.mark.parametrize(
    "wrong",
    [
        by_citation(born="1985-04-29"),
        by_citation(number="747199693"),
        by_citation(number="000000000", born="1970-01-01"),
    ],
    ids=["wrong birth date", "wrong citation number", "both wrong"],
)
def test_a_failed_search_answers_the_same_whatever_was_wrong(client, ticket, wrong):
    unknown = searched(client, by_citation(number="111111111", born="1960-06-06"))
    failed = searched(client, wrong)

    assert failed.status_code == unknown.status_code == 200
    assert without_what_was_typed(failed.content) == without_what_was_typed(unknown.content)
    assert "could not find a ticket" in failed.content.decode()
    assert "747199692" not in failed.content.decode().replace('value="747199692"', "")


def test_a_citation_without_a_birth_date_cannot_be_found(client, ticket):
    ticket.date_of_birth = None
    ticket.save(update_fields=["date_of_birth"])

    assert "could not find a ticket" in searched(client, by_citation()).content.decode()


def test_a_search_missing_a_field_says_which(client, db):
    response = searched(client, {"kind": "licence", "licence_number": "X1", "date_of_birth": "1985-04-30"})

    assert response.status_code == 400
    assert "Enter the state that gave the license." in response.content.decode()


def test_results_are_private_and_never_in_the_url(client, ticket):
    response = searched(client, by_citation())

    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response.request["QUERY_STRING"] == ""
    # A search in the address bar is not a search: the page only shows its empty forms.
    page = client.get(FIND, {"citation_number": "747199692", "date_of_birth": "1985-04-30"}).content.decode()
    assert "Ticket 747199692" not in page and 'value="747199692"' not in page


def test_the_rate_limit_holds_across_many_tries_and_says_how_long_to_wait(client, ticket, settings):
    settings.COURTS_LOOKUP_ATTEMPTS = 5
    answers = [searched(client, by_citation(number=f"90000000{day}")).status_code for day in range(1, 6)]
    refused = [searched(client, by_citation()) for _ in range(20)]

    assert answers == [200] * 5
    assert {response.status_code for response in refused} == {429}
    # The right details do not get through either while the client waits.
    assert "Ticket 747199692" not in refused[-1].content.decode()
    assert re.search(r"Please wait \d+ minutes?, then try again", refused[0].content.decode())
    assert int(refused[0]["Retry-After"]) <= settings.COURTS_LOOKUP_WINDOW_SECONDS + 1
    # Another client is not held back by the first.
    assert "Ticket 747199692" in searched(client, by_citation(), address="198.51.100.9").content.decode()


def test_logs_name_the_kind_of_search_never_what_was_typed(client, ticket, caplog):
    with caplog.at_level(logging.DEBUG):
        searched(client, by_citation())
        searched(
            client,
            {
                "kind": "name",
                "last_name": "O'Hara",
                "municipality": str(ticket.municipality.pk),
                "date_of_birth": "1985-04-30",
            },
        )

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "court lookup by citation: 1 citation(s) found" in logged
    for identifier in ("747199692", "1985-04-30", "Hara", "OHARA", "203.0.113.7"):
        assert identifier not in logged


def test_each_search_reads_the_database_a_fixed_number_of_times(ticket, django_assert_max_num_queries):
    for _ in range(3):
        ViolationFactory(citation=ticket)

    with django_assert_max_num_queries(5):
        found = citations_find(
            request=LookupRequest(kind=LookupKind.CITATION, date_of_birth=BORN, citation_number="747199692")
        )
        assert sum(len(citation.violations.all()) for citation in found) == 5


def test_lookup_keys_ignore_case_spaces_and_punctuation():
    assert lookup_key_of(" o'Hara-Smith ") == "OHARASMITH"
    assert lookup_key_of("h 233 189 734") == "H233189734"


@given(st.text(alphabet=string.printable + "éñüÉ'\u2019-"))
def test_the_stored_key_and_the_typed_key_are_made_alike(text):
    assert lookup_key(pd.Series([text], dtype=pd.StringDtype("pyarrow")))[0] == lookup_key_of(text)


def test_a_closed_violation_owes_nothing(client, ticket):
    paid = ticket.violations.get(violation_number="747199692-01")
    paid.status = paid.Status.CLOSED
    paid.save(update_fields=["status"])

    page = searched(client, by_citation()).content.decode()

    assert "$0.00" in page
    assert paid.amount_owed == Decimal("0.00")


def test_behind_a_trusted_proxy_clients_are_told_apart_by_the_address_it_saw(client, ticket, settings):
    settings.COURTS_LOOKUP_ATTEMPTS = 2
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    def search_from(forwarded: str) -> int:
        return client.post(FIND, by_citation(), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded).status_code

    first = [search_from("198.51.100.1") for _ in range(3)]
    # A client that writes its own X-Forwarded-For entry is still counted by what the proxy saw.
    spoofed = search_from("203.0.113.99, 198.51.100.1")
    second = search_from("198.51.100.2")

    assert first == [302, 302, 429] and spoofed == 429 and second == 302


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client, ticket, settings):
    settings.COURTS_LOOKUP_ATTEMPTS = 1

    answers = [
        client.post(FIND, by_citation(), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(2)
    ]

    assert answers == [302, 429]


def test_a_clinic_behind_one_address_can_search_for_a_hundred_people(client, ticket):
    others = [CitationFactory(date_of_birth=date(1970, 1, 1) + timedelta(days=n)) for n in range(99)]
    searches = [by_citation()] + [
        by_citation(number=other.citation_number, born=other.date_of_birth.isoformat()) for other in others
    ]

    answers = [searched(client, data) for data in searches]

    assert all(
        f"Ticket {data['citation_number']}" in answer.content.decode()
        for data, answer in zip(searches, answers, strict=True)
    )


def test_forms_refused_for_their_own_errors_are_never_counted(client, ticket, settings):
    settings.COURTS_LOOKUP_ATTEMPTS = 2
    refused = [
        searched(client, {"kind": "citation", "citation_number": "747199692", "date_of_birth": "30/04/85"}).status_code
        for _ in range(10)
    ]
    refused += [searched(client, {"kind": "citation", "date_of_birth": "1985-04-30"}).status_code for _ in range(10)]

    assert set(refused) == {400}
    assert "Ticket 747199692" in searched(client, by_citation()).content.decode()
    assert "Ticket 747199692" in searched(client, by_citation()).content.decode()
    assert searched(client, by_citation()).status_code == 429


def test_failed_proofs_are_counted_per_ticket_from_any_address(client, ticket, settings):
    settings.COURTS_LOOKUP_FAILURES_PER_IDENTITY = 3
    guesses = [
        searched(client, by_citation(born=f"1985-05-{n:02d}"), address=f"198.51.100.{n}").status_code
        for n in range(1, 4)
    ]
    # The right birth date, from a new address, waits too: the guesser cannot tell it from a guess.
    right = searched(client, by_citation(), address="198.51.100.50")
    # The same limit falls on a ticket number that does not exist, so it tells nothing.
    unknown = [searched(client, by_citation(number="555555555", born=f"1985-05-{n:02d}")) for n in range(1, 5)]
    other_ticket = searched(client, {**by_citation(number="123"), "date_of_birth": "1990-01-01"})

    assert guesses == [200, 200, 200]
    assert right.status_code == unknown[-1].status_code == 429 and "Ticket 747199692" not in right.content.decode()
    assert without_what_was_typed(right.content) == without_what_was_typed(unknown[-1].content)
    assert other_ticket.status_code == 200


def test_a_thousand_guesses_from_one_client_get_at_most_the_limit_answered(client, ticket, settings):
    answers = [
        searched(client, by_citation(number=f"{700000000 + n}", born="1985-04-30")).status_code for n in range(1000)
    ]

    assert answers.count(200) == settings.COURTS_LOOKUP_ATTEMPTS == 100
    assert set(answers[100:]) == {429}
