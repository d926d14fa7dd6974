"""Matching youth to positions: three mechanisms on the same arrays.

The problem is a set of candidate youth-position pairs with a score (youth prefer
higher scores), a priority the site gives the youth (higher first) and a lottery rank
per youth (lower = earlier). Positions have seats. Each mechanism returns at most one
position per youth, never more youth than seats at a position, and only candidate pairs.

* ``match_optimal``: the largest total score (a min-cost flow, OR-Tools).
* ``match_stable``: youth-proposing deferred acceptance; no youth and position would
  both rather be together than with whom they are matched.
* ``match_greedy_lottery``: the baseline; youth in lottery order each take their best
  position with a seat left.

Scores are compared at a resolution of ``SCORE_RESOLUTION`` points by all three, and
totals are summed at that resolution in integers, so "optimal >= greedy" holds exactly
and the same inputs always give the same assignment and the same totals. Site
priorities shape only the stable mechanism (the sites' side of deferred acceptance);
placements decided before the lottery (direct hires) are left out of the problem and
their seats taken off ``seats`` by the caller.

Pure numpy and OR-Tools; no Django import.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import TypeVar

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
ArrayT = TypeVar("ArrayT", bound=np.ndarray)

# Scores are compared in integer units of a thousandth of a point (the scoring module
# rounds to tenths, so nothing is lost); this is what makes totals exact.
SCORE_RESOLUTION = 1e-3

# OR-Tools' cost-scaling algorithm multiplies costs by the number of nodes; keeping
# |cost| x nodes below 2**62 leaves a safety factor of 2 against int64 overflow.
_COST_MAGNITUDE_LIMIT = 2**62

UNPLACED = -1

# match_optimal first solves the flow on each youth's best pairs only; at Boston's size
# a few more rounds then add every other pair that matters.
FIRST_PAIRS_PER_YOUTH = 16


def _read_only(array: ArrayT) -> ArrayT:
    array.flags.writeable = False
    return array


def _integer_array(name: str, value: npt.ArrayLike, length: int | None = None) -> IntArray:
    array = np.asarray(value)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array, got shape {array.shape}")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must hold integers, got dtype {array.dtype}")
    if length is not None and array.size != length:
        raise ValueError(f"{name} must have {length} values, got {array.size}")
    return _read_only(array.astype(np.int64, copy=True))


@dataclass(frozen=True)
class MatchingProblem:
    """Arrays describing one matching problem (validated on construction).

    * ``youth_count``: youth are 0 .. youth_count-1.
    * ``seats``: seats per position (>= 0); positions are 0 .. len(seats)-1.
    * ``pair_youth``, ``pair_position``: the candidate pairs, each (youth, position) once.
    * ``pair_score``: per pair, finite and >= 0; youth prefer higher scores.
    * ``pair_priority``: per pair, the site's priority of that youth; higher first.
    * ``youth_lottery``: per youth, its lottery rank, a permutation of 0 .. youth_count-1;
      lower is earlier in the greedy order and preferred by sites between equal priorities.

    The arrays are stored as read-only int64/float64 copies. Raises ValueError naming the
    field on any inconsistency.
    """

    youth_count: int
    seats: IntArray
    pair_youth: IntArray
    pair_position: IntArray
    pair_score: FloatArray
    pair_priority: IntArray
    youth_lottery: IntArray

    def __post_init__(self) -> None:
        if isinstance(self.youth_count, bool) or not isinstance(self.youth_count, int | np.integer):
            raise ValueError(f"youth_count must be an integer, got {self.youth_count!r}")
        if self.youth_count < 0:
            raise ValueError(f"youth_count must be >= 0, got {self.youth_count}")
        youth_count = int(self.youth_count)
        seats = _integer_array("seats", self.seats)
        if seats.size and seats.min() < 0:
            raise ValueError("seats must be >= 0 for every position")
        pair_youth = _integer_array("pair_youth", self.pair_youth)
        pair_count = pair_youth.size
        pair_position = _integer_array("pair_position", self.pair_position, pair_count)
        pair_priority = _integer_array("pair_priority", self.pair_priority, pair_count)
        pair_score = _read_only(np.array(self.pair_score, dtype=np.float64, copy=True))
        if pair_score.shape != (pair_count,):
            raise ValueError(f"pair_score must have {pair_count} values, got shape {pair_score.shape}")
        youth_lottery = _integer_array("youth_lottery", self.youth_lottery, youth_count)

        if pair_count:
            if pair_youth.min() < 0 or pair_youth.max() >= youth_count:
                raise ValueError(f"pair_youth must be youth numbers in 0..{youth_count - 1}")
            if pair_position.min() < 0 or pair_position.max() >= seats.size:
                raise ValueError(f"pair_position must be position numbers in 0..{seats.size - 1}")
            if not np.all(np.isfinite(pair_score)) or pair_score.min() < 0:
                raise ValueError("pair_score must be finite and >= 0 (leave out pairs not worth taking)")
            pair_key = pair_youth * seats.size + pair_position
            # Pairs usually arrive sorted by youth then position (as the commute module
            # gives them): then strictly increasing keys prove uniqueness without a sort.
            if not np.all(pair_key[1:] > pair_key[:-1]) and np.unique(pair_key).size != pair_count:
                raise ValueError("each (pair_youth, pair_position) pair must appear once")
        if not np.array_equal(np.sort(youth_lottery), np.arange(youth_count)):
            raise ValueError(f"youth_lottery must be a permutation of 0..{youth_count - 1}")

        object.__setattr__(self, "youth_count", youth_count)
        object.__setattr__(self, "seats", seats)
        object.__setattr__(self, "pair_youth", pair_youth)
        object.__setattr__(self, "pair_position", pair_position)
        object.__setattr__(self, "pair_score", pair_score)
        object.__setattr__(self, "pair_priority", pair_priority)
        object.__setattr__(self, "youth_lottery", youth_lottery)

    @property
    def position_count(self) -> int:
        return int(self.seats.size)

    @property
    def pair_count(self) -> int:
        return int(self.pair_youth.size)

    @cached_property
    def score_units(self) -> IntArray:
        """Scores in integer units of SCORE_RESOLUTION, as every mechanism compares them."""
        return _read_only(np.rint(self.pair_score / SCORE_RESOLUTION).astype(np.int64))


@dataclass(frozen=True)
class Assignment:
    """Per youth: the position it is placed at and the pair used, or -1 (unplaced)."""

    position_of_youth: IntArray
    pair_of_youth: IntArray


@dataclass(frozen=True)
class AssignmentSummary:
    """Headline figures of one assignment; scores summed exactly (see SCORE_RESOLUTION)."""

    youth_count: int
    youth_placed: int
    seats_total: int
    seats_filled: int
    total_score: float
    mean_score: float


def _assignment_from_pairs(problem: MatchingProblem, chosen_pairs: IntArray) -> Assignment:
    pair_of_youth = np.full(problem.youth_count, UNPLACED, dtype=np.int64)
    pair_of_youth[problem.pair_youth[chosen_pairs]] = chosen_pairs
    position_of_youth = np.full(problem.youth_count, UNPLACED, dtype=np.int64)
    placed = pair_of_youth != UNPLACED
    position_of_youth[placed] = problem.pair_position[pair_of_youth[placed]]
    return Assignment(position_of_youth=position_of_youth, pair_of_youth=pair_of_youth)


def _order_by(*keys: tuple[IntArray, int]) -> IntArray:
    """Indices that sort by several non-negative integer keys, the first one major.

    Each key comes with its exclusive upper bound. When the bounds' product fits in
    int64 the keys are packed into one and sorted with a single argsort, several times
    faster than np.lexsort on millions of pairs. Callers pass key tuples that are unique
    (a pair's youth and position), so the order is fully determined either way.
    """
    size = keys[0][0].size
    capacity = 1
    for _, bound in keys:
        capacity *= max(bound, 1)
    if capacity < 2**62:
        packed = np.zeros(size, dtype=np.int64)
        for values, bound in keys:
            packed = packed * max(bound, 1) + values
        return np.argsort(packed).astype(np.int64)
    return np.lexsort([values for values, _ in reversed(keys)]).astype(np.int64)


def _youth_preference_lists(problem: MatchingProblem) -> tuple[IntArray, IntArray]:
    """Pairs grouped by youth, each youth's best first, and each youth's slice bounds.

    A youth ranks its pairs by score (higher first), equal scores by position number
    (lower first), so the order is strict and reproducible.
    """
    units = problem.score_units
    top_units = int(units.max()) if units.size else 0
    ranked_pairs = _order_by(
        (problem.pair_youth, problem.youth_count),
        (top_units - units, top_units + 1),
        (problem.pair_position, problem.position_count),
    )
    bounds = np.searchsorted(problem.pair_youth[ranked_pairs], np.arange(problem.youth_count + 1))
    return ranked_pairs, bounds.astype(np.int64)


def _site_preference_keys(problem: MatchingProblem) -> IntArray:
    """Per pair, how the site ranks that youth: lower key = preferred (priority, then lottery)."""
    lottery_of_pair = problem.youth_lottery[problem.pair_youth]
    if problem.pair_count == 0 or problem.pair_priority.min() == problem.pair_priority.max():
        return lottery_of_pair
    # Dense-rank priorities so the combined key stays small whatever values are passed.
    _, priority_rank = np.unique(-problem.pair_priority, return_inverse=True)
    return priority_rank.astype(np.int64) * max(problem.youth_count, 1) + lottery_of_pair


def match_greedy_lottery(problem: MatchingProblem) -> Assignment:
    """The baseline: youth in lottery order each take their best position with a seat left.

    "Best" is the youth's own ranking (score, then position number). A youth whose
    candidate positions are all full stays unplaced. O(pairs) plus a numpy call per youth.
    """
    ranked_pairs, bounds = _youth_preference_lists(problem)
    ranked_positions = problem.pair_position[ranked_pairs]
    seats_left = problem.seats.copy()
    chosen_pairs: list[int] = []
    for youth in np.argsort(problem.youth_lottery, kind="stable"):
        start, end = bounds[youth], bounds[youth + 1]
        if start == end:
            continue
        open_choice = seats_left[ranked_positions[start:end]] > 0
        first_open = int(np.argmax(open_choice))
        if open_choice[first_open]:
            chosen_pairs.append(int(ranked_pairs[start + first_open]))
            seats_left[ranked_positions[start + first_open]] -= 1
    return _assignment_from_pairs(problem, np.asarray(chosen_pairs, dtype=np.int64))


def match_stable(problem: MatchingProblem) -> Assignment:
    """Youth-proposing deferred acceptance (Gale-Shapley with seats).

    Youth rank their candidate positions by score (ties by position number); a site
    ranks the youth who propose by its priority of them (higher first), then by lottery
    (earlier first). In each round every youth without a held offer and with positions
    left to try proposes to its next position; each position keeps its best proposers up
    to its seats and rejects the rest. The result is the youth-optimal stable matching
    for these strict rankings: no youth and position would both rather be together, so
    ``blocking_pairs`` is 0. When every priority is equal, all sites rank youth by the
    same lottery and the result is exactly the greedy baseline (a serial dictatorship in
    lottery order); it differs where sites give some youth priority. Each round is a
    few numpy sorts over the held and new proposals; each pair is proposed at most once.
    """
    ranked_pairs, bounds = _youth_preference_lists(problem)
    site_key = _site_preference_keys(problem)
    site_key_bound = int(site_key.max()) + 1 if site_key.size else 1
    next_choice = bounds[:-1].copy()
    choice_end = bounds[1:]
    held_pairs = np.empty(0, dtype=np.int64)
    proposing = np.flatnonzero(next_choice < choice_end)
    while proposing.size:
        proposals = ranked_pairs[next_choice[proposing]]
        next_choice[proposing] += 1
        contested = np.zeros(problem.position_count, dtype=bool)
        contested[problem.pair_position[proposals]] = True
        undisturbed = held_pairs[~contested[problem.pair_position[held_pairs]]]
        pool = np.concatenate((held_pairs[contested[problem.pair_position[held_pairs]]], proposals))
        pool = pool[_order_by((problem.pair_position[pool], problem.position_count), (site_key[pool], site_key_bound))]
        pool_position = problem.pair_position[pool]
        group_start = np.flatnonzero(np.r_[True, pool_position[1:] != pool_position[:-1]])
        group_sizes = np.diff(np.r_[group_start, pool.size])
        rank_in_position = np.arange(pool.size) - np.repeat(group_start, group_sizes)
        kept = rank_in_position < problem.seats[pool_position]
        held_pairs = np.concatenate((undisturbed, pool[kept]))
        rejected_youth = problem.pair_youth[pool[~kept]]
        proposing = np.sort(rejected_youth[next_choice[rejected_youth] < choice_end[rejected_youth]])
    return _assignment_from_pairs(problem, held_pairs)


def match_optimal(problem: MatchingProblem, *, first_pairs_per_youth: int | None = None) -> Assignment:
    """The assignment with the largest total score, ties broken by the lottery.

    An exact min-cost flow (OR-Tools SimpleMinCostFlow): each youth sends one unit
    either through one candidate pair to a position (capacity: its seats) or straight to
    the sink (unplaced). A pair is worth ``score_units x M + (youth_count - lottery rank)``
    with ``M = youth_count x (youth_count + 1) / 2 + 1``, larger than any possible sum of
    the lottery terms, so the solver first maximises the total score (in SCORE_RESOLUTION
    units) and, among the assignments with that total, maximises the sum of
    ``youth_count - lottery rank`` over placed youth: every placed youth counts, an
    earlier lottery number a little more. Which of several equally good positions a
    youth gets is fixed by the solver's deterministic order of arcs.

    At the program's size most youth with a transit pass can reach most sites, so
    the flow is first solved on each youth's ``first_pairs_per_youth`` best pairs only
    (a speed setting: the result does not depend on it; by default youth with fewer than
    twice as many pairs on average are solved on all at once), then proven optimal for
    all pairs with the dual prices of that solution (``_dual_prices``); pairs the prices
    say could improve it are added and the flow solved again, until none can. The
    result is optimal for all pairs, so its total is never below greedy's or stable's.
    Raises ValueError if scores are so large that the integer costs could overflow.
    """
    if first_pairs_per_youth is not None and first_pairs_per_youth < 1:
        raise ValueError(f"first_pairs_per_youth must be at least 1, got {first_pairs_per_youth}")
    youth_count, position_count = problem.youth_count, problem.position_count
    if problem.pair_count == 0 or int(problem.seats.sum()) == 0:
        return _assignment_from_pairs(problem, np.empty(0, dtype=np.int64))
    # Scores from the scoring module are tenths of a point: dividing the units by their
    # common divisor keeps the costs small, which shortens the solver's scaling phases.
    common_divisor = max(int(np.gcd.reduce(problem.score_units)), 1)
    score_steps = problem.score_units // common_divisor
    lottery_scale = youth_count * (youth_count + 1) // 2 + 1
    node_count = youth_count + position_count + 1
    if (int(score_steps.max()) * lottery_scale + youth_count) * (node_count + 1) >= _COST_MAGNITUDE_LIMIT:
        raise ValueError(
            f"pair_score up to {problem.pair_score.max():g} is too large to solve exactly for "
            f"{youth_count} youth; scale the scores down"
        )
    pair_value = score_steps * lottery_scale + (youth_count - problem.youth_lottery)[problem.pair_youth]
    # Pairs that come within a tenth of the best score of improving the assignment are
    # added along with those that would improve it: prices move as pairs are added, and
    # adding them now saves a round.
    near_improving = (int(score_steps.max()) // 10) * lottery_scale

    ranked_pairs, bounds = _youth_preference_lists(problem)
    rank_of_pair = np.empty(problem.pair_count, dtype=np.int64)
    rank_of_pair[ranked_pairs] = np.arange(problem.pair_count) - np.repeat(bounds[:-1], np.diff(bounds))
    # By default, when the youth have few pairs each (a run limited to each youth's best),
    # pricing rounds would cost more than solving on every pair at once.
    if first_pairs_per_youth is None:
        few_pairs = problem.pair_count <= 2 * FIRST_PAIRS_PER_YOUTH * youth_count
        first_pairs_per_youth = problem.pair_count if few_pairs else FIRST_PAIRS_PER_YOUTH
    in_flow = rank_of_pair < first_pairs_per_youth
    while True:
        flow_pairs = np.flatnonzero(in_flow)
        chosen_pairs = _max_value_flow(problem, pair_value, flow_pairs)
        youth_price, position_price = _dual_prices(problem, pair_value, flow_pairs, chosen_pairs)
        slack = youth_price[problem.pair_youth] + position_price[problem.pair_position] - pair_value
        if slack.min() >= 0:
            return _assignment_from_pairs(problem, chosen_pairs)
        in_flow |= slack < near_improving


def _max_value_flow(problem: MatchingProblem, pair_value: IntArray, flow_pairs: IntArray) -> IntArray:
    """The pairs of a maximum-value assignment using only ``flow_pairs`` (OR-Tools)."""
    youth_count, position_count = problem.youth_count, problem.position_count
    sink = youth_count + position_count
    tails = np.concatenate(
        (problem.pair_youth[flow_pairs], np.arange(youth_count), youth_count + np.arange(position_count))
    )
    heads = np.concatenate(
        (youth_count + problem.pair_position[flow_pairs], np.full(youth_count + position_count, sink))
    )
    capacities = np.concatenate((np.ones(flow_pairs.size + youth_count, dtype=np.int64), problem.seats))
    costs = np.concatenate((-pair_value[flow_pairs], np.zeros(youth_count + position_count, dtype=np.int64)))
    supplies = np.concatenate(
        (np.ones(youth_count, dtype=np.int64), np.zeros(position_count, dtype=np.int64), [-youth_count])
    )
    solver = min_cost_flow.SimpleMinCostFlow()
    arcs = solver.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), capacities, costs
    )
    solver.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"the min-cost flow solver stopped with status {status!r}")
    pair_flow = solver.flows(np.asarray(arcs)[: flow_pairs.size])
    chosen: npt.NDArray[np.int64] = flow_pairs[pair_flow > 0]
    return chosen


def _dual_prices(
    problem: MatchingProblem, pair_value: IntArray, flow_pairs: IntArray, chosen_pairs: IntArray
) -> tuple[IntArray, IntArray]:
    """Dual prices proving ``chosen_pairs`` is a maximum-value assignment on ``flow_pairs``.

    LP duality for this assignment problem: the assignment is optimal on a set of pairs
    if and only if there are prices ``v[position] >= 0`` (0 where a seat is free) and
    ``u[youth] >= 0`` (0 if unplaced) with ``u + v == value`` on every chosen pair and
    ``u + v >= value`` on every pair of the set. With ``u`` fixed by the chosen pairs,
    the constraints on ``v`` are a longest-path problem over positions (a youth placed at
    q who could go to p says ``v[p] >= value(p) - value(q) + v[q]``); the least solution
    is found by Bellman-Ford rounds in numpy. Any pair outside the set with
    ``u + v < value`` could improve the assignment; when there is none, the assignment
    is optimal for all pairs.
    """
    position_of_youth = np.full(problem.youth_count, UNPLACED, dtype=np.int64)
    position_of_youth[problem.pair_youth[chosen_pairs]] = problem.pair_position[chosen_pairs]
    placed_value = np.zeros(problem.youth_count, dtype=np.int64)
    placed_value[problem.pair_youth[chosen_pairs]] = pair_value[chosen_pairs]

    pair_youth, pair_position = problem.pair_youth[flow_pairs], problem.pair_position[flow_pairs]
    held_position = position_of_youth[pair_youth]
    position_price = np.zeros(problem.position_count, dtype=np.int64)
    unplaced = held_position == UNPLACED
    np.maximum.at(position_price, pair_position[unplaced], pair_value[flow_pairs[unplaced]])
    moves = ~unplaced & (held_position != pair_position)
    move_from, move_to = held_position[moves], pair_position[moves]
    move_gain = pair_value[flow_pairs[moves]] - placed_value[pair_youth[moves]]
    changed = np.ones(problem.position_count, dtype=bool)
    for _ in range(problem.position_count + 1):
        active = changed[move_from]
        if not active.any():
            break
        raised = position_price.copy()
        np.maximum.at(raised, move_to[active], position_price[move_from[active]] + move_gain[active])
        changed = raised != position_price
        position_price = raised
    else:
        raise RuntimeError("dual prices did not converge: the flow solution is not optimal")

    youth_price = np.where(
        position_of_youth == UNPLACED, 0, placed_value - position_price[np.maximum(position_of_youth, 0)]
    )
    seat_free = np.bincount(problem.pair_position[chosen_pairs], minlength=problem.position_count) < problem.seats
    if youth_price.min(initial=0) < 0 or np.any(position_price[seat_free] != 0):
        raise RuntimeError("dual prices violate complementary slackness: the flow solution is not optimal")
    return youth_price, position_price


def _validated_pairs(problem: MatchingProblem, assignment: Assignment) -> IntArray:
    """The pairs an assignment uses, after checking it belongs to this problem."""
    pair_of_youth = np.asarray(assignment.pair_of_youth, dtype=np.int64)
    position_of_youth = np.asarray(assignment.position_of_youth, dtype=np.int64)
    if pair_of_youth.shape != (problem.youth_count,) or position_of_youth.shape != (problem.youth_count,):
        raise ValueError(f"the assignment must have one entry per youth ({problem.youth_count})")
    placed = pair_of_youth != UNPLACED
    chosen_pairs: npt.NDArray[np.int64] = pair_of_youth[placed]
    if chosen_pairs.size and (chosen_pairs.min() < 0 or chosen_pairs.max() >= problem.pair_count):
        raise ValueError("pair_of_youth must index the problem's pairs or be -1")
    if not np.array_equal(problem.pair_youth[chosen_pairs], np.flatnonzero(placed)):
        raise ValueError("pair_of_youth names a pair of another youth")
    if not np.array_equal(problem.pair_position[chosen_pairs], position_of_youth[placed]) or np.any(
        position_of_youth[~placed] != UNPLACED
    ):
        raise ValueError("position_of_youth does not match pair_of_youth")
    if np.any(np.bincount(position_of_youth[placed], minlength=problem.position_count) > problem.seats):
        raise ValueError("the assignment places more youth at a position than it has seats")
    return chosen_pairs


def blocking_pairs(problem: MatchingProblem, assignment: Assignment) -> int:
    """How many candidate pairs (youth, position) would both rather be together.

    The youth strictly prefers the position (a higher score than its own placement, or
    it is unplaced) and the position has a free seat or ranks the youth (priority, then
    lottery) above the least preferred youth it holds. Raises ValueError if the
    assignment is not a valid one for this problem.
    """
    chosen_pairs = _validated_pairs(problem, assignment)
    if problem.pair_count == 0:
        return 0
    units = problem.score_units
    site_key = _site_preference_keys(problem)
    current_units = np.full(problem.youth_count, -1, dtype=np.int64)
    current_units[problem.pair_youth[chosen_pairs]] = units[chosen_pairs]
    youth_wants = units > current_units[problem.pair_youth]

    held_position = problem.pair_position[chosen_pairs]
    filled = np.bincount(held_position, minlength=problem.position_count)
    worst_held_key = np.full(problem.position_count, -1, dtype=np.int64)
    np.maximum.at(worst_held_key, held_position, site_key[chosen_pairs])
    position = problem.pair_position
    position_wants = (filled[position] < problem.seats[position]) | (site_key < worst_held_key[position])
    return int(np.count_nonzero(youth_wants & position_wants))


def assignment_summary(problem: MatchingProblem, assignment: Assignment) -> AssignmentSummary:
    """Youth placed, seats filled, total and mean score (per placed youth; 0 if none).

    Totals are summed in SCORE_RESOLUTION units, so they are exact and comparable
    between mechanisms. Raises ValueError if the assignment is not valid for the problem.
    """
    chosen_pairs = _validated_pairs(problem, assignment)
    total_units = int(problem.score_units[chosen_pairs].sum())
    total_score = round(total_units * SCORE_RESOLUTION, 3)
    youth_placed = int(chosen_pairs.size)
    return AssignmentSummary(
        youth_count=problem.youth_count,
        youth_placed=youth_placed,
        seats_total=int(problem.seats.sum()),
        seats_filled=youth_placed,
        total_score=total_score,
        mean_score=round(total_score / youth_placed, 3) if youth_placed else 0.0,
    )


MECHANISMS: Mapping[str, Callable[[MatchingProblem], Assignment]] = MappingProxyType(
    {
        "optimal": match_optimal,
        "stable": match_stable,
        "greedy": match_greedy_lottery,
    }
)
