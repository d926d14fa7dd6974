"""Seasons over the years: the real 2017 and 2018 position files as past seasons, returning
youth, outcomes, seasons compared (suppressed for the public), a new season copied from the
last, what-if runs that are never approved, and bad input refused with nothing changed."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cities.ingestion import ingest_path, ingestion_run_create, ingestion_run_execute
from cities.models import Dataset, IngestionRun
from youthjobs.analytics import FEWER_THAN_SMALL_CELL
from youthjobs.eligibility import ages_on
from youthjobs.ingest_past_positions import DYEE_2017, SUCCESSLINK_2018
from youthjobs.models import Applicant, MatchRun, Placement, PlacementState, Position, Season
from youthjobs.past_seasons import PAST_SEASONS, past_seasons_load
from youthjobs.placements import PlacementError, match_run_approve
from youthjobs.season_comparison import SeasonFiguresError, season_figures_for, seasons_compared
from youthjobs.seasons import SeasonError, position_edit, season_create_by_copy
from youthjobs.services import match_run_execute, synthetic_data_load
from youthjobs.what_if import WhatIfError, next_season_changes, what_if_run_start


@pytest.fixture
def three_seasons(demo_data, settings, django_capture_on_commit_callbacks) -> None:
    """The current synthetic season (150 youth) and the two past seasons of the demo."""
    with django_capture_on_commit_callbacks(execute=True):
        synthetic_data_load(youth=150, seed=3, data_dir=settings.CIVIC_DATA_DIR)
        past_seasons_load(data_dir=settings.CIVIC_DATA_DIR)


def _seasons_file(content: str) -> IngestionRun:
    dataset = Dataset.objects.get(slug="youthjobs-seasons")
    run = ingestion_run_create(dataset=dataset, stream=io.BytesIO(content.encode()), file_name="seasons.csv")
    return ingestion_run_execute(run_id=run.pk)


def test_real_files_become_the_2017_and_2018_seasons_positions_and_sites(three_seasons, settings) -> None:
    figures = {row["season"]: row for row in seasons_compared(public=False)}

    assert (figures["2017"]["positions"], figures["2017"]["sites"], figures["2017"]["seats"]) == (125, 56, 1452)
    # 15 rows of 2018 offer no seat (among them the one "Programs Intern"): left out.
    assert (figures["2018"]["positions"], figures["2018"]["sites"], figures["2018"]["seats"]) == (184, 115, 813)
    assert not Position.objects.filter(season__year__in=["2017", "2018"], is_synthetic=True).exists()
    assert Position.objects.get(position_id="DYEE17-P001").starts_on == date(2017, 7, 10)
    assert Position.objects.get(position_id="SL18-198").site.name == "Charlestown Boys and Girls Club"
    # The same files again change nothing.
    for slug, source in (
        ("youthjobs-dyee-2017-positions", DYEE_2017),
        ("youthjobs-successlink-2018-sites", SUCCESSLINK_2018),
    ):
        again = ingest_path(dataset=Dataset.objects.get(slug=slug), path=settings.CIVIC_DATA_DIR / source.path)
        assert again.status == IngestionRun.Status.SUCCEEDED and again.rows_created == again.rows_updated == 0


def test_returning_youth_keep_their_person_id_and_grow_older(three_seasons) -> None:
    earlier = {row.person_id: row for row in Applicant.objects.filter(season__year="2017")}
    returning = [row for row in Applicant.objects.filter(season__year="2018") if row.person_id in earlier]

    assert len(returning) == round(Applicant.objects.filter(season__year="2018").count() * 0.30)
    youth = returning[0]
    before = earlier[youth.person_id]
    assert youth.applicant_id != before.applicant_id and youth.date_of_birth == before.date_of_birth
    ages = [int(ages_on(born=pd.Series([row.date_of_birth]), day=row.season.starts_on)[0]) for row in (before, youth)]
    assert ages[1] == ages[0] + 1


def test_past_seasons_have_outcomes_and_an_approved_run_but_no_message(three_seasons) -> None:
    for past in PAST_SEASONS:
        run = MatchRun.objects.get(season__year=past.year)
        states = set(run.placements.values_list("state", flat=True))
        assert run.approved_at is not None
        assert states <= {"completed", "ended_early", "declined", "expired", "withdrawn"}
        assert {"completed", "ended_early"} <= states
    placement = Placement.objects.filter(state=PlacementState.COMPLETED).first()
    assert list(placement.events.values_list("to_state", flat=True)) == ["offered", "accepted", "started", "completed"]


def test_public_comparison_suppresses_small_cells_and_names_nobody(three_seasons) -> None:
    compared = seasons_compared(public=True)

    assert [row["season"] for row in compared] == ["2017", "2018", "2026"]
    small = [row for row in compared[0]["by_neighbourhood"] if row["placed"] == FEWER_THAN_SMALL_CELL]
    assert small and all(row["placement_rate"] is None and row["seats_per_applicant"] is None for row in small)
    assert compared[2]["matched"] is False and compared[2]["placed"] is None
    assert "Synthetic" not in repr(compared)


def test_figures_of_a_season_without_an_approved_run_say_so(three_seasons, resident_api) -> None:
    with pytest.raises(SeasonFiguresError, match="Season 2026 has no approved match run"):
        season_figures_for("2026", public=True)

    unmatched = resident_api.get(reverse("youthjobs-figures"), {"season": "2026"})
    unknown = resident_api.get(reverse("youthjobs-figures"), {"season": "1999"})
    past = resident_api.get(reverse("youthjobs-figures"), {"season": "2017"})

    assert unmatched.status_code == 409 and "no approved match run" in unmatched.json()["detail"]
    assert unknown.status_code == 404 and "no season" in unknown.json()["detail"]
    assert past.status_code == 200 and past.json()["season"] == "2017"


def test_the_api_shows_three_seasons_side_by_side(three_seasons, resident_api) -> None:
    response = resident_api.get(reverse("youthjobs-seasons"))

    assert response.status_code == 200
    seasons = response.json()
    assert [(row["season"], row["positions"], row["sites"]) for row in seasons][:2] == [
        ("2017", 125, 56),
        ("2018", 184, 115),
    ]
    assert seasons[1]["returning"]["returning"] >= 10
    assert "Synthetic Youth" not in response.content.decode()


def test_overlapping_season_dates_are_refused_and_change_nothing(three_seasons) -> None:
    run = _seasons_file("year,starts_on,ends_on,offer_days\n2019,2018-08-01,2018-09-01,7\n")

    assert run.status == IngestionRun.Status.FAILED
    assert "overlap those of season 2018" in str(run.errors)
    assert not Season.objects.filter(year="2019").exists()
    with pytest.raises(SeasonError, match="overlap Summer 2026"):
        season_create_by_copy(
            copy_from=Season.objects.get(year="2026"), year="2027", starts_on=date(2026, 8, 1), ends_on=date(2026, 9, 1)
        )
    assert not Season.objects.filter(year="2027").exists()


def test_a_new_season_copies_the_last_seasons_positions_for_staff_to_edit(three_seasons) -> None:
    last = Season.objects.get(year="2026")
    season = season_create_by_copy(copy_from=last, year="2027", starts_on=date(2027, 7, 5), ends_on=date(2027, 8, 13))

    copies = season.positions.order_by("position_id")
    assert copies.count() == last.positions.count()
    first = copies.first()
    assert first.position_id.startswith("2027-SYN-P") and first.starts_on == date(2027, 7, 5)
    edited = position_edit(position=first, changes={"seats": first.seats + 3})
    assert Position.objects.get(pk=edited.pk).seats == first.seats + 3


def test_a_position_of_one_season_cannot_be_placed_in_another(three_seasons) -> None:
    position = Position.objects.filter(season__year="2026").first()
    with pytest.raises(SeasonError, match="must lie within Summer 2026"):
        position_edit(position=position, changes={"starts_on": date(2018, 7, 9), "ends_on": date(2018, 8, 17)})
    assert Position.objects.get(pk=position.pk).starts_on == position.starts_on

    dataset = Dataset.objects.get(slug="youthjobs-positions")
    header = "position_id,season,site_id,title,category,seats,minimum_age,hours_per_week,starts_on,ends_on\n"
    row = f"NEW-1,2018,{position.site.site_id},Clerk,Health Care,2,14,25,2026-07-06,2026-08-14\n"
    run = ingestion_run_execute(
        run_id=ingestion_run_create(dataset=dataset, stream=io.BytesIO((header + row).encode()), file_name="p.csv").pk
    )
    assert run.status == IngestionRun.Status.FAILED and "outside its season" in str(run.errors)
    assert not Position.objects.filter(position_id="NEW-1").exists()


def test_a_what_if_run_places_more_youth_and_can_never_be_approved(
    three_seasons, django_capture_on_commit_callbacks
) -> None:
    season = Season.objects.get(year="2018")
    with django_capture_on_commit_callbacks(execute=True):
        run = what_if_run_start(season=season, max_minutes=75)
    run.refresh_from_db()
    approved = MatchRun.objects.get(season=season, approved_at__isnull=False)

    assert run.status == MatchRun.Status.FINISHED and run.is_what_if
    assert run.summary["overall"]["placed"] >= approved.summary["overall"]["placed"]
    with pytest.raises(PlacementError, match="what-if run"):
        match_run_approve(run=run, approved_by=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchRun.objects.filter(pk=run.pk).update(approved_at=timezone.now())
    assert MatchRun.objects.get(pk=run.pk).approved_at is None
    assert next_season_changes(season).what_ifs[0].run == run


def test_what_if_needs_an_approved_run_and_a_change(three_seasons) -> None:
    with pytest.raises(WhatIfError, match="no approved match run"):
        what_if_run_start(season=Season.objects.get(year="2026"), max_minutes=60)
    with pytest.raises(WhatIfError, match="change something"):
        what_if_run_start(season=Season.objects.get(year="2018"))
    with pytest.raises(WhatIfError, match="not a job category"):
        what_if_run_start(season=Season.objects.get(year="2018"), extra_seats={"Astronaut": 5})
    assert not MatchRun.objects.exclude(what_if={}).exists()


def test_next_season_changes_rest_on_the_comparison(three_seasons) -> None:
    changes = next_season_changes(Season.objects.get(year="2018"))

    assert changes.previous == Season.objects.get(year="2017")
    assert all(row["change"] < 0 for row in changes.falling)
    assert all(row["placement_rate"] < changes.city_rate for row in changes.lagging)
    assert changes.oversubscribed and all(row["first_choices"] > row["seats"] for row in changes.oversubscribed)


def test_the_current_season_run_still_approves_beside_past_seasons(three_seasons) -> None:
    season = Season.objects.get(year="2026")
    run = match_run_execute(run_id=MatchRun.objects.create(season=season, mechanism="optimal", seed=1).pk)
    assert match_run_approve(run=run, approved_by=None) > 0
    assert season_figures_for("2026", public=True)["matched"] is True


def test_staff_see_a_youths_seasons_on_their_case_page(three_seasons, client, boston_staff) -> None:
    earlier = set(Applicant.objects.filter(season__year="2017").values_list("person_id", flat=True))
    youth = Applicant.objects.filter(season__year="2018", person_id__in=earlier).first()
    client.force_login(boston_staff)

    page = client.get(reverse("admin:youthjobs_applicant_change", args=[youth.pk])).content.decode()

    history = page.split('id="seasons-history"')[1].split("</table>")[0]
    assert "2018" in history and "2017" in history
