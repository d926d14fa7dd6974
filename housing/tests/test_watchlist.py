"""The monthly meeting's agenda and watchlist, as DC housing staff use them in the admin."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from housing.models import Meeting, Project, ProjectNote, RiskAssessment, Subsidy, WatchlistEntry
from housing.risk import risk_assessment_refresh

CATALOG_DAY = date(2016, 4, 1)
MEETING_PERMISSIONS = (
    "view_project",
    "view_riskassessment",
    "view_meeting",
    "add_meeting",
    "view_watchlistentry",
    "add_watchlistentry",
    "view_projectnote",
    "add_projectnote",
)


@pytest.fixture
def dc_data(dc_data) -> None:
    risk_assessment_refresh(as_of=CATALOG_DAY)
    # As if every level had been settled long before the meetings below.
    RiskAssessment.objects.update(level_changed_at=timezone.now() - timedelta(days=90))


@pytest.fixture
def meetings(dc_data) -> tuple[Meeting, Meeting]:
    today = timezone.localdate()
    return Meeting.objects.create(held_on=today - timedelta(days=30)), Meeting.objects.create(held_on=today)


@pytest.fixture
def staff_client(client, dc_staff):
    dc_staff.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="housing", codename__in=MEETING_PERMISSIONS)
    )
    client.force_login(dc_staff)
    return client


def agenda(client, meeting: Meeting, **query: str):
    return client.get(reverse("admin:housing_meeting_agenda", args=[meeting.pk]), query)


def test_a_project_whose_risk_rose_since_the_last_meeting_is_on_the_agenda(staff_client, meetings):
    low = RiskAssessment.objects.filter(level="low", project__subsidies__active=True).first()
    Subsidy.objects.filter(project=low.project, active=True).update(
        poa_start=date(2000, 1, 1), poa_end=date(2016, 9, 30)
    )
    risk_assessment_refresh(as_of=CATALOG_DAY)

    page = agenda(staff_client, meetings[1])

    assert page.status_code == 200
    assert [item.project for item in page.context["items"]] == [low.project]
    text = page.content.decode()
    assert "Risk rose from low to high" in text
    assert "Affordability ends within 1 year" in text
    # The first meeting had no meeting before it: everything then at medium or high was new.
    first_agenda = [item.project for item in agenda(staff_client, meetings[0]).context["items"]]
    assert first_agenda and low.project not in first_agenda


def test_staff_put_a_project_on_the_watchlist_and_note_it(staff_client, meetings, dc_staff):
    project = Project.objects.get(nlihc_id="NL000001")

    staff_client.post(reverse("admin:housing_watchlistentry_add"), {"project": project.pk, "reason": "Owner may sell"})
    staff_client.post(reverse("admin:housing_projectnote_add"), {"project": project.pk, "text": "Called the owner."})

    entry = WatchlistEntry.objects.get(project=project)
    assert (entry.reason, entry.added_by) == ("Owner may sell", dc_staff)
    assert ProjectNote.objects.get(project=project).author == dc_staff
    items = agenda(staff_client, meetings[1]).context["items"]
    assert [(item.project, item.why) for item in items] == [(project, "On the watchlist: Owner may sell")]
    assert items[0].notes[0].text == "Called the owner."


def test_notes_are_history_staff_cannot_rewrite(staff_client, dc_data, dc_staff):
    note = ProjectNote.objects.create(project=Project.objects.first(), text="First call.", author=dc_staff)

    response = staff_client.post(reverse("admin:housing_projectnote_change", args=[note.pk]), {"text": "Rewritten"})

    assert response.status_code in (302, 403)
    note.refresh_from_db()
    assert note.text == "First call."
    assert (
        staff_client.post(reverse("admin:housing_projectnote_delete", args=[note.pk]), {"post": "yes"}).status_code
        == 403
    )


def test_the_agenda_csv_holds_exactly_the_rows_shown(staff_client, meetings):
    for project in Project.objects.order_by("nlihc_id")[:3]:
        WatchlistEntry.objects.create(project=project, reason="Check in")

    page = agenda(staff_client, meetings[1])
    download = agenda(staff_client, meetings[1], format="csv")

    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert download["Content-Type"].startswith("text/csv")
    assert [row["NLIHC id"] for row in rows] == [item.project.nlihc_id for item in page.context["items"]]
    assert all(row["Why on the agenda"] == "On the watchlist: Check in" for row in rows)


def test_staff_without_the_housing_permissions_cannot_see_the_agenda(client, st_louis_staff, meetings):
    client.force_login(st_louis_staff)

    assert agenda(client, meetings[1]).status_code == 403


def test_the_agenda_csv_writes_formula_like_names_as_text(staff_client, meetings):
    project = Project.objects.order_by("nlihc_id").first()
    Project.objects.filter(pk=project.pk).update(name='=HYPERLINK("http://evil.example","Click")')
    WatchlistEntry.objects.create(project=project, reason="@SUM(1+1)")

    download = agenda(staff_client, meetings[1], format="csv")

    row = next(
        row for row in csv.DictReader(io.StringIO(download.content.decode())) if row["NLIHC id"] == project.nlihc_id
    )
    assert row["Project"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert row["Why on the agenda"] == "On the watchlist: @SUM(1+1)"
