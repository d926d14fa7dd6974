"""Reads of the St. Louis court data that cross relations, for the pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from cities.models import Dataset, IngestionRun
from courts.guidance import (
    CourtFacts,
    GuidanceStep,
    TicketFacts,
    ViolationFacts,
    court_date_has_passed,
    court_guidance,
    guidance_for,
    ticket_without_charges_guidance,
)
from courts.models import Citation, Court, CourtDate, CourtQuestion, CourtSurvey, Judge, Municipality, Violation


@dataclass(frozen=True)
class ViolationResult:
    violation: Violation
    warrant_number: str
    amount_owed: Decimal
    guidance: list[GuidanceStep]


@dataclass(frozen=True)
class TicketResult:
    """One found citation as the resident sees it: no name, address or licence, only what
    they need to act."""

    citation: Citation
    court: Court | None
    courts_of_municipality: list[Court]
    payment_url: str
    next_court_date: CourtDate | None
    violations: list[ViolationResult]
    total_owed: Decimal
    court_date_passed: bool
    # For a ticket whose records list no charges: what that means and what to do.
    without_charges_guidance: list[GuidanceStep]

    @property
    def has_warrant(self) -> bool:
        return any(result.warrant_number for result in self.violations)

    @property
    def is_open(self) -> bool:
        """Something may still be asked of the resident: an open charge, or no charges listed."""
        return not self.violations or any(result.violation.is_open for result in self.violations)

    @property
    def reminder_offer(self) -> str:
        """Which offer the page makes: "upcoming" (reminders before the court date, or once one
        is set), "new_date" (the date passed: tell me when a new one is set), or "" (nothing
        left to remind of: every charge closed)."""
        if not self.is_open:
            return ""
        return "new_date" if self.court_date_passed else "upcoming"


def _next_court_date(citation: Citation, today: date) -> CourtDate | None:
    dates = list(citation.court_dates.all())
    upcoming = [court_date for court_date in dates if court_date.day >= today]
    if upcoming:
        return upcoming[0]
    return dates[-1] if dates else None


def ticket_results(*, citations: list[Citation], today: date) -> list[TicketResult]:
    """Each citation found by `courts.lookup.citations_find` with its guidance, reading only
    what that lookup prefetched (no query per row)."""
    results = []
    for citation in citations:
        municipality = citation.municipality
        serving = [link.court for link in municipality.court_links.all()] if municipality else []
        court = citation.court or (serving[0] if len(serving) == 1 else None)
        payment_url = municipality.payment_url if municipality else ""
        court_date = _next_court_date(citation, today)
        court_name = court.name if court else "the court"
        court_phone = court.phone_display if court else "the number on your ticket"
        violations = []
        for violation in citation.violations.all():
            warrant = getattr(violation, "warrant", None)
            warrant_number = warrant.warrant_number if warrant and warrant.status == warrant.Status.OUTSTANDING else ""
            facts = ViolationFacts(
                description=violation.description,
                is_open=violation.is_open,
                dismissed=violation.status == Violation.Status.DISMISSED,
                can_pay_online=violation.can_pay_online,
                amount_owed=violation.amount_owed,
                court_name=court_name,
                court_phone=court_phone,
                court_address=f"{court.address}, {court.city}" if court else "the address on your ticket",
                warrant_number=warrant_number,
                payment_url=payment_url,
                payment_system=court.payment_system if court else "",
                court_date=court_date.day if court_date else None,
                court_time=court_date.time_of_day.strftime("%-I:%M %p")
                if court_date and court_date.time_of_day
                else "",
                rights_url=court.rights_url if court else "",
                today=today,
            )
            violations.append(
                ViolationResult(
                    violation=violation,
                    warrant_number=warrant_number,
                    amount_owed=violation.amount_owed,
                    guidance=guidance_for(facts),
                )
            )
        results.append(
            TicketResult(
                citation=citation,
                court=court,
                courts_of_municipality=serving,
                payment_url=payment_url,
                next_court_date=court_date,
                violations=violations,
                total_owed=sum((result.amount_owed for result in violations), Decimal("0.00")),
                court_date_passed=court_date_has_passed(court_date.day if court_date else None, today),
                without_charges_guidance=[]
                if violations
                else ticket_without_charges_guidance(
                    TicketFacts(
                        court_name=court_name,
                        court_phone=court_phone,
                        court_date=court_date.day if court_date else None,
                        today=today,
                    )
                ),
            )
        )
    return results


@dataclass(frozen=True)
class CourtPage:
    court: Court
    judges: list[Judge]
    municipalities: list[Municipality]
    surveys: list[CourtSurvey]
    questions: CourtQuestions
    guidance: list[GuidanceStep]


def court_page(*, slug: str) -> CourtPage:
    """A court with its judges, the municipalities it serves (with their payment pages), what
    the 2015 survey found they publish, and the FAQ. Raises Court.DoesNotExist."""
    court = Court.objects.prefetch_related(
        Prefetch("judges", queryset=Judge.objects.order_by("name")),
        Prefetch(
            "municipalities",
            queryset=Municipality.objects.order_by("name").prefetch_related(
                Prefetch("surveys", queryset=CourtSurvey.objects.order_by("surveyed_name"))
            ),
        ),
    ).get(slug=slug)
    municipalities = list(court.municipalities.all())
    payment_url = next((municipality.payment_url for municipality in municipalities if municipality.payment_url), "")
    facts = CourtFacts(
        court_name=court.name,
        court_phone=court.phone_display,
        court_address=f"{court.address}, {court.city}",
        payment_url=payment_url,
        payment_system=court.payment_system,
        rights_url=court.rights_url,
    )
    return CourtPage(
        court=court,
        judges=list(court.judges.all()),
        municipalities=municipalities,
        surveys=[survey for municipality in municipalities for survey in municipality.surveys.all()],
        questions=court_questions(),
        guidance=court_guidance(facts),
    )


# The questions' dataset in the catalogue (see courts.services.COURTS_DEMO_FILES).
QUESTIONS_DATASET = "stl-court-questions"
# The source file carries no date; its licence dates it ("Copyright (c) 2016 CivTech St. Louis").
QUESTIONS_PUBLISHED = "2016"


@dataclass(frozen=True)
class CourtQuestions:
    """Another site's published answers, with what a page needs to say whose they are."""

    questions: list[CourtQuestion]
    source: Dataset | None
    copied_on: date | None
    published: str = QUESTIONS_PUBLISHED


