"""Boston's staff actions in the audit trail: starting and approving a run, changing a
placement with its reason, opening a youth's personal data; each on the object's History."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.urls import reverse

from youthjobs.models import Applicant
from youthjobs.roles import BOSTON_SUPERVISORS
from youthjobs.tests.test_admin import start_run


def entries_for(obj) -> list[LogEntry]:
    return list(LogEntry.objects.get_for_object(obj).order_by("timestamp", "pk"))


def test_starting_approving_and_changing_placements_are_recorded_with_who_and_why(
    client, member_of, small_season, django_capture_on_commit_callbacks
) -> None:
    supervisor = member_of(BOSTON_SUPERVISORS)
    client.force_login(supervisor)
    run = start_run(client, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:youthjobs_matchrun_approve", args=[run.pk]))
    placement = run.placements.filter(is_direct_hire=False).first()
    client.post(
        reverse("admin:youthjobs_placement_override", args=[placement.pk]),
        {"to_state": "withdrawn", "reason": "Moved out of Boston"},
    )

    run_entries = entries_for(run)
    placement_entries = entries_for(placement)
    history = client.get(reverse("admin:youthjobs_placement_history", args=[placement.pk])).content.decode()

    assert run_entries[0].action == LogEntry.Action.CREATE and run_entries[0].actor == supervisor
    approval = run_entries[-1]
    assert approval.action == LogEntry.Action.UPDATE and approval.actor == supervisor
    assert "approved_at" in approval.changes_dict
    change = placement_entries[-1]
    assert change.actor == supervisor and change.changes_dict["state"] == ["offered", "withdrawn"]
    assert change.additional_data == {"why": "Moved out of Boston"}
    assert "Audit trail" in history and "Moved out of Boston" in history and supervisor.username in history


def test_opening_a_youths_page_is_recorded_as_a_view_of_personal_data(client, boston_staff) -> None:
    from youthjobs.tests.factories import ApplicantFactory

    applicant: Applicant = ApplicantFactory()
    client.force_login(boston_staff)

    client.get(reverse("admin:youthjobs_applicant_change", args=[applicant.pk]))
    client.get(reverse("admin:youthjobs_applicant_changelist"))

    (entry,) = entries_for(applicant)
    assert entry.action == LogEntry.Action.ACCESS and entry.actor == boston_staff
    assert entry.additional_data["why"] == f"opened /admin/youthjobs/applicant/{applicant.pk}/change/"
    # The trail names the record, not the youth.
    assert applicant.last_name not in entry.object_repr
