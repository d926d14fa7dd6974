"""The DC housing admin as DC staff use it, on the real Preservation Catalog files."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cities.ingestion import ingest_path
from cities.models import Dataset
from housing.models import Project, RiskRefresh
from housing.services import HOUSING_DEMO_FILES

PUBLIC_MODELS = ("project", "subsidy", "inspectionscore", "marketindicator")
# Pages that may name people: parcel owners and the buyers in event descriptions.
PERSONAL_MODELS = ("parcel", "realpropertyevent")
# NL000001's parcel owner and a sale on it, as the tax records spell them.
PARCEL_OWNER = "1330 Seventh Street Limiited Partnership"
SALE = "OTR: Sold to 1330 Seventh Street Limiited Partnership"


@pytest.fixture
def dc_data(demo_data, settings) -> None:
    """The real files, but for the 15,000 tract indicators, which no test here looks at."""
    for slug, schema, path in HOUSING_DEMO_FILES:
        if schema != "housing.tract_indicators":
            ingest_path(dataset=Dataset.objects.get(slug=slug), path=settings.CIVIC_DATA_DIR / "dc" / path)


def allow_viewing(user, *models: str) -> None:
    group = user.groups.get()
    for model in models:
        group.permissions.add(Permission.objects.get(content_type__app_label="housing", codename=f"view_{model}"))


@pytest.fixture
def dc_staff_client(client, dc_staff):
    """DC staff who may browse the housing data but not its personal pages."""
    allow_viewing(dc_staff, *PUBLIC_MODELS)
    client.force_login(dc_staff)
    return client


def listed(response) -> list:
    return list(response.context["cl"].result_list)


def test_dc_staff_search_projects_by_name_and_owner(dc_staff_client, dc_data):
    url = reverse("admin:housing_project_changelist")

    by_name = listed(dc_staff_client.get(url, {"q": "Parkfair"}))
    by_owner = listed(dc_staff_client.get(url, {"q": "Edgewood Management"}))

    assert [project.nlihc_id for project in by_name] == ["NL000004"]
    assert "NL000001" in {project.nlihc_id for project in by_owner}


def test_dc_staff_filter_projects_by_ward_cluster_and_owner_type(dc_staff_client, dc_data):
    url = reverse("admin:housing_project_changelist")

    ward_8 = dc_staff_client.get(url, {"ward__exact": "Ward 8"})
    cluster_7 = dc_staff_client.get(url, {"cluster": "Cluster 7"})
    non_profits = dc_staff_client.get(url, {"owner_type": "Non-profit"})

    assert ward_8.context["cl"].result_count == Project.objects.filter(ward="Ward 8").count() == 94
    assert {project.cluster_code for project in listed(cluster_7)} == {"Cluster 7"}
    assert non_profits.context["cl"].result_count == Project.objects.filter(owner_type="Non-profit").count() == 47
    assert "Cluster 7: Shaw, Logan Circle" in cluster_7.content.decode()


def test_dc_staff_filter_subsidies_by_programme_and_activity_in_few_queries(
    dc_staff_client, dc_data, django_assert_max_num_queries
):
    url = reverse("admin:housing_subsidy_changelist")

    with django_assert_max_num_queries(20):
        active_public_housing = dc_staff_client.get(url, {"active__exact": "1", "program": "Public housing"})

    subsidies = listed(active_public_housing)
    assert subsidies and all(subsidy.active and subsidy.program == "Public housing" for subsidy in subsidies)


@pytest.mark.parametrize("model", PUBLIC_MODELS)
def test_dc_staff_browse_and_search_every_public_list(dc_staff_client, dc_data, model):
    url = reverse(f"admin:housing_{model}_changelist")

    assert dc_staff_client.get(url).status_code == 200
    assert dc_staff_client.get(url, {"q": "Cluster 7"}).status_code == 200


def test_staff_without_the_parcel_permission_see_no_owner_names(dc_staff_client, dc_data):
    project = Project.objects.get(nlihc_id="NL000001")

    page = dc_staff_client.get(reverse("admin:housing_project_change", args=[project.pk])).content.decode()

    assert "1330 7th St Apts" in page and "Low income housing tax credit" in page
    assert PARCEL_OWNER not in page and SALE not in page
    for model in PERSONAL_MODELS:
        assert dc_staff_client.get(reverse(f"admin:housing_{model}_changelist")).status_code == 403


def test_staff_with_the_parcel_permissions_see_owners_and_sales_inline(client, dc_staff, dc_data):
    allow_viewing(dc_staff, *PUBLIC_MODELS, *PERSONAL_MODELS)
    client.force_login(dc_staff)
    project = Project.objects.get(nlihc_id="NL000001")

    page = client.get(reverse("admin:housing_project_change", args=[project.pk])).content.decode()
    parcels = client.get(reverse("admin:housing_parcel_changelist"), {"q": "Seventh Street"})

    assert PARCEL_OWNER in page and SALE in page
    assert [parcel.owner_name for parcel in listed(parcels)] == [PARCEL_OWNER]


def test_ingested_rows_cannot_be_added_or_edited_in_the_admin(admin_client, dc_data):
    project = Project.objects.get(nlihc_id="NL000001")

    assert admin_client.get(reverse("admin:housing_project_add")).status_code == 403
    page = admin_client.get(reverse("admin:housing_project_change", args=[project.pk])).content.decode()
    assert 'name="_save"' not in page


def test_a_risk_refresh_is_named_by_the_local_time_its_fields_show(admin_client, settings):
    settings.TIME_ZONE = "America/New_York"
    finished = datetime(2026, 12, 7, 22, 46, tzinfo=UTC)
    refresh = RiskRefresh.objects.create(
        as_of=date(2026, 12, 7),
        started_at=finished - timedelta(seconds=2),
        finished_at=finished,
        projects_assessed=1,
        assessments_created=1,
        assessments_changed=0,
    )

    page = admin_client.get(reverse("admin:housing_riskrefresh_change", args=[refresh.pk])).content.decode()

    assert "Risk refresh as of 2026-12-07 (2026-12-07 17:46)" in page
    assert "Dec. 7, 2026, 5:46 p.m." in page
