"""The core's shipped roles at work: data stewards keep the catalogue and upload files;
partners read the API with their token and never reach personal data nor the admin."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cities.models import Dataset, Grant, IngestionRun
from cities.permissions import may_upload_to
from cities.roles import DATA_STEWARDS, PARTNERS
from courts.roles import ST_LOUIS_DATA_STEWARDS
from housing.roles import DC_DATA_STEWARDS
from tests.api_clients import token_client
from youthjobs.roles import BOSTON_DATA_STEWARDS

GRANT_FILE = (
    b"reference,funder,city,amount,purpose,starts_on,ends_on\n"
    b"bny-2017-bos,bny-mellon,boston,25000.00,Local support,2017-01-01,2017-12-31\n"
)


def test_data_stewards_upload_a_file_and_nothing_personal(
    client, member_of, demo_data, django_capture_on_commit_callbacks
) -> None:
    grants = Dataset.objects.get(slug="grants")
    client.force_login(member_of(DATA_STEWARDS))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:cities_dataset_upload", args=[grants.pk]),
            {"file": SimpleUploadedFile("bny.csv", GRANT_FILE)},
        )

    assert IngestionRun.objects.get(file_name="bny.csv").requested_by.username == "data-stewards"
    assert Grant.objects.filter(reference="bny-2017-bos").exists()
    for name in (
        "admin:youthjobs_applicant_changelist",
        "admin:courts_citation_changelist",
        "admin:courts_story_changelist",
        "admin:housing_projectnote_add",
    ):
        assert client.get(reverse(name)).status_code == 403, name


def test_a_citys_data_stewards_offer_only_their_own_citys_files(member_of, demo_data) -> None:
    datasets = {dataset.schema: dataset for dataset in Dataset.objects.all()}
    own = {
        BOSTON_DATA_STEWARDS: "youthjobs.positions",
        ST_LOUIS_DATA_STEWARDS: "courts.citations",
        DC_DATA_STEWARDS: "housing.projects",
    }

    for group, schema in own.items():
        steward = member_of(group)
        assert may_upload_to(steward, datasets[schema]), group
        for other in set(own.values()) - {schema}:
            assert not may_upload_to(steward, datasets[other]), (group, other)
        assert not may_upload_to(steward, datasets["cities.grants"]), group


def test_partners_read_the_api_but_not_people_nor_uploads_nor_the_admin(client, member_of, demo_data) -> None:
    partner = member_of(PARTNERS, is_staff=False)
    api = token_client(partner)

    assert api.get("/api/v1/grants/").status_code == 200
    assert api.get("/api/v1/housing/projects/").status_code == 200
    assert api.get("/api/v1/youthjobs/applicants/").status_code == 403
    assert api.get("/api/v1/courts/citations/").status_code == 403
    assert api.get("/api/v1/housing/owners/").status_code == 403
    offered = api.post(
        "/api/v1/ingestion-runs/",
        {"dataset": "grants", "file": SimpleUploadedFile("bny.csv", GRANT_FILE)},
        format="multipart",
    )
    assert offered.status_code == 403 and not IngestionRun.objects.filter(file_name="bny.csv").exists()
    client.force_login(partner)
    assert client.get(reverse("admin:index")).status_code == 302
