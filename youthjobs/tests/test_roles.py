"""Boston's shipped roles at work: staff start runs and review placements, only supervisors
approve a run; neither reaches another city's data or the file uploads."""

from __future__ import annotations

from django.urls import reverse

from cities.models import Dataset
from youthjobs.models import MatchRun, PlacementState
from youthjobs.roles import BOSTON_STAFF, BOSTON_SUPERVISORS
from youthjobs.tests.test_admin import start_run


def test_boston_staff_start_a_run_but_may_not_approve_it(
    client, member_of, small_season, django_capture_on_commit_callbacks
) -> None:
    client.force_login(member_of(BOSTON_STAFF))
    run = start_run(client, django_capture_on_commit_callbacks)

    page = client.get(reverse("admin:youthjobs_matchrun_change", args=[run.pk])).content.decode()
    refused = client.post(reverse("admin:youthjobs_matchrun_approve", args=[run.pk]))

    assert "By neighbourhood" in page and "Approve this run" not in page
    assert refused.status_code == 403
    run.refresh_from_db()
    assert run.approved_at is None
    assert set(run.placements.values_list("state", flat=True)) == {PlacementState.PROPOSED}
    assert client.get(reverse("admin:youthjobs_applicant_changelist")).status_code == 200


def test_boston_supervisors_approve_a_run(client, member_of, small_season, django_capture_on_commit_callbacks) -> None:
    client.force_login(member_of(BOSTON_SUPERVISORS))
    run = start_run(client, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        approved = client.post(reverse("admin:youthjobs_matchrun_approve", args=[run.pk]), follow=True)

    assert "offers made" in approved.content.decode()
    run.refresh_from_db()
    assert run.approved_by.username == "boston-summer-jobs-supervisors"
    assert set(run.placements.values_list("state", flat=True)) == {PlacementState.OFFERED}
    assert MatchRun.objects.filter(approved_at__isnull=False).count() == 1


def test_boston_roles_are_refused_other_cities_and_uploads(client, member_of, demo_data) -> None:
    for group in (BOSTON_STAFF, BOSTON_SUPERVISORS):
        client.force_login(member_of(group))
        for name in (
            "admin:courts_citation_changelist",
            "admin:courts_story_changelist",
            "admin:housing_projectnote_add",
            "admin:cities_dataset_add",
        ):
            assert client.get(reverse(name)).status_code == 403, (group, name)
        dataset = Dataset.objects.get(slug="grants")
        assert client.get(reverse("admin:cities_dataset_upload", args=[dataset.pk])).status_code == 403
