"""Who may be matched, and why not: the programme's rules applied to every applicant, the
reasons kept so that staff can tell an ineligible youth why (never a silent drop).

Rules (Boston DYEE summer jobs):
- age 14 to 24 on the season's first day;
- home in Boston (the point lies inside one of the City's neighbourhoods);
- below 18, a work permit (Massachusetts youth employment permit);
- a position takes youth at least its minimum age on the first day: a pair rule, applied
  when candidate pairs are built (`old_enough`), not a reason to refuse the applicant.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from django.db import transaction
from django.utils import timezone

from youthjobs.figures_version import figures_changed
from youthjobs.models import (
    MAXIMUM_AGE,
    MINIMUM_AGE,
    WORK_PERMIT_BELOW_AGE,
    Applicant,
    Eligibility,
    EligibilityFact,
)


def ages_on(*, born: pd.Series, day: date) -> np.ndarray:
    """Whole years of age on `day` of people born on `born` (dates), vectorised."""
    born = pd.to_datetime(born)
    had_birthday = (born.dt.month < day.month) | ((born.dt.month == day.month) & (born.dt.day <= day.day))
    ages: np.ndarray = (day.year - born.dt.year - (~had_birthday).astype(int)).to_numpy(dtype=int)
    return ages


def old_enough(*, ages: np.ndarray, minimum_ages: np.ndarray) -> np.ndarray:
    """Whether each youth (age on the first day) may take each paired position."""
    return ages >= minimum_ages


def ineligibility_reasons(*, age: int, starts_on: date, lives_in_boston: bool, has_work_permit: bool) -> list[str]:
    """Every reason an applicant of this age, residence and permit cannot be placed; empty
    when they can."""
    reasons = []
    if not MINIMUM_AGE <= age <= MAXIMUM_AGE:
        reasons.append(
            f"Aged {age} on {starts_on:%B} {starts_on.day}, the programme's first day; "
            f"the programme takes ages {MINIMUM_AGE} to {MAXIMUM_AGE}."
        )
    if not lives_in_boston:
        reasons.append("The home address given lies outside the City of Boston; the programme is for Boston residents.")
    if age < WORK_PERMIT_BELOW_AGE and not has_work_permit:
        reasons.append(
            f"No work permit: Massachusetts requires one below age {WORK_PERMIT_BELOW_AGE}; "
            "the youth can get one from their school and reapply."
        )
    return reasons


@transaction.atomic
def eligibility_refresh(*, applicant_ids: list[int] | None = None) -> dict[str, int]:
    """Decide every applicant's (or only these applicants') eligibility afresh from their
    season's first day and store it (one row per applicant, created or updated in bulk). A
    fact staff recorded (`EligibilityFact`) counts as the file's own value. Returns counts of
    eligible and ineligible applicants. Idempotent: a second call stores the same decisions."""
    applicants = Applicant.objects.all() if applicant_ids is None else Applicant.objects.filter(pk__in=applicant_ids)
    rows = pd.DataFrame.from_records(
        applicants.values_list("pk", "date_of_birth", "neighbourhood", "has_work_permit", "season__starts_on"),
        columns=["applicant", "born", "neighbourhood", "permit", "starts_on"],
    )
    if rows.empty:
        return {"eligible": 0, "ineligible": 0}
    facts = EligibilityFact.objects.filter(applicant__in=applicants)
    with_permit = set(facts.filter(fact=EligibilityFact.Fact.WORK_PERMIT).values_list("applicant", flat=True))
    residents = set(facts.filter(fact=EligibilityFact.Fact.BOSTON_RESIDENT).values_list("applicant", flat=True))
    now = timezone.now()
    decisions = []
    for starts_on, season_rows in rows.groupby("starts_on"):
        ages = ages_on(born=season_rows["born"], day=starts_on)
        for applicant, age, neighbourhood, permit in zip(
            season_rows["applicant"], ages, season_rows["neighbourhood"], season_rows["permit"], strict=True
        ):
            reasons = ineligibility_reasons(
                age=int(age),
                starts_on=starts_on,
                lives_in_boston=bool(neighbourhood) or applicant in residents,
                has_work_permit=bool(permit) or applicant in with_permit,
            )
            decisions.append(
                Eligibility(
                    applicant_id=int(applicant),
                    eligible=not reasons,
                    reasons=reasons,
                    age_on_start=max(int(age), 0),
                    checked_at=now,
                )
            )
    Eligibility.objects.bulk_create(
        decisions,
        update_conflicts=True,
        unique_fields=["applicant"],
        update_fields=["eligible", "reasons", "age_on_start", "checked_at"],
        batch_size=2000,
    )
    figures_changed()
    eligible = sum(decision.eligible for decision in decisions)
    return {"eligible": eligible, "ineligible": len(decisions) - eligible}
