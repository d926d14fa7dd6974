"""The seeded generator: reproducible, clearly synthetic, on Boston's real geography."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from django.core.management import call_command

from cities.services import app_demo_data_load
from youthjobs.models import JOB_CATEGORIES, Applicant, DirectHire, Eligibility, MatchRun, Position, Site
from youthjobs.services import DEMO_YOUTH
from youthjobs.synthetic import synthetic_files


@pytest.fixture
def files(boston_geography, django_settings_module_data_dir):
    return synthetic_files(youth=400, seed=3, data_dir=django_settings_module_data_dir)


@pytest.fixture(scope="module")
def django_settings_module_data_dir():
    from django.conf import settings

    return settings.CIVIC_DATA_DIR


def frame(content: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)


def test_same_seed_gives_the_same_files_and_another_seed_others(files, django_settings_module_data_dir) -> None:
    assert synthetic_files(youth=400, seed=3, data_dir=django_settings_module_data_dir) == files
    assert synthetic_files(youth=400, seed=4, data_dir=django_settings_module_data_dir).applicants != files.applicants


def test_sizes_follow_the_youth_count(files) -> None:
    positions = frame(files.positions)

    assert len(frame(files.applicants)) == 400
    assert len(frame(files.sites)) == 50
    assert positions["seats"].astype(int).sum() == 400
    assert set(positions["category"]) <= set(JOB_CATEGORIES)
    assert set(positions["minimum_age"].astype(int)) <= {14, 16, 18}


def test_people_are_clearly_synthetic(files) -> None:
    applicants = frame(files.applicants)

    assert (applicants["first_name"] == "Synthetic").all()
    assert applicants["applicant_id"].str.startswith("SYN-").all()
    assert applicants["email"].str.endswith("@example.org").all()
    phones = applicants.loc[applicants["phone"] != "", "phone"]
    assert phones.str.fullmatch(r"\+161755501\d\d").all()
    assert (applicants["is_synthetic"] == "True").all()


def test_sites_are_real_sites_replicated_under_new_ids(files, django_settings_module_data_dir) -> None:
    sites = frame(files.sites)
    real = pd.read_csv(django_settings_module_data_dir / "boston" / "successlink_positions_2018.csv", dtype=str)
    real_2017 = pd.read_csv(django_settings_module_data_dir / "boston" / "dyee_summer_positions_2017.csv", dtype=str)
    real_names = set(real["site_name"].str.strip()) | set(real_2017["name"].str.strip())

    assert sites["site_id"].str.startswith("SYN-S").all()
    assert sites["name"].str.replace(r", site \d+$", "", regex=True).isin(real_names).all()


def test_ages_and_interests_look_like_the_programme(files) -> None:
    applicants = frame(files.applicants)
    born = pd.to_datetime(applicants["date_of_birth"])
    ages = 2026 - born.dt.year - (born.dt.strftime("%m%d") > "0706")

    assert ages.between(13, 25).all()
    assert ages.between(14, 24).mean() > 0.97
    assert ages.between(14, 18).mean() > 0.6
    assert applicants["first_interest"].isin(JOB_CATEGORIES).all()


def test_command_loads_a_season_with_eligibility(demo_data, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("generate_youthjobs_data", "--youth", "80", "--seed", "5", stdout=io.StringIO())

    assert Applicant.objects.count() == 80
    assert Site.objects.filter(is_synthetic=True).count() == 10
    assert Position.objects.exists() and DirectHire.objects.exists()
    assert Eligibility.objects.count() == 80
    # Homes lie in Boston's neighbourhoods but for the few placed just outside the City.
    assert Applicant.objects.exclude(neighbourhood="").count() >= 74
    assert (
        Eligibility.objects.filter(eligible=False).exclude(reasons=[]).count()
        == Eligibility.objects.filter(eligible=False).count()
    )


def test_demo_data_gives_staff_a_run_to_review_once(demo_data, settings, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        app_demo_data_load(data_dir=settings.CIVIC_DATA_DIR, labels={"youthjobs"})
        app_demo_data_load(data_dir=settings.CIVIC_DATA_DIR, labels={"youthjobs"})

    run = MatchRun.objects.get(season__year="2026")
    assert Applicant.objects.filter(season__year="2026").count() == DEMO_YOUTH
    assert run.status == MatchRun.Status.FINISHED and run.placements.exists()
    assert run.approved_at is None
    # The past seasons are loaded once too, each with its one approved run.
    past = MatchRun.objects.exclude(season__year="2026")
    assert sorted(past.values_list("season__year", flat=True)) == ["2017", "2018"]
    assert all(past_run.approved_at is not None for past_run in past)
