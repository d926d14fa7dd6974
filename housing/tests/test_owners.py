"""Owners derived from the Catalog's projects: their portfolios for staff and permitted partners only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from rest_framework.test import APIClient

from housing.models import Owner, Project
from housing.owners import owner_name_key, owners_refresh
from tests.api_clients import token_client

API = "/api/v1/housing/owners/"


def test_every_named_owner_is_one_owner_holding_exactly_its_projects(dc_data):
    published = {
        owner_name_key(name) for name in Project.objects.exclude(owner_name="").values_list("owner_name", flat=True)
    }

    assert set(Owner.objects.values_list("name_key", flat=True)) == published
    assert not Project.objects.exclude(owner_name="").filter(owner=None).exists()
    assert not Project.objects.filter(owner_name="").exclude(owner=None).exists()
    dcha = Owner.objects.get(name_key="dcha")
    assert set(dcha.projects.values_list("owner_name", flat=True)) == {"Dcha"}
    assert dcha.projects.count() == Project.objects.filter(owner_name__iexact="dcha").count() > 1


def test_refreshing_unchanged_data_changes_nothing(dc_data):
    owners_before = list(Owner.objects.values_list("pk", "name_key", "name", "owner_type"))

    counts = owners_refresh()

    assert counts["projects_changed"] == 0
    assert list(Owner.objects.values_list("pk", "name_key", "name", "owner_type")) == owners_before


def test_a_project_sold_to_a_new_owner_moves_and_an_owner_left_with_nothing_goes(db):
    first = Project.objects.create(
        **project_fields("NL900001", owner_name="Old Owner LLC", owner_type="Profit motivated")
    )
    second = Project.objects.create(**project_fields("NL900002", owner_name="Shared Owner", owner_type="Non-profit"))
    owners_refresh()
    old_owner = Owner.objects.get(name_key="old owner llc")

    Project.objects.filter(pk=first.pk).update(owner_name=" shared OWNER ")
    counts = owners_refresh()

    first.refresh_from_db()
    second.refresh_from_db()
    assert counts == {"owners": 1, "projects_changed": 1}
    assert first.owner_id == second.owner_id == Owner.objects.get(name_key="shared owner").pk
    assert not Owner.objects.filter(pk=old_owner.pk).exists()


def test_each_owner_keeps_its_projects_count_units_and_ids_as_they_change(db):
    first = Project.objects.create(**project_fields("NL900001", owner_name="Shared Owner", units_assisted_max=40))
    Project.objects.create(**project_fields("NL900002", owner_name="Shared Owner", units_assisted_max=None))
    Project.objects.create(**project_fields("NL900003", owner_name="Unknown Units LLC", units_assisted_max=None))
    owners_refresh()

    def totals() -> dict[str, tuple[int, int | None, list[str]]]:
        return {
            key: (count, units, project_ids)
            for key, count, units, project_ids in Owner.objects.values_list(
                "name_key", "project_count", "assisted_units", "project_ids"
            )
        }

    assert totals() == {
        "shared owner": (2, 40, ["NL900001", "NL900002"]),
        "unknown units llc": (1, None, ["NL900003"]),
    }
    Project.objects.filter(pk=first.pk).update(owner_name="Unknown Units LLC", units_assisted_max=12)
    owners_refresh()
    assert totals() == {
        "shared owner": (1, None, ["NL900002"]),
        "unknown units llc": (2, 12, ["NL900001", "NL900003"]),
    }


def project_fields(nlihc_id: str, **fields) -> dict:
    return {
        "nlihc_id": nlihc_id,
        "name": f"Project {nlihc_id}",
        "address": "1 Main St NW",
        "zip_code": "20001",
        "status": "Active",
        "subsidized": True,
        "ward": "Ward 1",
        "anc": "ANC 1A",
        "psa": "PSA 101",
        "census_tract": "1",
        "cluster_code": "Cluster 1",
        "cluster_name": "Kalorama",
        "building_count": 1,
        "category_code": Project.Category.OTHER,
        "expiring": False,
        "failing_inspection": False,
        "at_risk": False,
        "more_info_needed": False,
        "lost": False,
        "replaced": False,
        "source_updated_on": "2016-01-01",
        **fields,
    }


@pytest.fixture
def owner_partner_api(db, django_user_model) -> APIClient:
    user = django_user_model.objects.create_user(username="owner-partner", password="a-partner-password-3")
    user.user_permissions.add(Permission.objects.get(content_type__app_label="housing", codename="view_owner"))
    return token_client(user)


def test_owners_are_refused_to_residents_and_to_tokens_without_the_permission(dc_data, resident_api, partner_api):
    assert resident_api.get(API).status_code == 401
    refused = partner_api.get(API)
    assert refused.status_code == 403
    assert "Dcha" not in refused.content.decode()


def test_a_permitted_partner_lists_owners_with_their_projects_in_json_and_csv(dc_data, owner_partner_api):
    response = owner_partner_api.get(API, {"name": "dcha", "ordering": "-project_count"})

    assert response.status_code == 200
    [dcha] = [row for row in response.json()["results"] if row["name"] == "Dcha"]
    assert sorted(dcha["projects"]) == sorted(
        Project.objects.filter(owner__name_key="dcha").values_list("nlihc_id", flat=True)
    )
    assert dcha["project_count"] == len(dcha["projects"])
    assert response["Cache-Control"].startswith("no-store") or "private" in response["Cache-Control"]

    csv = owner_partner_api.get(API, {"format": "csv", "owner_type": "Public housing authority"})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    lines = b"".join(csv.streaming_content).decode().splitlines()
    assert lines[0] == "name,owner_type,project_count,assisted_units,projects"
    assert any(line.startswith(f"Dcha,Public housing authority,{dcha['project_count']},") for line in lines[1:])


def test_dc_staff_with_the_permission_see_an_owners_portfolio_in_the_admin(dc_data, client, dc_staff):
    dc_staff.groups.get().permissions.add(
        *Permission.objects.filter(content_type__app_label="housing", codename__in=["view_owner", "view_project"])
    )
    client.force_login(dc_staff)
    dcha = Owner.objects.get(name_key="dcha")

    listing = client.get(reverse("admin:housing_owner_changelist"), {"q": "dcha"})
    page = client.get(reverse("admin:housing_owner_change", args=[dcha.pk]))

    assert listing.status_code == 200 and "Dcha" in listing.content.decode()
    assert page.status_code == 200
    for nlihc_id in dcha.projects.values_list("nlihc_id", flat=True):
        assert nlihc_id in page.content.decode()


def test_staff_without_the_permission_cannot_open_owners(dc_data, client, dc_staff):
    client.force_login(dc_staff)

    assert client.get(reverse("admin:housing_owner_changelist")).status_code == 403
