"""The management commands as an operator runs them."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from cities.models import City, Grant, IngestionRun, Organization, Partnership


def test_demo_data_holds_the_collaborative(db):
    call_command("load_demo_data", stdout=io.StringIO())

    assert set(City.objects.core().values_list("slug", flat=True)) == {"boston", "st-louis", "washington-dc"}
    assert City.objects.filter(role=City.Role.LEARNING).count() == 4
    for name in ("Living Cities", "Code for America", "HandsUpUnited", "Code for DC", "BNY Mellon"):
        assert Organization.objects.filter(name=name).exists(), name
    totals = {city.slug: city.grant_total for city in City.objects.with_grant_totals()}
    assert totals["boston"] == totals["st-louis"] == totals["washington-dc"] == 200_000
    assert totals["seattle"] == totals["cleveland"] == 10_000
    assert Partnership.objects.filter(city__slug="boston", organization__slug="boston-dyee").exists()


def test_loading_demo_data_twice_changes_nothing(db):
    call_command("load_demo_data", stdout=io.StringIO())
    counts = (City.objects.count(), Organization.objects.count(), Grant.objects.count())

    out = io.StringIO()
    call_command("load_demo_data", stdout=out)

    assert (City.objects.count(), Organization.objects.count(), Grant.objects.count()) == counts
    assert " 0 new, 0 changed" in out.getvalue()


def test_ingest_command_reports_counts(demo_data, tmp_path):
    path = tmp_path / "grants.csv"
    path.write_text(
        "reference,funder,city,amount,purpose,starts_on,ends_on\n"
        "x-1,living-cities,seattle,500.00,Travel,2017-01-01,2017-02-01\n"
    )
    out = io.StringIO()

    call_command("ingest", "grants", str(path), stdout=out)

    assert "1 rows read, 1 created, 0 updated, 0 unchanged" in out.getvalue()


def test_ingest_command_fails_on_a_bad_file_and_says_why(demo_data, tmp_path):
    path = tmp_path / "grants.csv"
    path.write_text("reference,funder\nx-1,living-cities\n")
    err = io.StringIO()

    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("ingest", "grants", str(path), stderr=err)
    assert "the file lacks these columns" in err.getvalue()


@pytest.mark.parametrize(("slug", "message"), [("nope", "no dataset is called 'nope'"), ("grants", "is not a file")])
def test_ingest_command_refuses_unknown_datasets_and_missing_files(demo_data, tmp_path, slug, message):
    with pytest.raises(CommandError, match=message):
        call_command("ingest", slug, str(tmp_path / "missing.csv"))
    assert not IngestionRun.objects.filter(file_name="missing.csv").exists()


def test_demo_staff_login_prints_a_working_password(db):
    out = io.StringIO()

    call_command("demo_staff_login", stdout=out)

    password = out.getvalue().split("password: ")[1].split()[0]
    user = get_user_model().objects.get(username="staff")
    assert user.is_staff and user.check_password(password)
