"""The lookup's rules, once for the page, the API and text messages: its limits
(`courts.lookup.ticket_lookup`, on the real cache: one identity however it is typed,
failures counted per identity) and the shape of a search's fields."""

from __future__ import annotations

from datetime import date

import pytest

from courts.api.serializers import TICKET_LOOKUP_SERIALIZERS, ticket_lookup_serializer
from courts.forms import TicketLookupForm
from courts.lookup import LOOKUP_NEEDS, LookupKind, LookupRequest, lookup_identity, ticket_lookup

pytestmark = pytest.mark.django_db

NOW = 1_800_000_000.0


def test_one_ticket_typed_two_ways_is_one_identity_and_the_birth_date_is_not_part_of_it(settings):
    settings.COURTS_LOOKUP_FAILURES_PER_IDENTITY = 2
    typed = [
        LookupRequest(kind=LookupKind.CITATION, date_of_birth=date(1985, 4, day), citation_number=number)
        for day, number in ((1, "747199692"), (2, "747-199 692"))
    ]

    answers = [ticket_lookup(request=request, client=f"198.51.100.{n}", now=NOW) for n, request in enumerate(typed)]
    third = ticket_lookup(request=typed[0], client="198.51.100.9", now=NOW)
    other = LookupRequest(kind=LookupKind.CITATION, date_of_birth=date(1985, 4, 1), citation_number="747199693")

    assert lookup_identity(typed[0]) == lookup_identity(typed[1])
    assert all(answer.refused is None and answer.citations == [] for answer in answers)
    assert third.refused is not None and third.refused_by == "identity"
    assert ticket_lookup(request=other, client="198.51.100.9", now=NOW).refused is None


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        (LookupKind.LICENCE, "licence_state", "M1"),
        (LookupKind.CITATION, "citation_number", "   "),
        (LookupKind.NAME, "last_name", "Smith\x00"),
        (LookupKind.CITATION, "citation_number", "7" * 31),
    ],
)
def test_the_page_and_the_api_refuse_the_same_malformed_searches(kind, field, value):
    search = {"kind": kind, "date_of_birth": "1985-04-30", field: value}
    form = TicketLookupForm(search)
    serializer = ticket_lookup_serializer(search)

    assert not form.is_valid() and field in form.errors
    assert not serializer.is_valid() and field in serializer.errors


def test_each_kind_of_search_asks_the_api_for_what_the_lookup_needs():
    for kind, needs in LOOKUP_NEEDS.items():
        fields = set(TICKET_LOOKUP_SERIALIZERS[kind]().fields)
        assert fields == {"kind", "date_of_birth", *needs}
