"""The scored candidate pairs of a match run: which positions each youth is considered for.

A pair is a candidate when the position is within the run's maximum commute of the
youth's home (``youthjobs.commute``: k-d tree ball queries on positions and MBTA
stops), still has a seat, and takes youth of that age. Its score is the travel part
plus the interest part (``youthjobs.scoring``).

With a limit of ``candidates_per_youth`` each youth keeps only its best-scoring pairs
(ties: the lower position number). At Boston's density almost every youth with a pass
reaches most of the city, so the reachable pairs grow with youth x positions; the limit
is what keeps a New York-sized programme linear. Its pairs are found without listing
every reachable pair: the commute reach grows in steps (``REACH_STEPS``) and a youth
stops at the first step where its K-th best pair already scores more than any pair
beyond that reach could (the most interest points plus the travel points at the edge).
The result is exactly each youth's K best reachable pairs, as if all had been listed.

Pure numpy; no Django import.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from youthjobs.commute import CommuteParameters, commute_candidate_pairs
from youthjobs.eligibility import old_enough
from youthjobs.scoring import POINTS_DECIMALS, PairScores, ScoreWeights, pair_scores

# Fractions of the maximum commute searched in turn when each youth keeps a limited
# number of pairs. Each step's search area grows as its reach squared, so the early
# steps are cheap and settle most youth; only the rest pay for the whole reach.
REACH_STEPS = (0.25, 0.4, 0.55, 0.7, 0.85, 1.0)

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
    pending = np.flatnonzero(inputs.youth_matched)
    if candidates_per_youth == 0:
        return _reachable_pairs(inputs=inputs, youth=pending, commute=commute, reach=commute, weights=weights)
    most_interest_points = weights.interest_weight * float(weights.points_by_rank().max())
    settled_parts = []
    limit = candidates_per_youth
    for step in REACH_STEPS:
        reach = replace(commute, max_minutes=commute.max_minutes * step)
        best = _concatenated(
            [
                _best_reachable_pairs(
                    inputs=inputs, youth=chunk, commute=commute, reach=reach, weights=weights, limit=limit
                )
                for chunk in np.array_split(pending, max(1, -(-pending.size // _YOUTH_PER_CHUNK)))
            ],
            position_count=inputs.position_open.size,
        )
        if step == REACH_STEPS[-1]:
            settled_parts.append(best)
            break
        # A pair beyond this reach earns less travel than one at its edge; the margin
        # covers the rounding of points to tenths and of minutes to float32.
        beyond_reach = most_interest_points + weights.travel_weight * (1 - step) + 10.0**-POINTS_DECIMALS
        # Each youth's K-th best score is the least it kept (inf for a youth with none).
        kth_best = np.full(inputs.youth_matched.size, np.inf)
        np.minimum.at(kth_best, best.youth, best.scores.total)
        full = np.bincount(best.youth, minlength=kth_best.size) >= limit
        settled = full & (kth_best > beyond_reach)
        settled_parts.append(best.take(np.flatnonzero(settled[best.youth])))
        pending = pending[~settled[pending]]
        if pending.size == 0:
            break
    return _concatenated(settled_parts, position_count=inputs.position_open.size)


def _reachable_pairs(
    *,
    inputs: CandidateInputs,
    youth: IntArray,
    commute: CommuteParameters,
    reach: CommuteParameters,
    weights: ScoreWeights,
) -> ScoredPairs:
    """The candidate pairs of the given youth within ``reach`` (the run's commute
    parameters with a maximum no longer than the run's), scored against the run's
    maximum, sorted by youth then position."""
    open_positions = np.flatnonzero(inputs.position_open)
    pairs = commute_candidate_pairs(
        youth_xy=inputs.youth_xy[youth],
        youth_has_pass=inputs.youth_has_pass[youth],
        position_xy=inputs.position_xy[open_positions],
        stop_xy=inputs.stop_xy,
        parameters=reach,
    )
    # Both index maps are increasing, so the pairs stay sorted by youth then position.
    pair_youth = youth[pairs.youth]
    pair_position = open_positions[pairs.position]
    of_age = old_enough(ages=inputs.youth_age[pair_youth], minimum_ages=inputs.position_minimum_age[pair_position])
    pair_youth, pair_position = pair_youth[of_age], pair_position[of_age]
    minutes = pairs.minutes[of_age].astype(np.float64)
    ranks = _interest_ranks(inputs.youth_interests, pair_youth, inputs.position_category[pair_position])
    return ScoredPairs(
        youth=pair_youth,
        position=pair_position,
        minutes=minutes,
        by_transit=pairs.by_transit[of_age],
        interest_rank=ranks,
        scores=pair_scores(minutes=minutes, interest_rank=ranks, weights=weights, max_minutes=commute.max_minutes),
    )


def _best_reachable_pairs(
    *,
    inputs: CandidateInputs,
    youth: IntArray,
    commute: CommuteParameters,
    reach: CommuteParameters,
    weights: ScoreWeights,
    limit: int,
) -> ScoredPairs:
    """Each of the given youth's ``limit`` best pairs within ``reach``."""
    pairs = _reachable_pairs(inputs=inputs, youth=youth, commute=commute, reach=reach, weights=weights)
    return pairs.take(_best_per_youth(pairs.youth, pairs.scores.total, limit))


def _interest_ranks(interests: npt.NDArray[np.object_], pair_youth: IntArray, categories: np.ndarray) -> IntArray:
    """Per pair, 1, 2 or 3 when the position's category is the youth's first, second or
    third choice, else 0."""
    ranks = np.zeros(len(pair_youth), dtype=np.int64)
    for column in range(interests.shape[1]):
        listed = interests[pair_youth, column] == categories
        ranks[(ranks == 0) & listed] = column + 1
    return ranks


def _best_per_youth(pair_youth: IntArray, score: npt.NDArray[np.float64], limit: int) -> IntArray:
    """Indices of each youth's `limit` best-scoring pairs, kept in the pairs' own order (by
    youth, then position); among equal scores the earlier pair wins."""
    if len(pair_youth) == 0:
        return np.arange(0, dtype=np.int64)
    order = np.lexsort((np.arange(len(pair_youth)), -score, pair_youth))
    sorted_youth = pair_youth[order]
    group_start = np.flatnonzero(np.r_[True, sorted_youth[1:] != sorted_youth[:-1]])
    rank = np.arange(len(order)) - np.repeat(group_start, np.diff(np.r_[group_start, len(order)]))
    return np.sort(order[rank < limit])


def _concatenated(parts: list[ScoredPairs], *, position_count: int) -> ScoredPairs:
    """The parts' pairs as one set, sorted by youth then position."""
    merged = ScoredPairs(
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
    return merged.take(np.argsort(merged.youth * max(position_count, 1) + merged.position, kind="stable"))
