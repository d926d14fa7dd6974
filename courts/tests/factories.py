"""Small St. Louis court rows for tests; every person in them is made up."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from courts.models import (
    Citation,
    Court,
    CourtDate,
    Judge,
    Municipality,
    MunicipalityCourt,
    Story,
    Violation,
    Warrant,
)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    source_id = factory.Sequence(lambda n: str(1000 + n))
    name = factory.Sequence(lambda n: f"Testville {n}")
    payment_url = factory.Sequence(lambda n: f"https://pay.example.org/town-{n}")


class CourtFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Court

    source_id = factory.Sequence(lambda n: str(1000 + n))
    name = factory.Sequence(lambda n: f"Testville {n} Court")
    slug = factory.Sequence(lambda n: f"testville-{n}-court")
    phone = "314.555.0100"
    website = "https://court.example.org/"
    payment_system = "iPayCourt"
    address = "1 Main Street"
    city = "St. Louis"
    state = "MO"
    zip_code = "63101"
    latitude = 38.63
    longitude = -90.2
    rights_format = Court.RightsFormat.LINK
    rights_location = "https://court.example.org/rights"


class MunicipalityCourtFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MunicipalityCourt

    municipality = factory.SubFactory(MunicipalityFactory)
    court = factory.SubFactory(CourtFactory)


class JudgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Judge

    source_id = factory.Sequence(lambda n: str(1000 + n))
    name = factory.Sequence(lambda n: f"Judge Example {n}")
    court = factory.SubFactory(CourtFactory)


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    citation_number = factory.Sequence(lambda n: f"{900000000 + n}")
    citation_date = date(2026, 10, 1)
    first_name = "Pat"
    last_name = factory.Sequence(lambda n: f"Madeup{n}")
    last_name_key = factory.LazyAttribute(lambda citation: citation.last_name.upper())
    date_of_birth = date(1985, 4, 30)
    address = "12 Invented Lane"
    city = "TESTVILLE"
    state = "MO"
    licence_number = factory.Sequence(lambda n: f"T{100000000 + n}")
    licence_number_key = factory.LazyAttribute(lambda citation: citation.licence_number.upper())
    licence_state = "MO"
    court = factory.SubFactory(CourtFactory)
    municipality = factory.SubFactory(MunicipalityFactory)


class ViolationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Violation

    source_id = factory.Sequence(lambda n: str(100000 + n))
    citation = factory.SubFactory(CitationFactory)
    violation_number = factory.LazyAttribute(lambda violation: f"{violation.citation.citation_number}-01")
    description = "Improper Passing"
    status = Violation.Status.CONTINUED_FOR_PAYMENT
    status_date = date(2026, 10, 2)
    fine_amount = Decimal("139.04")
    court_cost = Decimal("24.50")
    can_pay_online = True


class WarrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Warrant

    warrant_number = factory.Sequence(lambda n: f"WA{1000000 + n}")
    violation = factory.SubFactory(
        ViolationFactory,
        status=Violation.Status.WARRANT_ISSUED,
        fine_amount=None,
        court_cost=None,
        can_pay_online=False,
    )


class CourtDateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourtDate

    citation = factory.SubFactory(CitationFactory)
    day = date(2026, 12, 15)
    minute_of_day = 13 * 60 + 30


class StoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Story

    body = "I lost my job after a warrant for a parking ticket I never got in the mail."
    consent_given_at = factory.LazyFunction(timezone.now)
