"""The summer jobs admin as staff use it: applicants only with the summer jobs permission."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from youthjobs.models import Applicant, DirectHire, MatchRun, PlacementState, Position, Season
from youthjobs.selectors import match_runs_compare
from youthjobs.tests.factories import ApplicantFactory, EligibilityFactory


def test_boston_staff_see_applicants_with_their_eligibility(client, boston_staff) -> None:
    eligibility = EligibilityFactory(eligible=False, reasons=["No work permit."], applicant__last_name="Youth 00042")
    client.force_login(boston_staff)

    listing = client.get(reverse("admin:youthjobs_applicant_changelist"), {"eligibility__eligible__exact": "0"})
    page = client.get(reverse("admin:youthjobs_applicant_change", args=[eligibility.applicant.pk]))

    assert listing.status_code == 200
    assert "Youth 00042" in listing.content.decode()
    assert "No work permit." in page.content.decode()


def test_other_cities_staff_cannot_see_applicants(client, dc_staff) -> None:
    applicant = ApplicantFactory()
    client.force_login(dc_staff)

    assert client.get(reverse("admin:youthjobs_applicant_changelist")).status_code == 403
    assert client.get(reverse("admin:youthjobs_applicant_change", args=[applicant.pk])).status_code == 403


def test_applicants_cannot_be_edited_in_the_admin(client, boston_staff) -> None:
    applicant = ApplicantFactory(first_name="Synthetic")
    client.force_login(boston_staff)

    client.post(reverse("admin:youthjobs_applicant_change", args=[applicant.pk]), {"first_name": "Changed"})

    applicant.refresh_from_db()
    assert applicant.first_name == "Synthetic"


# ---------------------------------------------------------------- runs and placements


@pytest.fixture
def staff_client(client, boston_staff):
    client.force_login(boston_staff)
    return client


def start_run(
    staff_client, django_capture_on_commit_callbacks, mechanism: str = "optimal", seed: int = 4, max_minutes: int = 40
) -> MatchRun:
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:youthjobs_matchrun_add"),
            {
                "season": Season.objects.get().pk,
                "mechanism": mechanism,
                "seed": seed,
                "max_minutes": max_minutes,
                "travel_weight": 5,
                "interest_weight": 1,
                "candidates_per_youth": 0,
            },
        )
    run = MatchRun.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:youthjobs_matchrun_change", args=[run.pk]
    )
    return run


def test_staff_start_a_run_and_see_its_figures(staff_client, small_season, django_capture_on_commit_callbacks) -> None:
    run = start_run(staff_client, django_capture_on_commit_callbacks)

    page = staff_client.get(reverse("admin:youthjobs_matchrun_change", args=[run.pk])).content.decode()

    run.refresh_from_db()
    assert run.status == MatchRun.Status.FINISHED and run.created_by.username == "boston-staff"
    assert "By neighbourhood" in page and "Dorchester" in page
    assert "Approve this run" in page


def test_a_bad_run_form_starts_nothing(staff_client, small_season) -> None:
    response = staff_client.post(
        reverse("admin:youthjobs_matchrun_add"), {"season": Season.objects.get().pk, "mechanism": "fastest"}
    )

    assert response.status_code == 200
    assert not MatchRun.objects.exists()


def test_staff_compare_two_runs_and_approve_one(staff_client, small_season, django_capture_on_commit_callbacks) -> None:
    first = start_run(staff_client, django_capture_on_commit_callbacks, "optimal")
    second = start_run(staff_client, django_capture_on_commit_callbacks, "greedy")

    compared = staff_client.post(
        reverse("admin:youthjobs_matchrun_changelist"),
        {"action": "compare_runs", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    approved = staff_client.post(reverse("admin:youthjobs_matchrun_approve", args=[first.pk]), follow=True)

    assert "Blocking pairs" in compared.content.decode()
    assert (
        'id="run-comparison-neighbourhood"' in compared.content.decode() and "Dorchester" in compared.content.decode()
    )
    assert "offers made" in approved.content.decode()
    assert set(first.placements.values_list("state", flat=True)) == {PlacementState.OFFERED}
    assert set(second.placements.values_list("state", flat=True)) == {PlacementState.PROPOSED}


def test_placements_csv_needs_the_applicant_permission(
    staff_client, client, dc_staff, small_season, django_capture_on_commit_callbacks
) -> None:
    run = start_run(staff_client, django_capture_on_commit_callbacks)

    response = staff_client.get(reverse("admin:youthjobs_matchrun_csv", args=[run.pk]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))

    assert response["Content-Type"].startswith("text/csv")
    assert len(rows) == run.placements.count()
    assert rows[0]["first_name"] == "Synthetic" and rows[0]["explanation"]
    client.force_login(dc_staff)
    assert client.get(reverse("admin:youthjobs_matchrun_csv", args=[run.pk])).status_code == 403


def test_placements_csv_writes_formula_like_names_as_text(
    staff_client, small_season, django_capture_on_commit_callbacks
) -> None:
    Applicant.objects.update(last_name="=cmd|' /C calc'!A0")
    Position.objects.update(title="+SUM(A1:A9)")
    run = start_run(staff_client, django_capture_on_commit_callbacks)

    response = staff_client.get(reverse("admin:youthjobs_matchrun_csv", args=[run.pk]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))

    assert rows
    assert {row["last_name"] for row in rows} == {"'=cmd|' /C calc'!A0"}
    assert {row["position_title"] for row in rows} == {"'+SUM(A1:A9)"}


def test_staff_filter_placements_and_override_one_with_a_reason(
    staff_client, small_season, boston_staff, django_capture_on_commit_callbacks
) -> None:
    run = start_run(staff_client, django_capture_on_commit_callbacks)
    placement = run.placements.filter(is_direct_hire=False).select_related("position__site", "applicant").first()
    listing = staff_client.get(
        reverse("admin:youthjobs_placement_changelist"),
        {
            "state__exact": "proposed",
            "site": placement.position.site_id,
            "applicant__neighbourhood": placement.applicant.neighbourhood,
        },
    )

    response = staff_client.post(
        reverse("admin:youthjobs_placement_override", args=[placement.pk]),
        {"to_state": "withdrawn", "reason": "Moved out of Boston"},
    )
    refused = staff_client.post(
        reverse("admin:youthjobs_placement_override", args=[placement.pk]), {"to_state": "offered", "reason": "x"}
    )

    assert listing.status_code == 200 and placement.applicant.applicant_id in listing.content.decode()
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.state == PlacementState.WITHDRAWN
    event = placement.events.get()
    assert (event.changed_by, event.reason) == (boston_staff, "Moved out of Boston")
    assert refused.status_code == 200 and placement.events.count() == 1
    page = staff_client.get(reverse("admin:youthjobs_placement_change", args=[placement.pk])).content.decode()
    assert "Moved out of Boston" in page


def test_other_staff_cannot_start_runs_or_override(client, dc_staff, small_season) -> None:
    client.force_login(dc_staff)

    assert client.get(reverse("admin:youthjobs_matchrun_add")).status_code == 403
    assert (
        client.post(reverse("admin:youthjobs_placement_override", args=[1]), {"to_state": "withdrawn"}).status_code
        == 403
    )


def test_placement_list_makes_no_query_per_row(
    staff_client, small_season, django_capture_on_commit_callbacks, django_assert_max_num_queries
) -> None:
    start_run(staff_client, django_capture_on_commit_callbacks)

    with django_assert_max_num_queries(20):
        response = staff_client.get(reverse("admin:youthjobs_placement_changelist"))

    assert response.status_code == 200


def test_other_runs_of_an_approved_round_are_superseded_and_cannot_be_approved(
    staff_client, small_season, django_capture_on_commit_callbacks
) -> None:
    chosen = start_run(staff_client, django_capture_on_commit_callbacks, "optimal")
    other = start_run(staff_client, django_capture_on_commit_callbacks, "greedy")
    staff_client.post(reverse("admin:youthjobs_matchrun_approve", args=[chosen.pk]))

    listing = staff_client.get(reverse("admin:youthjobs_matchrun_changelist")).content.decode()
    page = staff_client.get(reverse("admin:youthjobs_matchrun_change", args=[other.pk])).content.decode()
    refused = staff_client.post(reverse("admin:youthjobs_matchrun_approve", args=[other.pk]), follow=True)

    assert "Superseded" in listing and "Approved" in listing
    assert "Superseded:" in page and "Approve this run" not in page
    assert "was not approved: another run of round 1 was approved already" in refused.content.decode()
    assert "Nothing was changed" in refused.content.decode()
    other.refresh_from_db()
    assert other.approved_at is None
    assert set(other.placements.values_list("state", flat=True)) == {PlacementState.PROPOSED}


def test_delete_is_offered_only_for_a_finished_unapproved_run(
    client, admin_user, staff_client, small_season, django_capture_on_commit_callbacks
) -> None:
    approved = start_run(staff_client, django_capture_on_commit_callbacks, "optimal")
    discarded = start_run(staff_client, django_capture_on_commit_callbacks, "greedy")
    staff_client.post(reverse("admin:youthjobs_matchrun_approve", args=[approved.pk]))
    client.force_login(admin_user)

    approved_page = client.get(reverse("admin:youthjobs_matchrun_change", args=[approved.pk])).content.decode()
    refused = client.post(reverse("admin:youthjobs_matchrun_delete", args=[approved.pk]), {"post": "yes"})
    confirm = client.get(reverse("admin:youthjobs_matchrun_delete", args=[discarded.pk])).content.decode()
    deleted = client.post(reverse("admin:youthjobs_matchrun_delete", args=[discarded.pk]), {"post": "yes"})

    assert reverse("admin:youthjobs_matchrun_delete", args=[approved.pk]) not in approved_page
    assert refused.status_code == 403 and MatchRun.objects.filter(pk=approved.pk).exists()
    assert "proposed placements" in confirm
    assert deleted.status_code == 302 and not MatchRun.objects.filter(pk=discarded.pk).exists()


def test_run_page_shows_parameters_and_timings_as_labelled_fields(
    staff_client, small_season, django_capture_on_commit_callbacks
) -> None:
    run = start_run(staff_client, django_capture_on_commit_callbacks)

    page = staff_client.get(reverse("admin:youthjobs_matchrun_change", args=[run.pk])).content.decode()

    assert 'id="run-parameters"' in page and "Maximum commute (minutes)</th><td>40.0" in page
    assert 'id="run-timings"' in page and "Solving (seconds)" in page
    assert "{&quot;commute&quot;" not in page and '"build_s"' not in page
    assert "%" in page


def test_comparison_shows_differing_parameters_rates_as_percentages_and_an_approve_button(
    staff_client, small_season, django_capture_on_commit_callbacks
) -> None:
    near = start_run(staff_client, django_capture_on_commit_callbacks, "optimal", max_minutes=40)
    far = start_run(staff_client, django_capture_on_commit_callbacks, "optimal", max_minutes=90)

    page = staff_client.get(reverse("admin:youthjobs_matchrun_compare", args=[near.pk, far.pk])).content.decode()
    comparison = match_runs_compare(first=near, second=far)

    assert comparison.parameters_differing == [("Maximum commute (minutes)", 40.0, 90.0)]
    figures = {label: (first, second) for label, first, second in comparison.figures}
    rate = figures["Placement rate"][0]
    assert rate.endswith("%") and 0 < float(rate[:-1]) <= 100
    assert all(median > 0 for median in figures["Median commute (min)"])
    assert [title for title, _ in comparison.breakdowns] == ["Neighbourhood", "Age band", "Gender"]
    assert 'id="run-comparison-age-band"' in page and 'id="run-comparison-gender"' in page
    assert page.count("and make the offers") == 2
    assert reverse("admin:youthjobs_matchrun_approve", args=[far.pk]) in page


def test_staff_with_only_the_direct_hire_permission_see_no_applicant_ids(
    client, small_season, django_user_model
) -> None:
    hire = DirectHire.objects.select_related("applicant", "position").first()
    viewer = django_user_model.objects.create_user(username="hires-only", password="x-hires-pw-1", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(content_type__app_label="youthjobs", codename="view_directhire"))
    client.force_login(viewer)

    applicant_ids = list(Applicant.objects.values_list("applicant_id", flat=True))
    listing = client.get(reverse("admin:youthjobs_directhire_changelist"))
    searched = client.get(reverse("admin:youthjobs_directhire_changelist"), {"q": hire.applicant.applicant_id})
    detail = client.get(reverse("admin:youthjobs_directhire_change", args=[hire.pk]))

    assert listing.status_code == searched.status_code == detail.status_code == 200
    assert hire.position.position_id in listing.content.decode()
    for page in (listing, detail):
        assert not any(applicant_id in page.content.decode() for applicant_id in applicant_ids)
    # Searching by an applicant id finds nothing (the page only repeats what was typed).
    assert searched.context["cl"].result_count == 0


def test_staff_who_may_see_applicants_see_which_applicant_a_direct_hire_is(staff_client, small_season) -> None:
    hire = DirectHire.objects.select_related("applicant").first()

    listing = staff_client.get(reverse("admin:youthjobs_directhire_changelist")).content.decode()

    assert hire.applicant.applicant_id in listing
