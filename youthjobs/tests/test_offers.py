"""Offers reach the youth: approving a run emails and texts each offered youth their private
link, once; a link works until answered; a moved offer is sent again and the old link stops."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from cities.models import SentMessage
from youthjobs.models import MatchRun, PlacementState, Season
from youthjobs.offers import offers_send
from youthjobs.placements import match_run_approve, placement_override
from youthjobs.services import match_run_execute
from youthjobs.tests.factories import PositionFactory

LINK = re.compile(r"http://[^/\s]+(/cities/boston/summer-jobs/offers/[^/\s]+/)")


@pytest.fixture
def run(small_season) -> MatchRun:
    return match_run_execute(
        run_id=MatchRun.objects.create(season=Season.objects.get(), mechanism="optimal", seed=6).pk
    )


def approve(run: MatchRun, staff, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        match_run_approve(run=run, approved_by=staff)


def test_approval_sends_each_youth_their_offer_by_email_and_sms(
    run, boston_staff, sms_outbox, django_capture_on_commit_callbacks
) -> None:
    offered = run.placements.count()
    # Phone numbers are encrypted: the database cannot filter on them.
    with_phone = sum(1 for placement in run.placements.select_related("applicant") if placement.applicant.phone)

    approve(run, boston_staff, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == offered
    assert len(sms_outbox) == with_phone > 0
    email = mail.outbox[0]
    assert email.subject == "Your Boston summer job offer"
    assert "Accept or decline it by" in email.body and "To stop these messages" in email.body
    assert LINK.search(sms_outbox[0].body)
    assert (
        SentMessage.objects.filter(purpose="youthjobs.offer", status=SentMessage.Status.SENT).count()
        == offered + with_phone
    )


def test_the_emailed_link_opens_the_offer(client, run, boston_staff, django_capture_on_commit_callbacks) -> None:
    approve(run, boston_staff, django_capture_on_commit_callbacks)
    path = LINK.search(mail.outbox[0].body).group(1)

    page = client.get(path)
    accepted = client.post(path, {"answer": "accept"})

    assert page.status_code == 200 and "Accept this job" in page.content.decode()
    assert accepted.status_code == 200
    assert run.placements.filter(state=PlacementState.ACCEPTED).count() == 1


def test_sending_again_sends_nothing_twice(run, boston_staff, sms_outbox, django_capture_on_commit_callbacks) -> None:
    approve(run, boston_staff, django_capture_on_commit_callbacks)
    sent = len(mail.outbox) + len(sms_outbox)

    counts = offers_send(run_id=run.pk)

    assert counts["sent"] == 0 and counts["sent_before"] == sent
    assert len(mail.outbox) + len(sms_outbox) == sent


def test_a_moved_offer_is_sent_again_and_the_old_link_is_stale(
    client, run, boston_staff, django_capture_on_commit_callbacks
) -> None:
    approve(run, boston_staff, django_capture_on_commit_callbacks)
    placement = next(
        placement
        for placement in run.placements.filter(is_direct_hire=False).select_related("applicant")
        if not placement.applicant.phone
    )
    old_path = next(LINK.search(m.body).group(1) for m in mail.outbox if m.to[0].startswith(placement.applicant.email))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        placement_override(
            placement=placement,
            position=PositionFactory(season=run.season, title="Library aide"),
            by=boston_staff,
            reason="Closer",
        )

    assert len(mail.outbox) == 1 and "Library aide" in mail.outbox[0].body
    stale = client.post(old_path, {"answer": "accept"})
    assert stale.status_code == 409 and "not valid" in stale.content.decode()
    new_path = LINK.search(mail.outbox[0].body).group(1)
    assert client.post(new_path, {"answer": "decline"}).status_code == 200


def test_offer_messages_carry_no_surname_birth_date_or_home(
    run, boston_staff, django_capture_on_commit_callbacks
) -> None:
    approve(run, boston_staff, django_capture_on_commit_callbacks)
    applicants = [placement.applicant for placement in run.placements.select_related("applicant")]

    bodies = "\n".join(email.body for email in mail.outbox)

    assert "Hello Synthetic," in bodies
    for applicant in applicants:
        assert applicant.last_name not in bodies
        assert applicant.date_of_birth.isoformat() not in bodies
        assert f"{applicant.home_latitude:.4f}" not in bodies
