"""DC's shipped role at work: housing staff keep notes and the watchlist and read the
agenda; they reach no other city's data and upload no files."""

from __future__ import annotations

from django.urls import reverse

from housing.models import Meeting, Project, ProjectNote, WatchlistEntry
from housing.roles import DC_STAFF


def test_dc_housing_staff_note_and_watch_a_project_and_read_the_agenda(client, member_of, dc_data) -> None:
    project = Project.objects.order_by("nlihc_id").first()
    client.force_login(member_of(DC_STAFF))

    client.post(reverse("admin:housing_projectnote_add"), {"project": project.pk, "text": "Called the owner."})
    client.post(reverse("admin:housing_watchlistentry_add"), {"project": project.pk, "reason": "Sale rumoured."})
    client.post(reverse("admin:housing_meeting_add"), {"held_on": "2026-12-10", "notes": ""})
    meeting = Meeting.objects.get()
    agenda = client.get(reverse("admin:housing_meeting_agenda", args=[meeting.pk]))

    assert ProjectNote.objects.get().author.username == "dc-housing-staff"
    assert WatchlistEntry.objects.get().reason == "Sale rumoured."
    assert agenda.status_code == 200
    assert client.get(reverse("admin:housing_parcel_changelist")).status_code == 200


def test_dc_housing_staff_are_refused_other_cities_and_uploads(client, member_of) -> None:
    client.force_login(member_of(DC_STAFF))

    for name in (
        "admin:youthjobs_applicant_changelist",
        "admin:courts_citation_changelist",
        "admin:courts_story_changelist",
        "admin:cities_ingestionrun_changelist",
        "admin:cities_dataset_add",
    ):
        assert client.get(reverse(name)).status_code == 403, name
