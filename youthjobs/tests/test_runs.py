"""Match runs through the service, on a small synthetic season: reproducible, idempotent,
explainable, and clear when there is nothing to match."""

from __future__ import annotations

import numpy as np
import pytest

from youthjobs.models import DirectHire, Eligibility, MatchRun, Placement, PlacementState, Position, Season
from youthjobs.services import MatchRunError, match_problem_build, match_run_execute, match_run_start


def run_of(mechanism: str, seed: int = 11, **parameters) -> MatchRun:
    run = MatchRun.objects.create(season=Season.objects.get(), mechanism=mechanism, seed=seed, parameters=parameters)
    return match_run_execute(run_id=run.pk)


def placements_of(run: MatchRun) -> list[tuple[int, int]]:
    return list(run.placements.order_by("applicant").values_list("applicant", "position"))


@pytest.mark.parametrize("mechanism", ["optimal", "stable", "greedy"])
def test_same_inputs_and_seed_give_the_same_placements(small_season, mechanism) -> None:
    first, second = run_of(mechanism), run_of(mechanism)

    assert first.status == second.status == MatchRun.Status.FINISHED
    assert first.input_checksum == second.input_checksum
    assert placements_of(first) == placements_of(second)
    assert len(placements_of(first)) > 50


def test_another_seed_changes_the_checksum(small_season) -> None:
    assert run_of("greedy", seed=1).input_checksum != run_of("greedy", seed=2).input_checksum


def test_run_respects_seats_eligibility_age_and_direct_hires(small_season) -> None:
    run = run_of("optimal")
    placements = list(run.placements.select_related("position", "applicant__eligibility"))

    per_position: dict[int, int] = {}
    for placement in placements:
        per_position[placement.position_id] = per_position.get(placement.position_id, 0) + 1
        assert placement.applicant.eligibility.eligible
        assert (
            placement.applicant.eligibility.age_on_start >= placement.position.minimum_age or placement.is_direct_hire
        )
    assert all(count <= Position.objects.get(pk=pk).seats for pk, count in per_position.items())
    hires = DirectHire.objects.filter(applicant__eligibility__eligible=True)
    assert run.placements.filter(is_direct_hire=True).count() == hires.count() > 0
    assert not run.placements.filter(applicant__eligibility__eligible=False).exists()


def test_each_placement_explains_its_score(small_season) -> None:
    run = run_of("optimal")
    placement = run.placements.filter(is_direct_hire=False).first()

    assert placement.score == pytest.approx(placement.travel_points + placement.interest_points)
    assert placement.explanation.startswith(f"{round(placement.commute_minutes)} min")
    assert ("by transit" in placement.explanation) == placement.by_transit


def test_summary_reports_the_figures_and_breakdowns(small_season) -> None:
    stable, greedy, optimal = run_of("stable"), run_of("greedy"), run_of("optimal")

    overall = optimal.summary["overall"]
    assert overall["placed"] == optimal.placements.count()
    assert overall["youth"] == Eligibility.objects.filter(eligible=True).count()
    assert {"mean_commute_minutes", "p90_commute_minutes", "total_score", "blocking_pairs"} <= set(overall)
    assert stable.summary["overall"]["blocking_pairs"] == 0
    assert overall["total_score"] >= greedy.summary["overall"]["total_score"]
    assert sum(group["youth"] for group in optimal.summary["by_neighbourhood"]) == overall["youth"]
    assert {group["group"] for group in optimal.summary["by_age_band"]} <= {"14-15", "16-17", "18-20", "21-24"}
    assert {"build_s", "solve_s", "greedy_s", "write_s"} <= set(optimal.timings)


def test_summary_knows_the_greedy_baseline_the_median_commute_and_the_eligible(small_season) -> None:
    greedy, optimal = run_of("greedy"), run_of("optimal")

    overall, baseline = optimal.summary["overall"], greedy.summary["overall"]
    # The same seed draws the same lottery: the baseline is what the greedy run itself placed.
    assert (overall["greedy_placed"], overall["greedy_total_score"]) == (baseline["placed"], baseline["total_score"])
    assert (baseline["greedy_placed"], baseline["greedy_total_score"]) == (baseline["placed"], baseline["total_score"])
    assert overall["total_score"] >= overall["greedy_total_score"]
    assert overall["eligible"] == overall["youth"] == Eligibility.objects.filter(eligible=True).count()
    assert 0 < overall["median_commute_minutes"] <= overall["p90_commute_minutes"]


