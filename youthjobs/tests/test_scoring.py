"""Pair scores: the travel and interest parts, their rounding, and the words staff read."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from youthjobs.scoring import (
    INTEREST_RANK_FIRST_CHOICE,
    INTEREST_RANK_NOT_LISTED,
    INTEREST_RANK_OTHER_LISTED,
    INTEREST_RANK_SECOND_CHOICE,
    INTEREST_RANK_THIRD_CHOICE,
    ScoreWeights,
    pair_scores,
    score_explanation,
)


def test_travel_points_fall_linearly_from_the_door_to_the_maximum_commute() -> None:
    scores = pair_scores(
        minutes=[0.0, 10.0, 20.0, 40.0],
        interest_rank=[0, 0, 0, 0],
        weights=ScoreWeights(travel_weight=5.0),
        max_minutes=40.0,
    )
    assert scores.travel_points.tolist() == [5.0, 3.8, 2.5, 0.0]  # 3.75 rounds to 3.8


def test_interest_points_follow_the_rank_and_the_interest_weight() -> None:
    weights = ScoreWeights(
        interest_weight=2.0,
        first_choice_points=5.0,
        second_choice_points=3.0,
        third_choice_points=2.0,
        other_interest_points=1.0,
        not_listed_points=0.0,
    )
    scores = pair_scores(
        minutes=[40.0] * 6,
        interest_rank=[
            INTEREST_RANK_FIRST_CHOICE,
            INTEREST_RANK_SECOND_CHOICE,
            INTEREST_RANK_THIRD_CHOICE,
            INTEREST_RANK_OTHER_LISTED,
            7,  # a seventh listed interest is still "another listed interest"
            INTEREST_RANK_NOT_LISTED,
        ],
        weights=weights,
        max_minutes=40.0,
    )
    assert scores.interest_points.tolist() == [10.0, 6.0, 4.0, 2.0, 2.0, 0.0]
    assert scores.total.tolist() == scores.interest_points.tolist()


def test_minutes_beyond_the_maximum_earn_no_travel_points_rather_than_negative_ones() -> None:
    scores = pair_scores(minutes=[40.0001], interest_rank=[1], weights=ScoreWeights(), max_minutes=40.0)
    assert scores.travel_points.tolist() == [0.0]


@pytest.mark.parametrize(
    ("minutes", "interest_rank", "message"),
    [
        ([1.0, 2.0], [1], "same length"),
        ([-1.0], [1], "finite and >= 0"),
        ([float("nan")], [1], "finite and >= 0"),
        ([1.0], [-1], "integers >= 0"),
        ([1.0], [1.5], "integers >= 0"),
    ],
)
def test_bad_score_inputs_are_refused_with_a_clear_message(minutes, interest_rank, message) -> None:
    with pytest.raises(ValueError, match=message):
        pair_scores(minutes=minutes, interest_rank=interest_rank, weights=ScoreWeights(), max_minutes=40.0)


def test_negative_weights_are_refused() -> None:
    with pytest.raises(ValueError, match="travel_weight"):
        ScoreWeights(travel_weight=-1.0)


def test_explanation_reads_as_staff_see_it() -> None:
    text = score_explanation(minutes=12.4, by_transit=True, interest_rank=1, travel_points=4.0, interest_points=5.0)
    assert text == "12 min by transit (+4), first-choice category (+5)"


def test_explanation_names_walking_other_ranks_and_keeps_a_tenth_of_a_point() -> None:
    assert (
        score_explanation(minutes=7.5, by_transit=False, interest_rank=2, travel_points=4.1, interest_points=3.0)
        == "8 min walking (+4.1), second-choice category (+3)"
    )
    assert (
        score_explanation(minutes=30.0, by_transit=True, interest_rank=0, travel_points=1.3, interest_points=0.0)
        == "30 min by transit (+1.3), category not among their interests (+0)"
    )
    assert score_explanation(
        minutes=0.2, by_transit=False, interest_rank=5, travel_points=5.0, interest_points=1.0
    ).endswith("another listed interest (+1)")


@settings(deadline=None, max_examples=200)
@given(
    minutes=st.lists(st.floats(min_value=0, max_value=60, allow_nan=False), min_size=1, max_size=30),
    travel_weight=st.floats(min_value=0, max_value=20),
    interest_weight=st.floats(min_value=0, max_value=5),
)
def test_scores_add_up_and_travel_points_never_rise_with_minutes(minutes, travel_weight, interest_weight) -> None:
    weights = ScoreWeights(travel_weight=travel_weight, interest_weight=interest_weight)
    ordered = np.sort(np.array(minutes))
    scores = pair_scores(
        minutes=ordered, interest_rank=np.ones(ordered.size, dtype=int), weights=weights, max_minutes=40
    )
    assert np.all(np.diff(scores.travel_points) <= 0)
    assert np.all((scores.travel_points >= 0) & (scores.travel_points <= round(travel_weight, 1) + 1e-9))
    assert np.allclose(scores.total, scores.travel_points + scores.interest_points)
    assert np.allclose(scores.total, np.round(scores.total, 1))
