"""The admin's home page is the staff's: titled for the portal, it lists what waits for each
team the user belongs to, each count a link to the list of exactly those rows."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cities.ingestion import ingest_path
from cities.models import Dataset, IngestionRun
from courts.models import Story
from courts.roles import ST_LOUIS_STAFF
from courts.tests.factories import StoryFactory
from housing.models import Meeting
from housing.roles import DC_STAFF
from youthjobs.models import MatchRun, Placement, PlacementState
from youthjobs.tests.factories import ApplicantFactory, PositionFactory, SeasonFactory


def waiting(page: str) -> dict[str, tuple[str, int]]:
    """Each waiting-work row of the home page: its label → (link, count)."""
    rows = re.findall(r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th>\s*<td>(\d+)</td>', page)
    return {label: (url.replace("&amp;", "&"), int(count)) for url, label, count in rows}


def listed(client, url: str) -> list:
    return list(client.get(url).context["cl"].result_list)


def test_the_home_lists_what_waits_for_every_team_with_links_to_exactly_those_rows(
    admin_client, demo_data, tmp_path
) -> None:
    season = SeasonFactory()
    waiting_run = MatchRun.objects.create(season=season, mechanism="optimal", seed=1, status=MatchRun.Status.FINISHED)
    MatchRun.objects.create(
        season=season, round=2, mechanism="optimal", seed=1, status=MatchRun.Status.FINISHED, approved_at=timezone.now()
    )
    MatchRun.objects.create(season=season, round=2, mechanism="greedy", seed=2, status=MatchRun.Status.FINISHED)
    soon, later = (
        Placement.objects.create(
            run=waiting_run,
            applicant=ApplicantFactory(season=season),
            position=PositionFactory(season=season),
            state=PlacementState.OFFERED,
            offer_expires_at=timezone.now() + expires_in,
        )
        for expires_in in (timedelta(hours=20), timedelta(days=5))
    )
    pending = StoryFactory()
    StoryFactory(status=Story.Status.APPROVED)
    upcoming = Meeting.objects.create(held_on=timezone.localdate() + timedelta(days=3))
    Meeting.objects.create(held_on=timezone.localdate() - timedelta(days=30))
    bad_file = tmp_path / "bad-grants.csv"
    bad_file.write_text(
        "reference,funder,city,amount,purpose,starts_on,ends_on\nx,nobody,gotham,1,x,2017-01-01,2017-12-31\n"
    )
    failed = ingest_path(dataset=Dataset.objects.get(slug="grants"), path=bad_file)

    page = admin_client.get(reverse("admin:index")).content.decode()
    rows = waiting(page)

    assert "<title>Staff home | Civic Portal staff</title>" in page and "Django administration" not in page
    assert failed.status == IngestionRun.Status.FAILED
    assert rows["Runs waiting for approval"][1] == 1
    assert listed(admin_client, rows["Runs waiting for approval"][0]) == [waiting_run]
    assert rows["Offers expiring within 2 days"][1] == 1
    assert listed(admin_client, rows["Offers expiring within 2 days"][0]) == [soon]
    assert later.pk not in [
        placement.pk for placement in listed(admin_client, rows["Offers expiring within 2 days"][0])
    ]
    assert rows["Stories waiting for moderation"][1] == 1
    assert listed(admin_client, rows["Stories waiting for moderation"][0]) == [pending]
    assert rows["Meetings coming up"][1] == 1
    assert listed(admin_client, rows["Meetings coming up"][0]) == [upcoming]
    assert rows["Failed uploads"][1] == 1
    assert listed(admin_client, rows["Failed uploads"][0]) == [failed]


def test_a_failed_upload_stops_waiting_once_a_later_file_succeeds(
    client, core_staff, demo_data, django_capture_on_commit_callbacks
) -> None:
    grants = Dataset.objects.get(slug="grants")
    header = b"reference,funder,city,amount,purpose,starts_on,ends_on\n"
    client.force_login(core_staff)
    upload = reverse("admin:cities_dataset_upload", args=[grants.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            upload, {"file": SimpleUploadedFile("bad.csv", header + b"x,bny-mellon,gotham,1,x,2017-01-01,2017-12-31\n")}
        )
    before = waiting(client.get(reverse("admin:index")).content.decode())["Failed uploads"][1]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            upload,
            {"file": SimpleUploadedFile("good.csv", header + b"x,bny-mellon,boston,1,x,2017-01-01,2017-12-31\n")},
        )
    after = waiting(client.get(reverse("admin:index")).content.decode())["Failed uploads"][1]

    assert (before, after) == (1, 0)


def test_each_team_sees_only_its_own_waiting_work(client, member_of) -> None:
    client.force_login(member_of(DC_STAFF))
    dc_rows = waiting(client.get(reverse("admin:index")).content.decode())
    client.force_login(member_of(ST_LOUIS_STAFF))
    st_louis_rows = waiting(client.get(reverse("admin:index")).content.decode())

    assert list(dc_rows) == ["Meetings coming up"]
    assert list(st_louis_rows) == ["Stories waiting for moderation"]
