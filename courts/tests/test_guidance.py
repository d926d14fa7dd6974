"""The guidance rules on plain facts, without a database: which steps apply, in what order,
and that the words stay at a 6th to 8th grade reading level."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import textstat
from hypothesis import given
from hypothesis import strategies as st

from courts.guidance import CourtFacts, ViolationFacts, court_guidance, guidance_for

OPEN = ViolationFacts(
    description="Improper Passing",
    is_open=True,
    dismissed=False,
    can_pay_online=True,
    amount_owed=Decimal("163.54"),
    court_name="Ballwin Court",
    court_phone="636-227-9468",
    court_address="300 Park Drive, St. Louis",
    payment_url="https://pay.example.org/ballwin",
    payment_system="iPayCourt",
    court_date=date(2026, 12, 15),
    court_time="1:30 PM",
    rights_url="https://court.example.org/rights",
    today=date(2026, 11, 25),
)
HIGHEST_GRADE = 8.0


def situations(facts: ViolationFacts) -> list[str]:
    return [step.situation for step in guidance_for(facts)]


def test_an_open_payable_violation_can_be_paid_online_before_court():
    steps = guidance_for(OPEN)

    assert [step.situation for step in steps] == ["pay_online", "appear", "cannot_pay", "rights"]
    assert "$163.54" in steps[0].text and steps[0].link == OPEN.payment_url
    assert "Tuesday, December 15, 2026 at 1:30 PM" in steps[1].text


def test_a_violation_that_cannot_be_paid_online_is_paid_in_person():
    assert situations(replace(OPEN, can_pay_online=False))[0] == "pay_in_person"
    assert situations(replace(OPEN, payment_url=""))[0] == "pay_in_person"


def test_a_warrant_comes_first_and_names_its_number():
    steps = guidance_for(replace(OPEN, warrant_number="WA4294944", can_pay_online=False, amount_owed=Decimal(0)))

    assert steps[0].situation == "warrant" and "WA4294944" in steps[0].text
    assert "pay_in_person" not in [step.situation for step in steps]


def test_paying_online_with_a_warrant_out_says_the_warrant_may_stay():
    steps = guidance_for(replace(OPEN, warrant_number="WA1"))

    assert [step.situation for step in steps][:2] == ["warrant", "pay_online"]
    assert "may not clear the warrant" in steps[1].text


def test_a_closed_or_dismissed_violation_needs_nothing():
    assert situations(replace(OPEN, is_open=False)) == ["closed"]
    dismissed = guidance_for(replace(OPEN, is_open=False, dismissed=True))
    assert len(dismissed) == 1 and "dropped" in dismissed[0].text


def test_a_court_date_that_has_passed_is_not_given_as_the_next_step():
    assert "appear" not in situations(replace(OPEN, court_date=date(2026, 1, 5)))


FACTS = st.builds(
    ViolationFacts,
    description=st.just("Speeding"),
    is_open=st.booleans(),
    dismissed=st.booleans(),
    can_pay_online=st.booleans(),
    amount_owed=st.decimals(min_value=0, max_value=5000, places=2),
    court_name=st.just("Ballwin Court"),
    court_phone=st.just("636-227-9468"),
    court_address=st.just("300 Park Drive"),
    warrant_number=st.sampled_from(["", "WA1"]),
    payment_url=st.sampled_from(["", "https://pay.example.org"]),
    court_date=st.one_of(st.none(), st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1))),
    today=st.just(date(2026, 11, 25)),
)


@given(FACTS)
def test_every_violation_gets_steps_warrant_first_and_rights_last_when_open(facts):
    steps = situations(facts)

    assert steps
    assert len(steps) == len(set(steps))
    if facts.warrant_number:
        assert steps[0] == "warrant" and "closed" not in steps
    if facts.is_open:
        assert steps[-1] == "rights" and "closed" not in steps
    else:
        assert steps == (["warrant"] if facts.warrant_number else ["closed"])
    assert not ("pay_online" in steps and "pay_in_person" in steps)


def test_the_guidance_reads_at_a_sixth_to_eighth_grade_level():
    everything = [
        *guidance_for(replace(OPEN, warrant_number="WA1")),
        *guidance_for(replace(OPEN, can_pay_online=False)),
        *guidance_for(replace(OPEN, is_open=False, dismissed=True)),
        *court_guidance(
            CourtFacts(
                court_name="Ballwin Court",
                court_phone="636-227-9468",
                court_address="300 Park Drive",
                payment_url="https://pay.example.org",
            )
        ),
    ]
    for step in everything:
        grade = textstat.flesch_kincaid_grade(step.text)
        assert grade <= HIGHEST_GRADE, (step.situation, grade, step.text)
    whole = " ".join(step.text for step in everything)
    assert textstat.flesch_kincaid_grade(whole) <= 7.0
