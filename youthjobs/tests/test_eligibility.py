"""Eligibility: the programme's rules, each with the reason staff tell the youth."""

from __future__ import annotations

from datetime import date

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from youthjobs.eligibility import ages_on, eligibility_refresh, ineligibility_reasons
from youthjobs.models import Eligibility
from youthjobs.tests.factories import ApplicantFactory

FIRST_DAY = date(2026, 7, 6)


def test_age_counts_a_birthday_on_the_first_day() -> None:
    born = pd.Series([date(2012, 7, 6), date(2012, 7, 7), date(2002, 7, 5)])

    assert ages_on(born=born, day=FIRST_DAY).tolist() == [14, 13, 24]


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2020, 12, 31)))
def test_age_agrees_with_calendar_arithmetic(born: date) -> None:
    expected = FIRST_DAY.year - born.year - ((FIRST_DAY.month, FIRST_DAY.day) < (born.month, born.day))

    assert ages_on(born=pd.Series([born]), day=FIRST_DAY).tolist() == [expected]


def test_every_broken_rule_is_a_reason() -> None:
    reasons = ineligibility_reasons(age=13, starts_on=FIRST_DAY, lives_in_boston=False, has_work_permit=False)

    assert len(reasons) == 3
    assert reasons[0].startswith("Aged 13 on July 6")
    assert "outside the City of Boston" in reasons[1]
    assert "work permit" in reasons[2]


def test_adults_need_no_work_permit() -> None:
    assert ineligibility_reasons(age=18, starts_on=FIRST_DAY, lives_in_boston=True, has_work_permit=False) == []
    assert ineligibility_reasons(age=17, starts_on=FIRST_DAY, lives_in_boston=True, has_work_permit=False) != []


def test_refresh_keeps_ineligible_applicants_with_their_reasons(db) -> None:
    eligible = ApplicantFactory(date_of_birth=date(2010, 1, 15))
    too_old = ApplicantFactory(date_of_birth=date(2001, 7, 5))
    outside = ApplicantFactory(neighbourhood="")

    counts = eligibility_refresh()
    again = eligibility_refresh()

    assert counts == again == {"eligible": 1, "ineligible": 2}
    assert Eligibility.objects.get(applicant=eligible).age_on_start == 16
    assert Eligibility.objects.get(applicant=too_old).reasons[0].startswith("Aged 25")
    assert Eligibility.objects.get(applicant=outside).eligible is False
    assert Eligibility.objects.count() == 3