def test_a_retried_run_places_nobody_twice(small_season) -> None:
    run = run_of("greedy")
    count = run.placements.count()

    again = match_run_execute(run_id=run.pk)

    assert again.status == MatchRun.Status.FINISHED
    assert again.placements.count() == count


def test_an_interrupted_run_is_done_again(small_season) -> None:
    run = MatchRun.objects.create(
        season=Season.objects.get(), mechanism="greedy", seed=3, status=MatchRun.Status.RUNNING
    )

    finished = match_run_execute(run_id=run.pk)

    assert finished.status == MatchRun.Status.FINISHED and finished.placements.exists()


def test_run_without_eligible_youth_finishes_with_a_message(small_season) -> None:
    Eligibility.objects.update(eligible=False, reasons=["No work permit."])

    run = run_of("optimal")

    assert run.status == MatchRun.Status.FINISHED
    assert "No eligible youth" in run.message
    assert not run.placements.exists()


def test_run_without_seats_finishes_with_a_message(small_season) -> None:
    DirectHire.objects.all().delete()
    Position.objects.all().delete()

    run = run_of("stable")

    assert run.status == MatchRun.Status.FINISHED
    assert "No seats" in run.message


def test_run_start_refuses_bad_mechanism_and_parameters(small_season, django_capture_on_commit_callbacks) -> None:
    season = Season.objects.get()

    with pytest.raises(MatchRunError, match="unknown mechanism"):
        match_run_start(season=season, mechanism="fastest", seed=1)
    with pytest.raises(MatchRunError, match="max_minutes"):
        match_run_start(season=season, mechanism="optimal", seed=1, parameters={"commute": {"max_minutes": -5}})
    with pytest.raises(MatchRunError, match="invalid run parameters"):
        match_run_start(season=season, mechanism="optimal", seed=1, parameters={"commute": {"warp_speed": 9}})
    with pytest.raises(MatchRunError, match="candidates_per_youth"):
        match_run_start(season=season, mechanism="optimal", seed=1, parameters={"candidates_per_youth": -1})
    assert not MatchRun.objects.exists()


def test_run_start_queues_a_task_that_solves_it(small_season, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run = match_run_start(season=Season.objects.get(), mechanism="optimal", seed=5)

    run.refresh_from_db()
    assert run.status == MatchRun.Status.FINISHED
    assert run.round == 1
    assert run.parameters["commute"]["max_minutes"] == 40.0
    assert run.placements.filter(state=PlacementState.PROPOSED).count() == run.summary["overall"]["placed"]


def test_shorter_maximum_commute_gives_shorter_commutes(small_season) -> None:
    run = run_of("optimal", commute={"max_minutes": 15})

    assert max(Placement.objects.filter(run=run, is_direct_hire=False).values_list("commute_minutes", flat=True)) <= 15


def test_each_youth_is_considered_for_their_best_positions_only(small_season) -> None:
    season = Season.objects.get()
    every = match_problem_build(
        run=MatchRun(season=season, mechanism="optimal", seed=1, parameters={"candidates_per_youth": 0}),
    ).problem
    best = match_problem_build(
        run=MatchRun(season=season, mechanism="optimal", seed=1, parameters={"candidates_per_youth": 3}),
    ).problem

    assert np.bincount(best.pair_youth).max() == 3 < np.bincount(every.pair_youth).max()
    for youth in np.unique(best.pair_youth)[:20]:
        kept = np.sort(best.pair_score[best.pair_youth == youth])
        assert kept.min() >= np.sort(every.pair_score[every.pair_youth == youth])[-3:].min()


def test_direct_hires_are_explained_and_ineligible_ones_counted(small_season) -> None:
    hire = DirectHire.objects.select_related("applicant__eligibility").first()
    Eligibility.objects.filter(applicant=hire.applicant).update(eligible=False, reasons=["No work permit."])

    run = run_of("optimal")

    placed = run.placements.filter(is_direct_hire=True).first()
    assert placed.explanation.startswith("Direct hire (")
    assert "placed before the lottery" in placed.explanation
    assert not run.placements.filter(applicant=hire.applicant).exists()
    assert run.summary["overall"]["direct_hires_not_placed"] >= 1
