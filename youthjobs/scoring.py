"""Explainable scores for youth-position pairs: a travel part and an interest part.

A pair's score is what the matching mechanisms maximise (youth prefer higher scores).
It is the sum of two parts staff can read off a placement:

* travel points fall linearly from ``travel_weight`` for a job at the door to 0 at the
  run's maximum commute, so every minute of travel costs the same number of points;
* interest points are ``interest_weight`` times the points for where the position's
  category stands in the youth's list (first choice, second, third, another listed
  interest, not listed).

Both parts are rounded to a tenth of a point, so the figures in the explanation
("12 min by transit (+3.5), first-choice category (+5)") add up exactly to the score
the matching used. Pure numpy; no Django import.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

# Interest ranks as the services pass them: 1, 2, 3 are the youth's first, second and
# third choice of category; any larger rank is another interest the youth listed; 0
# means the position's category is not among the youth's interests.
INTEREST_RANK_NOT_LISTED = 0
INTEREST_RANK_FIRST_CHOICE = 1
INTEREST_RANK_SECOND_CHOICE = 2
INTEREST_RANK_THIRD_CHOICE = 3
INTEREST_RANK_OTHER_LISTED = 4

# Points are shown to staff, and summed into the score the matching compares, with
# this many decimals.
POINTS_DECIMALS = 1


@dataclass(frozen=True)
class ScoreWeights:
    """The weights of a run.

    Defaults give travel and interest the same maximum (5 points each), so a youth's
    first-choice category 40 minutes away scores as much as an unlisted category at
    the door: staff found both outcomes equally unlikely to last the summer.
    """

    travel_weight: float = 5.0
    interest_weight: float = 1.0
    first_choice_points: float = 5.0
    second_choice_points: float = 3.0
    third_choice_points: float = 2.0
    other_interest_points: float = 1.0
    not_listed_points: float = 0.0

    def __post_init__(self) -> None:
        for name in (
            "travel_weight",
            "interest_weight",
            "first_choice_points",
            "second_choice_points",
            "third_choice_points",
            "other_interest_points",
            "not_listed_points",
        ):
            value = getattr(self, name)
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")

    def points_by_rank(self) -> npt.NDArray[np.float64]:
        """Interest points before ``interest_weight``, indexed by min(rank, 4)."""
        return np.array(
            [
                self.not_listed_points,
                self.first_choice_points,
                self.second_choice_points,
                self.third_choice_points,
                self.other_interest_points,
            ],
            dtype=np.float64,
        )


@dataclass(frozen=True)
class PairScores:
    """Per-pair score parts, in the order of the inputs; ``total = travel + interest``."""

    travel_points: npt.NDArray[np.float64]
    interest_points: npt.NDArray[np.float64]
    total: npt.NDArray[np.float64]


def pair_scores(
    *,
    minutes: npt.ArrayLike,
    interest_rank: npt.ArrayLike,
    weights: ScoreWeights,
    max_minutes: float,
) -> PairScores:
    """Score every pair from its commute minutes and interest rank.

    ``minutes`` (>= 0) and ``interest_rank`` (>= 0, see the INTEREST_RANK_* constants)
    are 1-D arrays of equal length. Minutes beyond ``max_minutes`` earn no travel
    points (candidate pairs never exceed it; the clip absorbs float32 rounding).
    Raises ValueError on mismatched shapes, negative or non-finite values.
    """
    minutes_array = np.asarray(minutes, dtype=np.float64)
    rank_array = np.asarray(interest_rank)
    if minutes_array.ndim != 1 or rank_array.shape != minutes_array.shape:
        raise ValueError(
            f"minutes and interest_rank must be 1-D arrays of the same length, "
            f"got shapes {minutes_array.shape} and {rank_array.shape}"
        )
    if not math.isfinite(max_minutes) or max_minutes <= 0:
        raise ValueError(f"max_minutes must be a positive number, got {max_minutes!r}")
    if not np.all(np.isfinite(minutes_array)) or np.any(minutes_array < 0):
        raise ValueError("minutes must be finite and >= 0")
    if rank_array.size and (not np.issubdtype(rank_array.dtype, np.integer) or rank_array.min() < 0):
        raise ValueError("interest_rank must be integers >= 0")

    travel_fraction = np.clip(1.0 - minutes_array / max_minutes, 0.0, 1.0)
    travel_points = np.round(weights.travel_weight * travel_fraction, POINTS_DECIMALS)
    rank_index = np.minimum(rank_array.astype(np.int64), INTEREST_RANK_OTHER_LISTED)
    interest_points = np.round(weights.interest_weight * weights.points_by_rank()[rank_index], POINTS_DECIMALS)
    return PairScores(
        travel_points=travel_points,
        interest_points=interest_points,
        total=np.round(travel_points + interest_points, POINTS_DECIMALS),
    )


def _format_points(points: float) -> str:
    # Whole points read as "+5", fractional ones keep their tenth: "+3.5".
    rounded = round(points, POINTS_DECIMALS)
    if rounded == int(rounded):
        return f"+{int(rounded)}"
    return f"+{rounded:.1f}"


def _interest_label(interest_rank: int) -> str:
    if interest_rank < 0:
        raise ValueError(f"interest_rank must be >= 0, got {interest_rank}")
    if interest_rank == INTEREST_RANK_NOT_LISTED:
        return "category not among their interests"
    if interest_rank == INTEREST_RANK_FIRST_CHOICE:
        return "first-choice category"
    if interest_rank == INTEREST_RANK_SECOND_CHOICE:
        return "second-choice category"
    if interest_rank == INTEREST_RANK_THIRD_CHOICE:
        return "third-choice category"
    return "another listed interest"


def score_explanation(
    *,
    minutes: float,
    by_transit: bool,
    interest_rank: int,
    travel_points: float,
    interest_points: float,
) -> str:
    """One pair's score in words, e.g. "12 min by transit (+4), first-choice category (+5)".

    Minutes are shown rounded to the nearest whole minute (halves up); points with at
    most one decimal, as ``pair_scores`` produced them.
    """
    if not math.isfinite(minutes) or minutes < 0:
        raise ValueError(f"minutes must be finite and >= 0, got {minutes!r}")
    shown_minutes = math.floor(minutes + 0.5)
    mode = "by transit" if by_transit else "walking"
    return (
        f"{shown_minutes} min {mode} ({_format_points(travel_points)}), "
        f"{_interest_label(int(interest_rank))} ({_format_points(interest_points)})"
    )
