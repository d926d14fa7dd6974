"""Candidate pairs: every reachable pair, or each youth's best ones found without listing them all."""

from __future__ import annotations

import numpy as np
import pytest

from youthjobs.candidates import REACH_STEPS, CandidateInputs, scored_candidate_pairs
from youthjobs.commute import CommuteParameters, commute_candidate_pairs, pair_commutes
from youthjobs.scoring import ScoreWeights, pair_scores

CATEGORIES = np.array(["Arts", "Health Care", "Sports", "Tutoring", "Office"], dtype=object)


def _inputs(seed: int, youth: int = 900, positions: int = 400, stops: int = 250) -> CandidateInputs:
    # A Boston-sized square, dense enough that many youth settle before the whole reach.
    rng = np.random.default_rng(seed)
    return CandidateInputs(
        youth_xy=rng.uniform(-7000, 7000, (youth, 2)),
        youth_has_pass=rng.random(youth) < 0.6,
        youth_age=rng.integers(14, 25, youth),
        youth_interests=np.array([rng.choice(CATEGORIES, 3, replace=False) for _ in range(youth)], dtype=object),
        youth_matched=rng.random(youth) > 0.05,
        position_xy=rng.uniform(-7000, 7000, (positions, 2)),
        position_category=rng.choice(CATEGORIES, positions),
        position_minimum_age=rng.choice([14, 16, 18], positions),
        position_open=rng.random(positions) > 0.1,
        stop_xy=rng.uniform(-7000, 7000, (stops, 2)),
    )


def _brute_force(inputs: CandidateInputs, commute: CommuteParameters, weights: ScoreWeights, limit: int):
    """Every youth-position pair's commute (the commute module on all of them), filtered and
    scored by hand, then each youth's `limit` best by score, ties to the lower position."""
    pairs = commute_candidate_pairs(
        youth_xy=inputs.youth_xy,
        youth_has_pass=inputs.youth_has_pass,
        position_xy=inputs.position_xy,
        stop_xy=inputs.stop_xy,
        parameters=commute,
    )
    expected = {}
    for youth, position, minutes in zip(pairs.youth, pairs.position, pairs.minutes, strict=True):
        if not inputs.youth_matched[youth] or not inputs.position_open[position]:
            continue
        if inputs.youth_age[youth] < inputs.position_minimum_age[position]:
            continue
        listed = list(inputs.youth_interests[youth])
        rank = (
            listed.index(inputs.position_category[position]) + 1 if inputs.position_category[position] in listed else 0
        )
        score = pair_scores(
            minutes=[float(minutes)], interest_rank=[rank], weights=weights, max_minutes=commute.max_minutes
        ).total[0]
        expected.setdefault(int(youth), []).append((-score, int(position), rank))
    kept = set()
    for youth, options in expected.items():
        for _, position, _ in sorted(options)[: limit or None]:
            kept.add((youth, position))
    return kept, expected


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_without_a_limit_the_candidates_are_every_reachable_pair_of_age_with_a_seat(seed: int) -> None:
    inputs, commute, weights = _inputs(seed, youth=300), CommuteParameters(), ScoreWeights()
    pairs = scored_candidate_pairs(inputs=inputs, commute=commute, weights=weights, candidates_per_youth=0)

    kept, expected = _brute_force(inputs, commute, weights, limit=0)
    assert set(zip(pairs.youth.tolist(), pairs.position.tolist(), strict=True)) == kept
    ranks = {(youth, position): rank for youth, options in expected.items() for _, position, rank in options}
    assert pairs.interest_rank.tolist() == [
        ranks[pair] for pair in zip(pairs.youth.tolist(), pairs.position.tolist(), strict=True)
    ]
    keys = pairs.youth * len(inputs.position_open) + pairs.position
    assert np.all(np.diff(keys) > 0)  # sorted by youth, then position, each pair once


@pytest.mark.parametrize(("seed", "limit"), [(1, 3), (2, 8), (3, 20), (4, 1)])
def test_a_limit_keeps_exactly_each_youths_best_reachable_pairs(seed: int, limit: int) -> None:
    inputs, commute, weights = _inputs(seed), CommuteParameters(), ScoreWeights()
    pairs = scored_candidate_pairs(inputs=inputs, commute=commute, weights=weights, candidates_per_youth=limit)

    kept, _ = _brute_force(inputs, commute, weights, limit=limit)
    assert set(zip(pairs.youth.tolist(), pairs.position.tolist(), strict=True)) == kept
    every = scored_candidate_pairs(inputs=inputs, commute=commute, weights=weights, candidates_per_youth=0)
    found = dict(
        zip(zip(every.youth.tolist(), every.position.tolist(), strict=True), every.scores.total.tolist(), strict=True)
    )
    assert pairs.scores.total.tolist() == [
        found[pair] for pair in zip(pairs.youth.tolist(), pairs.position.tolist(), strict=True)
    ]
    assert np.all(np.diff(pairs.youth * len(inputs.position_open) + pairs.position) > 0)


def test_youth_with_enough_good_pairs_nearby_are_settled_before_the_whole_reach(monkeypatch) -> None:
    # Counting the youth each step searches shows the later, costlier steps search fewer.
    import youthjobs.candidates as candidates

    searched: list[int] = []
    pairs = candidates._Search.pairs

    def counting(search, **arguments):
        searched.append(int(arguments["youth"].size))
        return pairs(search, **arguments)

    monkeypatch.setattr(candidates._Search, "pairs", counting)
    inputs = _inputs(5, youth=600, positions=2500)
    scored_candidate_pairs(inputs=inputs, commute=CommuteParameters(), weights=ScoreWeights(), candidates_per_youth=2)

    assert searched[0] == int(inputs.youth_matched.sum())
    assert len(searched) < 2 * len(REACH_STEPS)
    assert searched[-1] < searched[0] / 2


def test_pair_commutes_agree_with_the_candidate_search() -> None:
    inputs, commute = _inputs(6, youth=200), CommuteParameters()
    pairs = commute_candidate_pairs(
        youth_xy=inputs.youth_xy,
        youth_has_pass=inputs.youth_has_pass,
        position_xy=inputs.position_xy,
        stop_xy=inputs.stop_xy,
        parameters=commute,
    )
    youth, position = np.meshgrid(np.arange(200), np.arange(len(inputs.position_xy)), indexing="ij")
    minutes, by_transit = pair_commutes(
        youth_xy=inputs.youth_xy[youth.ravel()],
        youth_has_pass=inputs.youth_has_pass[youth.ravel()],
        position_xy=inputs.position_xy[position.ravel()],
        stop_xy=inputs.stop_xy,
        parameters=commute,
    )
    within = np.flatnonzero(~np.isnan(minutes))
    assert within.tolist() == (pairs.youth.astype(np.int64) * len(inputs.position_xy) + pairs.position).tolist()
    assert np.allclose(minutes[within], pairs.minutes, rtol=1e-6)
    assert by_transit[within].tolist() == pairs.by_transit.tolist()


def test_a_negative_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="candidates_per_youth"):
        scored_candidate_pairs(
            inputs=_inputs(1, youth=5), commute=CommuteParameters(), weights=ScoreWeights(), candidates_per_youth=-1
        )
