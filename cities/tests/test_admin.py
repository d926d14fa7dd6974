"""The admin as the collaborative's staff use it."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.urls import reverse
from rest_framework.test import APIClient

from cities.ingestion import registered_schemas
from cities.models import City, Dataset, Grant, IngestionRun

GRANT_FILE = (
    b"reference,funder,city,amount,purpose,starts_on,ends_on\n"
    b"bny-2017-bos,bny-mellon,boston,25000.00,Local support,2017-01-01,2017-12-31\n"
)


@pytest.fixture
def grants(demo_data) -> Dataset:
    return Dataset.objects.get(slug="grants")


@pytest.mark.parametrize("model", ["city", "organization", "partnership", "grant", "dataset", "ingestionrun"])
def test_staff_browse_search_and_filter_every_core_list(core_staff_client, demo_data, model):
    url = reverse(f"admin:cities_{model}_changelist")

    assert core_staff_client.get(url).status_code == 200
    assert core_staff_client.get(url, {"q": "boston"}).status_code == 200


def test_city_page_shows_partners_and_grants_inline(core_staff_client, demo_data):
    boston = City.objects.get(slug="boston")

    page = core_staff_client.get(reverse("admin:cities_city_change", args=[boston.pk])).content.decode()

    assert "Department of Youth Engagement and Employment" in page
    assert "ctdc-2016-boston" in page


def test_grant_list_totals_what_is_listed(core_staff_client, demo_data):
    url = reverse("admin:cities_grant_changelist")

    everything = core_staff_client.get(url)
    core_only = core_staff_client.get(url, {"city__role__exact": "core"})

    assert everything.context["grants_total"] == Grant.objects.total() == 640_000
    assert core_only.context["grants_total"] == 600_000
    assert "Total of the grants listed: $600,000.00" in core_only.content.decode()


def test_staff_upload_a_file_and_watch_its_run(core_staff_client, grants, django_capture_on_commit_callbacks):
    url = reverse("admin:cities_dataset_upload", args=[grants.pk])
    form = core_staff_client.get(url)
    assert form.status_code == 200 and "starts_on" in form.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = core_staff_client.post(url, {"file": SimpleUploadedFile("bny.csv", GRANT_FILE)})
    run_page = core_staff_client.get(response["Location"]).content.decode()

    run = IngestionRun.objects.get(file_name="bny.csv")
    assert response["Location"] == reverse("admin:cities_ingestionrun_change", args=[run.pk])
    assert run.status == IngestionRun.Status.SUCCEEDED and run.rows_created == 1
    assert run.requested_by.username == "core-staff"
    assert "Succeeded" in run_page and 'http-equiv="refresh"' not in run_page
    assert Grant.objects.filter(reference="bny-2017-bos").exists()


def test_a_refused_upload_lists_its_problems_by_row(core_staff_client, grants, django_capture_on_commit_callbacks):
    url = reverse("admin:cities_dataset_upload", args=[grants.pk])
    bad = GRANT_FILE.replace(b"boston,25000.00", b"gotham,25000.00")

    with django_capture_on_commit_callbacks(execute=True):
        response = core_staff_client.post(url, {"file": SimpleUploadedFile("bad.csv", bad)})

    page = core_staff_client.get(response["Location"]).content.decode()
    assert "Why the file was refused" in page
    assert "&#x27;gotham&#x27; is not a known city" in page
    assert not Grant.objects.filter(reference="bny-2017-bos").exists()


def test_staff_without_the_ingestion_permission_cannot_upload(client, boston_staff, grants):
    client.force_login(boston_staff)

    response = client.post(
        reverse("admin:cities_dataset_upload", args=[grants.pk]), {"file": SimpleUploadedFile("x.csv", GRANT_FILE)}
    )

    assert response.status_code == 403
    assert not IngestionRun.objects.filter(file_name="x.csv").exists()


def test_a_boston_data_steward_uploads_bostons_files_but_not_dcs(client, demo_data, django_user_model):
    steward = django_user_model.objects.create_user(username="boston-steward", password="x-steward-pw-1", is_staff=True)
    steward.user_permissions.add(
        *Permission.objects.filter(
            Q(content_type__app_label="cities", codename__in=["add_ingestionrun", "view_dataset", "view_ingestionrun"])
            | Q(content_type__app_label="youthjobs", codename__startswith="add_")
        )
    )
    client.force_login(steward)
    boston = Dataset.objects.get(schema="youthjobs.applicants")
    dc = Dataset.objects.get(schema="housing.projects")

    boston_page = client.get(reverse("admin:cities_dataset_change", args=[boston.pk])).content.decode()
    dc_page = client.get(reverse("admin:cities_dataset_change", args=[dc.pk])).content.decode()
    boston_form = client.get(reverse("admin:cities_dataset_upload", args=[boston.pk]))
    dc_offer = client.post(
        reverse("admin:cities_dataset_upload", args=[dc.pk]), {"file": SimpleUploadedFile("dc.csv", GRANT_FILE)}
    )

    assert "Upload a file" in boston_page and boston_form.status_code == 200
    assert "Upload a file" not in dc_page
    assert dc_offer.status_code == 403
    assert not IngestionRun.objects.filter(file_name="dc.csv").exists()


def test_a_token_without_a_datasets_permission_cannot_offer_it_a_file(demo_data, django_user_model):
    user = django_user_model.objects.create_user(username="grants-only", password="x-grants-pw-1")
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="cities", codename__in=["add_ingestionrun", "add_grant"])
    )
    api = APIClient()
    api.force_authenticate(user)

    refused = api.post(
        "/api/v1/ingestion-runs/", {"dataset": "stl-citations", "file": SimpleUploadedFile("c.csv", GRANT_FILE)}
    )

    assert refused.status_code == 403
    assert refused.json()["detail"] == "You may not offer files to this dataset."
    assert not IngestionRun.objects.filter(file_name="c.csv").exists()


def test_runs_are_records_staff_cannot_edit(core_staff_client, grants):
    run = IngestionRun.objects.filter(dataset=grants).first()

    page = core_staff_client.get(reverse("admin:cities_ingestionrun_change", args=[run.pk])).content.decode()

    assert 'name="_save"' not in page
    assert core_staff_client.get(reverse("admin:cities_ingestionrun_add")).status_code == 403


def test_the_public_cannot_reach_the_admin(client, demo_data):
    response = client.get(reverse("admin:cities_city_changelist"))

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_upload_is_in_the_audit_trail_and_on_its_runs_history(
    core_staff_client, core_staff, grants, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        core_staff_client.post(
            reverse("admin:cities_dataset_upload", args=[grants.pk]),
            {"file": SimpleUploadedFile("bny.csv", GRANT_FILE)},
        )
    run = IngestionRun.objects.get(file_name="bny.csv")
    history = core_staff_client.get(reverse("admin:cities_ingestionrun_history", args=[run.pk])).content.decode()

    created = LogEntry.objects.get_for_object(run).get(action=LogEntry.Action.CREATE)
    assert created.actor == core_staff and created.changes_dict["file_name"] == ["None", "bny.csv"]
    assert "Audit trail" in history and "core-staff" in history and "bny.csv" in history


# Without a test transaction the eager task runs when the offer commits, as in the embedded
# mode: the page then reports how the run ended.
def test_a_refused_file_says_so_in_red_with_its_problems_at_the_top(transactional_db, core_staff_client, grants):
    bad = GRANT_FILE.replace(b"boston,25000.00", b"gotham,25000.00")

    response = core_staff_client.post(
        reverse("admin:cities_dataset_upload", args=[grants.pk]),
        {"file": SimpleUploadedFile("bad.csv", bad)},
        follow=True,
    )
    page = response.content.decode()

    assert '<li class="error">The file bad.csv was refused: 1 problem, listed below; nothing was changed.</li>' in page
    assert "was received" not in page and 'class="success"' not in page
    assert page.index('id="ingestion-errors"') < page.index('class="form-row')


def test_a_good_file_says_what_it_changed(transactional_db, core_staff_client, grants):
    response = core_staff_client.post(
        reverse("admin:cities_dataset_upload", args=[grants.pk]),
        {"file": SimpleUploadedFile("bny.csv", GRANT_FILE)},
        follow=True,
    )

    assert '<li class="success">The file bny.csv was ingested: 1 created, 0 updated.</li>' in response.content.decode()


def test_the_offered_file_is_downloaded_from_its_run_by_those_who_may_offer_files(
    core_staff_client, client, boston_staff, grants, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        core_staff_client.post(
            reverse("admin:cities_dataset_upload", args=[grants.pk]),
            {"file": SimpleUploadedFile("bny.csv", GRANT_FILE)},
        )
    run = IngestionRun.objects.get(file_name="bny.csv")
    page = core_staff_client.get(reverse("admin:cities_ingestionrun_change", args=[run.pk])).content.decode()

    download = core_staff_client.get(reverse("admin:cities_ingestionrun_file", args=[run.pk]))

    assert reverse("admin:cities_ingestionrun_file", args=[run.pk]) in page
    assert download.status_code == 200 and b"".join(download.streaming_content) == GRANT_FILE
    assert 'filename="bny.csv"' in download["Content-Disposition"]
    client.force_login(boston_staff)
    assert client.get(reverse("admin:cities_ingestionrun_file", args=[run.pk])).status_code == 403


@pytest.mark.parametrize("schema_slug", sorted(registered_schemas()))
def test_an_ingested_record_is_read_only_in_the_admin_or_its_edits_are_recorded(admin_user, rf, schema_slug):
    """No silent overwrite: a model a dataset schema writes is read-only in the admin, even for
    a superuser (the file is the source), or, for the core's catalogue, which staff keep by
    hand too, every edit is in the audit trail."""
    model = registered_schemas()[schema_slug].model
    model_admin = admin.site._registry.get(model)
    request = rf.get("/admin/")
    request.user = admin_user

    assert (
        model_admin is None
        or auditlog.contains(model)
        or not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request))
    )
