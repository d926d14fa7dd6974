"""The monthly meeting's agenda and watchlist, as DC housing staff use them in the admin."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta

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


def test_the_first_meeting_counts_no_rise_of_the_day_the_files_arrived(staff_client, dc_data):
    """Each DC file's ingestion reassesses every project: on the day they arrive a project rises
    from the low of having no subsidies yet. The first meeting's baseline is that day's end."""
    loaded_on = timezone.localdate() - timedelta(days=90)
    first_assessed = timezone.make_aware(datetime.combine(loaded_on, time(9)))
    RiskAssessment.objects.update(level_changed_at=first_assessed)
    RiskAssessment.objects.exclude(level="low").update(
        previous_level="low", level_changed_at=first_assessed + timedelta(hours=1)
    )
    later = RiskAssessment.objects.filter(level="high").first()
    RiskAssessment.objects.filter(pk=later.pk).update(level_changed_at=first_assessed + timedelta(days=10))
    meeting = Meeting.objects.create(held_on=timezone.localdate())

    assert [item.project for item in agenda(staff_client, meeting).context["items"]] == [later.project]


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
    # A project's first assessment is a baseline: the first meeting lists only real rises.
    baseline = set(
        RiskAssessment.objects.exclude(level="low").filter(previous_level="").values_list("project", flat=True)
    )
    first_agenda = agenda(staff_client, meetings[0]).context["items"]
    assert baseline and not baseline & {item.project.pk for item in first_agenda}


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


def test_a_watched_project_that_rose_shows_both_the_rise_and_staffs_reason(staff_client, meetings):
    low = RiskAssessment.objects.filter(level="low", project__subsidies__active=True).first()
    Subsidy.objects.filter(project=low.project, active=True).update(
        poa_start=date(2000, 1, 1), poa_end=date(2016, 9, 30)
    )
    risk_assessment_refresh(as_of=CATALOG_DAY)
    staff_client.post(
        reverse("admin:housing_watchlistentry_add"), {"project": low.project.pk, "reason": "Sale rumoured"}
    )

    (item,) = agenda(staff_client, meetings[1]).context["items"]

    assert item.why.startswith("Risk rose from low to high") and item.why.endswith("; on the watchlist: Sale rumoured")


def test_a_note_entered_in_error_is_kept_struck_through_and_leaves_the_agenda(staff_client, meetings, dc_staff):
    project = Project.objects.get(nlihc_id="NL000001")
    dc_staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="housing", codename="change_projectnote")
    )
    WatchlistEntry.objects.create(project=project, reason="Owner may sell")
    right = ProjectNote.objects.create(project=project, text="Owner called back.", author=dc_staff)
    wrong = ProjectNote.objects.create(project=project, text="Owner sold (wrong project).", author=dc_staff)

    response = staff_client.post(
        reverse("admin:housing_projectnote_changelist"),
        {"action": "mark_entered_in_error", "_selected_action": [wrong.pk]},
        follow=True,
    )
    listing = response.content.decode()

    wrong.refresh_from_db()
    assert wrong.entered_in_error_by == dc_staff and wrong.text == "Owner sold (wrong project)."
    assert "1 note marked as entered in error." in listing
    assert "<s>Owner sold (wrong project).</s>" in listing and "<s>Owner called back.</s>" not in listing
    assert agenda(staff_client, meetings[1]).context["items"][0].notes == [right]


def test_staff_without_the_change_permission_cannot_mark_notes_in_error(staff_client, dc_data, dc_staff):
    note = ProjectNote.objects.create(project=Project.objects.first(), text="First call.", author=dc_staff)

    staff_client.post(
        reverse("admin:housing_projectnote_changelist"),
        {"action": "mark_entered_in_error", "_selected_action": [note.pk]},
    )

    note.refresh_from_db()
    assert note.entered_in_error_at is None


def test_the_project_autocomplete_ranks_by_name_match(staff_client, dc_data):
    # Six DC project names start with "Park", more have it as a later word or inside one, and
    # more projects still are found by an address on a Park Road.
    term = "Park"
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": "housing", "model_name": "projectnote", "field_name": "project"},
    )
    names = [Project.objects.get(pk=result["id"]).name for result in response.json()["results"]]

    def rank(name: str) -> int:
        lowered, wanted = name.lower(), term.lower()
        if lowered == wanted:
            return 1
        if lowered.startswith(wanted):
            return 2
        if f" {wanted}" in lowered:
            return 3
        return 4 if wanted in lowered else 5

    assert [rank(name) for name in names] == sorted(rank(name) for name in names)
    assert [rank(name) for name in names[:6]] == [2] * 6


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
