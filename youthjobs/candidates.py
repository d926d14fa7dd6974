"""The scored candidate pairs of a match run: which positions each youth is considered for.

A pair is a candidate when the position is within the run's maximum commute of the
youth's home (``youthjobs.commute``: k-d tree ball queries on positions and MBTA
stops), still has a seat, and takes youth of that age. Its score is the travel part
plus the interest part (``youthjobs.scoring``).

With a limit of ``candidates_per_youth`` each youth keeps only its best-scoring pairs
(ties: the lower position number). At Boston's density almost every youth with a pass
reaches most of the city, so the reachable pairs grow with youth x positions; the limit
is what keeps a New York-sized programme linear. Its pairs are found without listing
every reachable pair: first only positions of the categories the youth listed, in a
commute reach that grows in steps (``REACH_STEPS``); a youth stops at the first step
where its K-th best pair already scores more than any pair not searched could (one
beyond the reach: the most interest points plus the travel points at its edge; one of
an unlisted category: its interest points plus full travel points). The few youth left,
whose listed pairs are then all known, are searched in the other categories the same
way, each step's pairs joined to their K best listed ones.
The result is exactly each youth's K best reachable pairs, as if all had been listed.

Numpy and pandas; no Django import.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pandas as pd

from youthjobs.commute import CommuteParameters, commute_candidate_pairs
from youthjobs.eligibility import old_enough
from youthjobs.matching import MatchingProblem
from youthjobs.scoring import POINTS_DECIMALS, PairScores, ScoreWeights, pair_scores

# Fractions of the maximum commute searched in turn when each youth keeps a limited
# number of pairs. Each step's search area grows as its reach squared, so the early
# steps are cheap and settle most youth; only the rest pay for the whole reach.
REACH_STEPS = (0.25, 0.4, 0.55, 0.7, 0.85, 1.0)

# Which positions a search looks at: every one, or those of the categories each youth
# listed, or of the categories it did not list.
ALL, LISTED, UNLISTED = "all", "listed", "unlisted"

# With a limit, youth are searched this many at a time, so that only one chunk's
# reachable pairs (tens of millions at New York's size) are held at once.
_YOUTH_PER_CHUNK = 8192

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class CandidateInputs:
    """The youth and positions of a run, as arrays (positions in metres, see
    ``youthjobs.commute.lonlat_to_metres``).

    * ``youth_interests``: (Y, 3) categories of the first, second and third choice
      ("" where none); ``youth_matched``: False for youth left out (direct hires).
    * ``position_open``: False for positions without a seat left.
    """

    youth_xy: npt.NDArray[np.float64]
    youth_has_pass: npt.NDArray[np.bool_]
    youth_age: IntArray
    youth_interests: npt.NDArray[np.object_]
    youth_matched: npt.NDArray[np.bool_]
    position_xy: npt.NDArray[np.float64]
    position_category: npt.NDArray[np.object_]
    position_minimum_age: IntArray
    position_open: npt.NDArray[np.bool_]
    stop_xy: npt.NDArray[np.float64]


@dataclass(frozen=True)
class ScoredPairs:
    """Candidate pairs sorted by youth then position, with their commute and score parts."""

    youth: IntArray
    position: IntArray
    minutes: npt.NDArray[np.float64]
    by_transit: npt.NDArray[np.bool_]
    interest_rank: IntArray
    scores: PairScores

    def __len__(self) -> int:
        return int(self.youth.size)

    def take(self, chosen: IntArray) -> ScoredPairs:
        return ScoredPairs(
            youth=self.youth[chosen],
            position=self.position[chosen],
            minutes=self.minutes[chosen],
            by_transit=self.by_transit[chosen],
            interest_rank=self.interest_rank[chosen],
            scores=PairScores(
                travel_points=self.scores.travel_points[chosen],
                interest_points=self.scores.interest_points[chosen],
                total=self.scores.total[chosen],
            ),
        )


def scored_candidate_pairs(
    *,
    inputs: CandidateInputs,
    commute: CommuteParameters,
    weights: ScoreWeights,
    candidates_per_youth: int,
) -> ScoredPairs:
    """Every candidate pair (``candidates_per_youth`` 0), or each youth's that many
    best-scoring ones, sorted by youth then position. Raises ValueError on malformed input."""
    if candidates_per_youth < 0:
        raise ValueError(f"candidates_per_youth must be 0 (all) or more, got {candidates_per_youth}")
    search = _Search(inputs=inputs, commute=commute, weights=weights)
    pending = np.flatnonzero(inputs.youth_matched)
    if candidates_per_youth == 0:
        return search.pairs(youth=pending, reach=commute, categories=ALL)
    limit = candidates_per_youth
    most_interest_points = weights.interest_weight * float(weights.points_by_rank().max())
    unlisted_points = weights.interest_weight * weights.not_listed_points
    # The margin covers the rounding of points to tenths and of minutes to float32.
    margin = 10.0**-POINTS_DECIMALS
    settled_parts = []
    # First the categories each youth listed, in growing reach; then, for the youth still
    # short of K pairs that nothing unsearched could beat, the other categories, in
    # growing reach too, each step's pairs joined to their K best listed ones.
    listed_best = _concatenated([])
    for categories in (LISTED, UNLISTED):
        for step in REACH_STEPS:
            reach = replace(commute, max_minutes=commute.max_minutes * step)
            best = _concatenated(
                [
                    search.best_pairs(youth=chunk, reach=reach, categories=categories, limit=limit)
                    for chunk in np.array_split(pending, max(1, -(-pending.size // _YOUTH_PER_CHUNK)))
                ]
            )
            if categories == UNLISTED:
                still_pending = np.zeros(inputs.youth_matched.size, dtype=bool)
                still_pending[pending] = True
                best = _concatenated([listed_best.take(np.flatnonzero(still_pending[listed_best.youth])), best])
                best = best.take(_best_per_youth(best, limit=limit, position_count=inputs.position_open.size))
            if categories == UNLISTED and step == REACH_STEPS[-1]:
                settled_parts.append(best)
                break
            # The most any pair not searched yet could score: one beyond this reach earns
            # less travel than one at its edge; while only listed categories are searched,
            # one of another category could earn every travel point.
            if categories == LISTED:
                unsearched_best = max(
                    most_interest_points + weights.travel_weight * (1 - step), unlisted_points + weights.travel_weight
                )
            else:
                unsearched_best = unlisted_points + weights.travel_weight * (1 - step)
            # Each youth's K-th best score is the least it kept (inf for a youth with none).
            kth_best = np.full(inputs.youth_matched.size, np.inf)
            np.minimum.at(kth_best, best.youth, best.scores.total)
            full = np.bincount(best.youth, minlength=kth_best.size) >= limit
            settled = full & (kth_best > unsearched_best + margin)
            settled_parts.append(best.take(np.flatnonzero(settled[best.youth])))
            pending = pending[~settled[pending]]
            if categories == LISTED and step == REACH_STEPS[-1]:
                # Every listed pair of the youth left is known: their K best stay candidates.
                listed_best = best.take(np.flatnonzero(~settled[best.youth]))
            if pending.size == 0:
                break
        if pending.size == 0:
            break
    merged = _concatenated(settled_parts)
    return merged.take(np.argsort(merged.youth * max(inputs.position_open.size, 1) + merged.position))


def matching_problem(*, pairs: ScoredPairs, seats: IntArray, youth_count: int, seed: int) -> MatchingProblem:
    """The matching problem of these pairs: their scores, the sites' priorities (a youth
    who listed the position's category higher comes first: 3 for a first choice, 0 for
    an unlisted category) and a lottery drawn from ``seed``."""
    priority = np.where(pairs.interest_rank > 0, 4 - np.minimum(pairs.interest_rank, 3), 0).astype(np.int64)
    return MatchingProblem(
        youth_count=youth_count,
        seats=seats,
        pair_youth=pairs.youth,
        pair_position=pairs.position,
        pair_score=pairs.scores.total,
        pair_priority=priority,
        youth_lottery=np.random.default_rng(seed).permutation(youth_count).astype(np.int64),
    )


class _Search:
    """Candidate pairs of given youth within a reach, scored against the run's maximum."""

    def __init__(self, *, inputs: CandidateInputs, commute: CommuteParameters, weights: ScoreWeights) -> None:
        self.inputs, self.commute, self.weights = inputs, commute, weights
        # Categories as integer codes (-1: no choice), so that ranking millions of pairs
        # compares integers, not strings.
        categories = np.concatenate((inputs.position_category, inputs.youth_interests.ravel()))
        codes, names = pd.factorize(categories)
        codes[categories == ""] = -1
        position_count = inputs.position_category.size
        self.position_code = codes[:position_count].astype(np.int64)
        self.youth_codes = codes[position_count:].reshape(inputs.youth_interests.shape).astype(np.int64)
        self.open_positions = np.flatnonzero(inputs.position_open)
        self.category_count = len(names)

    def pairs(self, *, youth: IntArray, reach: CommuteParameters, categories: str) -> ScoredPairs:
        """The youth's pairs within ``reach``, with positions of ALL categories (sorted by
        youth then position), or only of the categories each youth LISTED, or only of
        those it did not (UNLISTED; both in no particular order)."""
        if categories == ALL:
            return self._pairs(youth=youth, positions=self.open_positions, reach=reach)
        open_codes = self.position_code[self.open_positions]
        parts = []
        for category in range(self.category_count):
            listing = (self.youth_codes[youth] == category).any(axis=1)
            chosen = youth[listing if categories == LISTED else ~listing]
            positions = self.open_positions[open_codes == category]
            if chosen.size and positions.size:
                parts.append(self._pairs(youth=chosen, positions=positions, reach=reach))
        return _concatenated(parts)

    def best_pairs(self, *, youth: IntArray, reach: CommuteParameters, categories: str, limit: int) -> ScoredPairs:
        """Each youth's ``limit`` best of ``pairs``."""
        pairs = self.pairs(youth=youth, reach=reach, categories=categories)
        return pairs.take(_best_per_youth(pairs, limit=limit, position_count=self.position_code.size))

    def _pairs(self, *, youth: IntArray, positions: IntArray, reach: CommuteParameters) -> ScoredPairs:
        inputs = self.inputs
        pairs = commute_candidate_pairs(
            youth_xy=inputs.youth_xy[youth],
            youth_has_pass=inputs.youth_has_pass[youth],
            position_xy=inputs.position_xy[positions],
            stop_xy=inputs.stop_xy,
            parameters=reach,
        )
        # Both index maps are increasing, so the pairs stay sorted by youth then position.
        pair_youth = youth[pairs.youth]
        pair_position = positions[pairs.position]
        of_age = old_enough(ages=inputs.youth_age[pair_youth], minimum_ages=inputs.position_minimum_age[pair_position])
        pair_youth, pair_position = pair_youth[of_age], pair_position[of_age]
        minutes = pairs.minutes[of_age].astype(np.float64)
        ranks = np.zeros(pair_youth.size, dtype=np.int64)
        categories = self.position_code[pair_position]
        for choice in range(self.youth_codes.shape[1]):
            listed = self.youth_codes[pair_youth, choice] == categories
            ranks[(ranks == 0) & listed] = choice + 1
        return ScoredPairs(
            youth=pair_youth,
            position=pair_position,
            minutes=minutes,
            by_transit=pairs.by_transit[of_age],
            interest_rank=ranks,
            scores=pair_scores(
                minutes=minutes, interest_rank=ranks, weights=self.weights, max_minutes=self.commute.max_minutes
            ),
        )


