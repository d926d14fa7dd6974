"""The three matching mechanisms on small arrays: hand-checked cases and properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from youthjobs.matching import (
    FIRST_PAIRS_PER_YOUTH,
    MECHANISMS,
    SCORE_RESOLUTION,
    Assignment,
    MatchingProblem,
    assignment_summary,
    blocking_pairs,
    match_greedy_lottery,
    match_optimal,
    match_stable,
)


def _problem(
    *,
    seats: list[int],
    pairs: list[tuple[int, int, float]],
    lottery: list[int],
    priority: dict[tuple[int, int], int] | None = None,
) -> MatchingProblem:
    """A problem from (youth, position, score) triples; priorities default to 0."""
    priority = priority or {}
    return MatchingProblem(
        youth_count=len(lottery),
        seats=np.array(seats, dtype=np.int64),
        pair_youth=np.array([y for y, _, _ in pairs], dtype=np.int64),
        pair_position=np.array([p for _, p, _ in pairs], dtype=np.int64),
        pair_score=np.array([s for _, _, s in pairs], dtype=np.float64),
        pair_priority=np.array([priority.get((y, p), 0) for y, p, _ in pairs], dtype=np.int64),
        youth_lottery=np.array(lottery, dtype=np.int64),
    )


# Youth 0 (first in the lottery) likes position 0 a little more than position 1;
# youth 1 can only go to position 0. One seat each.
GREEDY_LOSES = {"seats": [1, 1], "pairs": [(0, 0, 10.0), (0, 1, 9.0), (1, 0, 8.0)], "lottery": [0, 1]}

# Both youth like position 0 best, but position 0 gives youth 1 (a returning youth,
# later in the lottery) priority.
PRIORITY_MATTERS = {
    "seats": [1, 1],
    "pairs": [(0, 0, 10.0), (0, 1, 5.0), (1, 0, 10.0), (1, 1, 5.0)],
    "lottery": [0, 1],
    "priority": {(1, 0): 1},
}


def test_greedy_gives_the_first_youth_its_favourite_and_leaves_the_second_unplaced() -> None:
    problem = _problem(**GREEDY_LOSES)
    assignment = match_greedy_lottery(problem)
    assert assignment.position_of_youth.tolist() == [0, -1]
    assert assignment.pair_of_youth.tolist() == [0, -1]
    summary = assignment_summary(problem, assignment)
    assert (summary.youth_placed, summary.seats_filled, summary.total_score) == (1, 1, 10.0)


def test_optimal_places_both_and_beats_greedy() -> None:
    problem = _problem(**GREEDY_LOSES)
    assignment = match_optimal(problem)
    assert assignment.position_of_youth.tolist() == [1, 0]
    assert assignment.pair_of_youth.tolist() == [1, 2]
    summary = assignment_summary(problem, assignment)
    assert (summary.youth_placed, summary.seats_total, summary.total_score, summary.mean_score) == (2, 2, 17.0, 8.5)


def test_optimal_can_leave_a_blocking_pair_that_stable_never_does() -> None:
    problem = _problem(**GREEDY_LOSES)
    # Youth 0 would rather have position 0, which would rather have youth 0 (lottery).
    assert blocking_pairs(problem, match_optimal(problem)) == 1
    stable = match_stable(problem)
    assert stable.position_of_youth.tolist() == [0, -1]
    assert blocking_pairs(problem, stable) == 0


def test_stable_respects_the_sites_priority_where_greedy_does_not() -> None:
    problem = _problem(**PRIORITY_MATTERS)
    greedy = match_greedy_lottery(problem)
    assert greedy.position_of_youth.tolist() == [0, 1]
    # Youth 1 prefers position 0, which prefers youth 1 (priority) to youth 0.
    assert blocking_pairs(problem, greedy) == 1
    stable = match_stable(problem)
    assert stable.position_of_youth.tolist() == [1, 0]
    assert blocking_pairs(problem, stable) == 0
    assert assignment_summary(problem, stable).total_score == assignment_summary(problem, greedy).total_score


def test_without_priorities_stable_equals_greedy() -> None:
    # Every site ranks youth by the same lottery, so deferred acceptance becomes
    # a serial dictatorship in lottery order: the greedy baseline.
    rng = np.random.default_rng(7)
    pairs = [(y, p, float(rng.integers(0, 20))) for y in range(30) for p in range(6) if rng.random() < 0.6]
    problem = _problem(seats=[3, 2, 4, 1, 2, 3], pairs=pairs, lottery=rng.permutation(30).tolist())
    assert match_stable(problem).position_of_youth.tolist() == match_greedy_lottery(problem).position_of_youth.tolist()


def test_deferred_acceptance_displaces_a_held_youth_for_a_preferred_one() -> None:
    # Youth 0 (lottery 1) holds position 0 in round one; youth 1 (lottery 0) arrives in
    # round two after position 1 rejected it for youth 2 (priority), and displaces youth 0,
    # which then tries position 1 and is rejected there too.
    problem = _problem(
        seats=[1, 1],
        pairs=[(0, 0, 5.0), (0, 1, 1.0), (1, 1, 9.0), (1, 0, 8.0), (2, 1, 3.0)],
        lottery=[1, 0, 2],
        priority={(2, 1): 1},
    )
    assignment = match_stable(problem)
    assert assignment.position_of_youth.tolist() == [-1, 0, 1]
    assert blocking_pairs(problem, assignment) == 0


def test_optimal_breaks_ties_in_favour_of_the_earlier_lottery_number() -> None:
    pairs = [(0, 0, 5.0), (1, 0, 5.0)]
    assert match_optimal(_problem(seats=[1], pairs=pairs, lottery=[1, 0])).position_of_youth.tolist() == [-1, 0]
    assert match_optimal(_problem(seats=[1], pairs=pairs, lottery=[0, 1])).position_of_youth.tolist() == [0, -1]


def test_optimal_places_a_youth_even_at_a_zero_score() -> None:
    problem = _problem(seats=[1], pairs=[(0, 0, 0.0)], lottery=[0])
    assert match_optimal(problem).position_of_youth.tolist() == [0]


@pytest.mark.parametrize("mechanism", sorted(MECHANISMS))
def test_every_mechanism_copes_with_no_seats_and_no_pairs(mechanism: str) -> None:
    no_seats = _problem(seats=[0, 0], pairs=[(0, 0, 3.0), (1, 1, 2.0)], lottery=[1, 0])
    assert MECHANISMS[mechanism](no_seats).position_of_youth.tolist() == [-1, -1]
    no_pairs = _problem(seats=[2], pairs=[], lottery=[0, 1])
    assert MECHANISMS[mechanism](no_pairs).pair_of_youth.tolist() == [-1, -1]
    nobody = _problem(seats=[], pairs=[], lottery=[])
    summary = assignment_summary(nobody, MECHANISMS[mechanism](nobody))
    assert (summary.youth_placed, summary.total_score, summary.mean_score) == (0, 0.0, 0.0)


def test_mechanisms_are_named_for_the_services() -> None:
    assert dict(MECHANISMS) == {"optimal": match_optimal, "stable": match_stable, "greedy": match_greedy_lottery}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"youth_count": -1, "youth_lottery": []}, "youth_count must be >= 0"),
        ({"seats": [1, -1]}, "seats must be >= 0"),
        ({"pair_position": [0, 5]}, "pair_position must be position numbers"),
        ({"pair_youth": [0, 3]}, "pair_youth must be youth numbers"),
        ({"pair_youth": [0, 0], "pair_position": [1, 1]}, "must appear once"),
        ({"pair_score": [1.0, -0.5]}, "pair_score must be finite and >= 0"),
        ({"pair_score": [1.0, float("inf")]}, "pair_score must be finite and >= 0"),
        ({"pair_score": [1.0]}, "pair_score must have 2 values"),
        ({"pair_priority": [0, 0, 0]}, "pair_priority must have 2 values"),
        ({"pair_priority": [0.5, 0.0]}, "pair_priority must hold integers"),
        ({"youth_lottery": [0, 0]}, "youth_lottery must be a permutation"),
        ({"youth_lottery": [0, 1, 2]}, "youth_lottery must have 2 values"),
        ({"seats": [[1, 1]]}, "seats must be a 1-D array"),
    ],
)
def test_inconsistent_problems_are_refused_naming_the_field(change, message) -> None:
    fields = {
        "youth_count": 2,
        "seats": [1, 1],
        "pair_youth": [0, 1],
        "pair_position": [0, 1],
        "pair_score": [1.0, 2.0],
        "pair_priority": [0, 0],
        "youth_lottery": [1, 0],
    }
    fields.update(change)
    with pytest.raises(ValueError, match=message):
        MatchingProblem(**{name: value if name == "youth_count" else np.array(value) for name, value in fields.items()})


def test_problem_arrays_are_read_only_copies() -> None:
    seats = np.array([1, 1])
    problem = _problem(**GREEDY_LOSES)
    seats[0] = 5
    assert problem.seats.tolist() == [1, 1]
    with pytest.raises(ValueError, match="read-only"):
        problem.seats[0] = 3


def test_an_assignment_from_another_problem_is_refused() -> None:
    problem = _problem(**GREEDY_LOSES)
    too_full = Assignment(position_of_youth=np.array([0, 0]), pair_of_youth=np.array([0, 2]))
    with pytest.raises(ValueError, match="more youth at a position than it has seats"):
        blocking_pairs(problem, too_full)
    wrong_youth = Assignment(position_of_youth=np.array([0, -1]), pair_of_youth=np.array([2, -1]))
    with pytest.raises(ValueError, match="another youth"):
        assignment_summary(problem, wrong_youth)
    wrong_length = Assignment(position_of_youth=np.array([-1]), pair_of_youth=np.array([-1]))
    with pytest.raises(ValueError, match="one entry per youth"):
        assignment_summary(problem, wrong_length)


def test_scores_too_large_for_exact_integer_costs_are_refused() -> None:
    problem = _problem(seats=[1, 1], pairs=[(0, 0, 1e15), (0, 1, 0.001)], lottery=[0])
    with pytest.raises(ValueError, match="too large"):
        match_optimal(problem)
    with pytest.raises(ValueError, match="first_pairs_per_youth"):
        match_optimal(_problem(**GREEDY_LOSES), first_pairs_per_youth=0)


def test_optimal_adds_the_pairs_its_first_round_left_out() -> None:
    # From each youth's best pair only, youth 1 cannot be placed; the dual prices show
    # that youth 0's second pair improves the total, and the next round finds 17.
    problem = _problem(**GREEDY_LOSES)
    assignment = match_optimal(problem, first_pairs_per_youth=1)
    assert assignment.position_of_youth.tolist() == [1, 0]


# --- Properties on random small problems -------------------------------------------


@st.composite
def problems(draw) -> MatchingProblem:
    youth_count = draw(st.integers(0, 9))
    position_count = draw(st.integers(0, 5))
    seats = draw(st.lists(st.integers(0, 3), min_size=position_count, max_size=position_count))
    all_pairs = [(y, p) for y in range(youth_count) for p in range(position_count)]
    chosen = draw(st.lists(st.sampled_from(all_pairs), unique=True)) if all_pairs else []
    # Few distinct scores and priorities, so ties are common.
    scores = draw(
        st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.5, 3.0, 5.0, 7.5]), min_size=len(chosen), max_size=len(chosen))
    )
    priorities = draw(st.lists(st.integers(0, 2), min_size=len(chosen), max_size=len(chosen)))
    lottery = draw(st.permutations(range(youth_count)))
    return MatchingProblem(
        youth_count=youth_count,
        seats=np.array(seats, dtype=np.int64),
        pair_youth=np.array([y for y, _ in chosen], dtype=np.int64),
        pair_position=np.array([p for _, p in chosen], dtype=np.int64),
        pair_score=np.array(scores, dtype=np.float64),
        pair_priority=np.array(priorities, dtype=np.int64),
        youth_lottery=np.array(lottery, dtype=np.int64),
    )


def _best_by_brute_force(problem: MatchingProblem, with_lottery_bonus: bool) -> int:
    """The best total an exact, independent solver finds (scipy's dense assignment).

    Seats are expanded into one column each and every youth gets a column of its own
    for "unplaced" (worth 0), so leaving a youth out is always possible.
    """
    seat_position = np.repeat(np.arange(problem.position_count), problem.seats)
    columns = seat_position.size + problem.youth_count
    units = problem.score_units
    if with_lottery_bonus:
        youth_count = problem.youth_count
        units = (
            units * (youth_count * (youth_count + 1) // 2 + 1)
            + (youth_count - problem.youth_lottery)[problem.pair_youth]
        )
    forbidden = -(10**15)
    weight = np.full((problem.youth_count, columns), forbidden, dtype=np.int64)
    for pair in range(problem.pair_count):
        weight[problem.pair_youth[pair], np.flatnonzero(seat_position == problem.pair_position[pair])] = units[pair]
    weight[np.arange(problem.youth_count), seat_position.size + np.arange(problem.youth_count)] = 0
    rows, cols = linear_sum_assignment(weight, maximize=True)
    return int(weight[rows, cols].sum())


def _objective(problem: MatchingProblem, assignment: Assignment, with_lottery_bonus: bool) -> int:
    placed = assignment.pair_of_youth[assignment.pair_of_youth >= 0]
    units = problem.score_units[placed]
    if not with_lottery_bonus:
        return int(units.sum())
    youth_count = problem.youth_count
    bonus = (youth_count - problem.youth_lottery)[problem.pair_youth[placed]]
    return int((units * (youth_count * (youth_count + 1) // 2 + 1) + bonus).sum())


def _blocking_by_brute_force(problem: MatchingProblem, assignment: Assignment) -> int:
    units = problem.score_units
    count = 0
    for pair in range(problem.pair_count):
        youth, position = problem.pair_youth[pair], problem.pair_position[pair]
        own = assignment.pair_of_youth[youth]
        if own >= 0 and units[own] >= units[pair]:
            continue
        holders = [y for y in range(problem.youth_count) if assignment.position_of_youth[y] == position]
        if len(holders) < problem.seats[position]:
            count += 1
            continue

        def site_rank(y: int, position: int = position) -> tuple[int, int]:
            held_pair = int(np.flatnonzero((problem.pair_youth == y) & (problem.pair_position == position))[0])
            return (-int(problem.pair_priority[held_pair]), int(problem.youth_lottery[y]))

        if holders and site_rank(youth) < max(site_rank(y) for y in holders):
            count += 1
    return count


@settings(deadline=None, max_examples=300)
@given(problem=problems())
def test_every_mechanism_gives_a_valid_assignment(problem: MatchingProblem) -> None:
    for mechanism in MECHANISMS.values():
        assignment = mechanism(problem)
        placed = np.flatnonzero(assignment.pair_of_youth >= 0)
        used = assignment.pair_of_youth[placed]
        # Only candidate pairs, of the right youth, at most one per youth.
        assert problem.pair_youth[used].tolist() == placed.tolist()
        assert problem.pair_position[used].tolist() == assignment.position_of_youth[placed].tolist()
        assert np.all(assignment.position_of_youth[assignment.pair_of_youth < 0] == -1)
        # Seats never exceeded.
        filled = np.bincount(assignment.position_of_youth[placed], minlength=problem.position_count)
        assert np.all(filled <= problem.seats)
        assert assignment_summary(problem, assignment).seats_filled == placed.size


@settings(deadline=None, max_examples=300)
@given(problem=problems())
def test_optimal_is_exactly_optimal_and_never_below_greedy_or_stable(problem: MatchingProblem) -> None:
    best_total = _best_by_brute_force(problem, with_lottery_bonus=False)
    best_with_ties_broken = _best_by_brute_force(problem, with_lottery_bonus=True)
    # Starting from each youth's best pair or two forces the rounds that add pairs; None is
    # the default (every pair at once when the youth have few each).
    for first_pairs_per_youth in (1, 2, FIRST_PAIRS_PER_YOUTH, None):
        optimal = match_optimal(problem, first_pairs_per_youth=first_pairs_per_youth)
        assert _objective(problem, optimal, with_lottery_bonus=False) == best_total
        # The documented tie rule: among the best totals, the largest lottery bonus.
        assert _objective(problem, optimal, with_lottery_bonus=True) == best_with_ties_broken
    optimal_total = assignment_summary(problem, optimal).total_score
    assert optimal_total >= assignment_summary(problem, match_greedy_lottery(problem)).total_score
    assert optimal_total >= assignment_summary(problem, match_stable(problem)).total_score


@settings(deadline=None, max_examples=300)
@given(problem=problems())
def test_stable_has_no_blocking_pair_and_blocking_pairs_counts_like_by_hand(problem: MatchingProblem) -> None:
    stable = match_stable(problem)
    assert blocking_pairs(problem, stable) == 0
    assert _blocking_by_brute_force(problem, stable) == 0
    for mechanism in (match_greedy_lottery, match_optimal):
        assignment = mechanism(problem)
        assert blocking_pairs(problem, assignment) == _blocking_by_brute_force(problem, assignment)


@settings(deadline=None, max_examples=150)
@given(problem=problems(), order_seed=st.integers(0, 2**16))
def test_same_inputs_give_the_same_assignment(problem: MatchingProblem, order_seed: int) -> None:
    for mechanism in MECHANISMS.values():
        first, again = mechanism(problem), mechanism(problem)
        assert first.position_of_youth.tolist() == again.position_of_youth.tolist()
        assert first.pair_of_youth.tolist() == again.pair_of_youth.tolist()
    # Greedy and stable do not even depend on the order the pairs are listed in.
    order = np.random.default_rng(order_seed).permutation(problem.pair_count)
    shuffled = MatchingProblem(
        youth_count=problem.youth_count,
        seats=problem.seats,
        pair_youth=problem.pair_youth[order],
        pair_position=problem.pair_position[order],
        pair_score=problem.pair_score[order],
        pair_priority=problem.pair_priority[order],
        youth_lottery=problem.youth_lottery,
    )
    for mechanism in (match_greedy_lottery, match_stable):
        assert mechanism(shuffled).position_of_youth.tolist() == mechanism(problem).position_of_youth.tolist()
    assert assignment_summary(shuffled, match_optimal(shuffled)).total_score == pytest.approx(
        assignment_summary(problem, match_optimal(problem)).total_score
    )


def test_scores_are_compared_at_the_documented_resolution() -> None:
    # Scores a hair apart (below SCORE_RESOLUTION) count as equal: the lottery decides.
    hair = SCORE_RESOLUTION / 10
    problem = _problem(seats=[1], pairs=[(0, 0, 5.0), (1, 0, 5.0 + hair)], lottery=[0, 1])
    assert match_optimal(problem).position_of_youth.tolist() == [0, -1]
    assert match_greedy_lottery(problem).position_of_youth.tolist() == [0, -1]


def test_huge_scores_rank_the_same_as_small_ones_for_greedy_and_stable() -> None:
    # Scores this large no longer fit the single packed sort key, so the rankings are
    # built by the multi-key sort instead; they must come out the same.
    rng = np.random.default_rng(3)
    pairs = [(y, p, float(rng.integers(1, 9))) for y in range(12) for p in range(3000) if rng.random() < 0.002]
    lottery = rng.permutation(12).tolist()
    seats = [1] * 3000
    small = _problem(seats=seats, pairs=pairs, lottery=lottery)
    huge = _problem(seats=seats, pairs=[(y, p, score * 1e12) for y, p, score in pairs], lottery=lottery)
    for mechanism in (match_greedy_lottery, match_stable):
        assert mechanism(huge).pair_of_youth.tolist() == mechanism(small).pair_of_youth.tolist()
