"""A youth's case as staff work it: notes, eligibility facts, an open offer sent again or
given more time; lapsed offers read expired and never count as placed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cities.models import SentMessage
from youthjobs.casework import (
    CaseError,
    applicant_note_add,
    eligibility_fact_record,
    offer_deadline_extend,
    offer_resend,
)
from youthjobs.eligibility import eligibility_refresh
from youthjobs.models import EligibilityFact, MatchRun, Placement, PlacementState, Season
from youthjobs.placements import match_run_approve, run_state_counts
from youthjobs.selectors import applicant_case, programme_figures
from youthjobs.services import match_run_execute
from youthjobs.tests.factories import ApplicantFactory


@pytest.fixture
def offered(small_season, boston_staff, django_capture_on_commit_callbacks) -> Placement:
    run = match_run_execute(run_id=MatchRun.objects.create(season=Season.objects.get(), mechanism="optimal", seed=1).pk)
    with django_capture_on_commit_callbacks(execute=True):
        match_run_approve(run=run, approved_by=boston_staff)
    return run.placements.select_related("applicant").filter(applicant__email__isnull=False).first()


def test_a_work_permit_recorded_with_a_reason_makes_the_youth_eligible(db, boston_staff) -> None:
    applicant = ApplicantFactory(has_work_permit=False)  # aged 16 on the first day
    eligibility_refresh()
    assert not applicant.eligibility.eligible

    with pytest.raises(CaseError, match="say how you know"):
        eligibility_fact_record(applicant=applicant, fact=EligibilityFact.Fact.WORK_PERMIT, reason=" ", by=boston_staff)
    assert not applicant.eligibility_facts.exists()

    decision = eligibility_fact_record(
        applicant=applicant, fact=EligibilityFact.Fact.WORK_PERMIT, reason="Permit 1234 seen", by=boston_staff
    )

    assert decision.eligible and decision.reasons == []
    eligibility_refresh()  # a later refresh (after the next file) keeps the fact
    applicant.eligibility.refresh_from_db()
    assert applicant.eligibility.eligible


def test_notes_are_appended_with_their_author_and_an_empty_one_is_refused(db, boston_staff) -> None:
    applicant = ApplicantFactory()

    with pytest.raises(CaseError):
        applicant_note_add(applicant=applicant, text="  ", by=boston_staff)
    applicant_note_add(applicant=applicant, text="Called her mother", by=boston_staff)
    applicant_note_add(applicant=applicant, text="She will bring the permit", by=boston_staff)

    notes = applicant_case(applicant).notes
    assert [(note.text, note.written_by) for note in notes] == [
        ("Called her mother", boston_staff),
        ("She will bring the permit", boston_staff),
    ]


def test_an_open_offer_is_sent_again_once_per_request(
    offered, boston_staff, django_capture_on_commit_callbacks
) -> None:
    before = SentMessage.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        assert offer_resend(placement=offered, by=boston_staff) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert offer_resend(placement=offered, by=boston_staff) == 2

    assert SentMessage.objects.count() - before == 2 * (1 + bool(offered.applicant.phone))
    case = applicant_case(offered.applicant)
    assert len(case.placements[0].messages) == 3 * (1 + bool(offered.applicant.phone))
    assert case.placements[0].offer_link.startswith("http")


def test_a_deadline_moves_later_with_a_reason_or_not_at_all(offered, boston_staff) -> None:
    deadline = offered.offer_expires_at
    later = deadline + timedelta(days=3)

    for until, reason in (
        (later, ""),
        (deadline - timedelta(hours=1), "late post"),
        (timezone.now() - timedelta(days=1), "x"),
    ):
        with pytest.raises(CaseError):
            offer_deadline_extend(placement=offered, until=until, by=boston_staff, reason=reason)
    offered.refresh_from_db()
    assert offered.offer_expires_at == deadline

    offer_deadline_extend(placement=offered, until=later, by=boston_staff, reason="Family away")

    offered.refresh_from_db()
    assert offered.offer_expires_at == later
    assert "Family away" in offered.events.latest("pk").reason


def test_an_offer_past_its_deadline_reads_expired_and_is_not_placed_without_a_scheduler(offered, boston_staff) -> None:
    season = offered.run.season
    placed_before = programme_figures(season)["placed"]
    Placement.objects.filter(pk=offered.pk).update(offer_expires_at=timezone.now() - timedelta(minutes=1))
    offered.refresh_from_db()

    assert offered.state == PlacementState.OFFERED and offered.shown_state == "Expired"
    assert programme_figures(season)["placed"] == placed_before - 1
    assert run_state_counts(offered.run)[PlacementState.EXPIRED] == 1
    assert applicant_case(offered.applicant).placements[0].offer_link == ""
    with pytest.raises(CaseError, match="expired"):
        offer_resend(placement=offered, by=boston_staff)
    with pytest.raises(CaseError, match="expired"):
        offer_deadline_extend(
            placement=offered, until=timezone.now() + timedelta(days=2), by=boston_staff, reason="late"
        )


def test_the_case_page_shows_eligibility_offers_messages_and_notes_without_addresses(
    client, boston_staff, offered
) -> None:
    applicant_note_add(applicant=offered.applicant, text="Prefers mornings", by=boston_staff)
    client.force_login(boston_staff)

    page = client.get(reverse("admin:youthjobs_applicant_change", args=[offered.applicant.pk])).content.decode()

    assert "Eligible" in page and offered.position.title in page and "Offered" in page
    assert "Email: Your Boston summer job offer (sent" in page
    assert "Prefers mornings" in page and "boston-staff" in page
    assert "/cities/boston/summer-jobs/offers/" in page
    assert "Send the offer again" in page and "Extend the deadline" in page
    recorded_addresses = [message.recipient_digest for message in SentMessage.objects.all()]
    assert not any(digest in page for digest in recorded_addresses)


def test_other_cities_staff_cannot_act_on_a_case(client, dc_staff, offered) -> None:
    client.force_login(dc_staff)
    applicant = offered.applicant

    note = client.post(reverse("admin:youthjobs_applicant_note", args=[applicant.pk]), {"note-text": "x"})
    resend = client.post(reverse("admin:youthjobs_applicant_offer_resend", args=[applicant.pk, offered.pk]))

    assert (note.status_code, resend.status_code) == (403, 403)
    assert not applicant.notes.exists()
    assert not offered.events.exclude(to_state=PlacementState.OFFERED, from_state=PlacementState.PROPOSED).exists()