def _best_per_youth(pairs: ScoredPairs, *, limit: int, position_count: int) -> IntArray:
    """Indices of each youth's ``limit`` best-scoring pairs; among equal scores the lower
    position wins."""
    if len(pairs) == 0:
        return np.arange(0, dtype=np.int64)
    # One packed integer key (youth, score from best, position) sorts faster than lexsort.
    units = np.rint(pairs.scores.total * 10**POINTS_DECIMALS).astype(np.int64)
    top = int(units.max())
    key = (pairs.youth * (top + 1) + (top - units)) * max(position_count, 1) + pairs.position
    order = np.argsort(key)
    sorted_youth = pairs.youth[order]
    group_start = np.flatnonzero(np.r_[True, sorted_youth[1:] != sorted_youth[:-1]])
    rank = np.arange(order.size) - np.repeat(group_start, np.diff(np.r_[group_start, order.size]))
    return order[rank < limit]


def _concatenated(parts: list[ScoredPairs]) -> ScoredPairs:
    """The parts' pairs as one set, in the parts' order."""
    if not parts:
        return ScoredPairs(
            youth=np.empty(0, dtype=np.int64),
            position=np.empty(0, dtype=np.int64),
            minutes=np.empty(0),
            by_transit=np.empty(0, dtype=bool),
            interest_rank=np.empty(0, dtype=np.int64),
            scores=PairScores(travel_points=np.empty(0), interest_points=np.empty(0), total=np.empty(0)),
        )
    return ScoredPairs(
        youth=np.concatenate([part.youth for part in parts]),
        position=np.concatenate([part.position for part in parts]),
        minutes=np.concatenate([part.minutes for part in parts]),
        by_transit=np.concatenate([part.by_transit for part in parts]),
        interest_rank=np.concatenate([part.interest_rank for part in parts]),
        scores=PairScores(
            travel_points=np.concatenate([part.scores.travel_points for part in parts]),
            interest_points=np.concatenate([part.scores.interest_points for part in parts]),
            total=np.concatenate([part.scores.total for part in parts]),
        ),
    )