def court_questions() -> CourtQuestions:
    """The YourSTLCourts questions and answers (tickets, paying, going to court, legal help,
    each topic in the source's order), with their catalogue entry and the day they were last
    taken in, for the attribution."""
    topics = list(CourtQuestion.Topic.values)
    questions = sorted(
        CourtQuestion.objects.all(), key=lambda question: (topics.index(question.topic), question.position)
    )
    source = Dataset.objects.filter(slug=QUESTIONS_DATASET).first()
    run = (
        IngestionRun.objects.filter(dataset=source, status=IngestionRun.Status.SUCCEEDED)
        .order_by("-finished_at")
        .first()
        if source
        else None
    )
    copied_on = timezone.localdate(run.finished_at) if run and run.finished_at else None
    return CourtQuestions(questions=questions, source=source, copied_on=copied_on)


def court_list() -> QuerySet[Court]:
    return Court.objects.prefetch_related(
        Prefetch("municipalities", queryset=Municipality.objects.order_by("name"))
    ).order_by("name")


def municipality_choices() -> list[tuple[int, str]]:
    return list(Municipality.objects.order_by("name").values_list("pk", "name"))


def citation_list_for_staff() -> QuerySet[Citation]:
    """Every citation with what the staff API shows of it, for tokens allowed defendants' data."""
    return Citation.objects.select_related("court", "municipality").prefetch_related(
        Prefetch("violations", queryset=Violation.objects.select_related("warrant")),
        Prefetch("court_dates", queryset=CourtDate.objects.order_by("day")),
    )
