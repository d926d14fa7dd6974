"""Small fixtures of the summer jobs app: a season, sites, positions and applicants in Boston."""

from __future__ import annotations

from datetime import date

import factory
from django.utils import timezone

from youthjobs.models import Applicant, DirectHire, Eligibility, Position, Season, Site

# Points inside the City's neighbourhoods (longitude, latitude).
DORCHESTER = (-71.0640, 42.3000)
ROXBURY = (-71.0850, 42.3200)
EAST_BOSTON = (-71.0300, 42.3750)
REVERE = (-71.0120, 42.4084)


class SeasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Season
        django_get_or_create = ("year",)

    year = "2026"
    starts_on = date(2026, 7, 6)
    ends_on = date(2026, 8, 14)
    offer_days = 7


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    site_id = factory.Sequence(lambda number: f"S{number:04d}")
    name = factory.Sequence(lambda number: f"Community Centre {number}")
    neighbourhood = "Dorchester"
    longitude, latitude = DORCHESTER


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    season = factory.SubFactory(SeasonFactory)
    position_id = factory.Sequence(lambda number: f"P{number:05d}")
    site = factory.SubFactory(SiteFactory)
    title = "Camp counsellor"
    category = "Camp Counselor/ Summer Program Staff Support"
    seats = 2
    minimum_age = 14
    starts_on = date(2026, 7, 6)
    ends_on = date(2026, 8, 14)


class ApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Applicant

    season = factory.SubFactory(SeasonFactory)
    applicant_id = factory.Sequence(lambda number: f"A{number:05d}")
    # The same young person across seasons; a first application is its own person.
    person_id = factory.SelfAttribute("applicant_id")
    first_name = "Synthetic"
    last_name = factory.Sequence(lambda number: f"Youth {number:05d}")
    date_of_birth = date(2010, 1, 15)
    gender = "female"
    email = factory.Sequence(lambda number: f"youth{number}@example.org")
    home_zip = "02124"
    home_longitude, home_latitude = DORCHESTER
    neighbourhood = "Dorchester"
    has_transit_pass = True
    has_work_permit = True
    first_interest = "Camp Counselor/ Summer Program Staff Support"


class EligibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Eligibility

    applicant = factory.SubFactory(ApplicantFactory)
    eligible = True
    reasons: list[str] = []
    age_on_start = 16
    checked_at = factory.LazyFunction(timezone.now)


class DirectHireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DirectHire

    applicant = factory.SubFactory(ApplicantFactory)
    position = factory.SubFactory(PositionFactory)
    kind = DirectHire.Kind.RETURNING
