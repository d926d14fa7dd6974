"""Commute estimates checked against distances computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from youthjobs.commute import CommuteParameters, commute_candidate_pairs, lonlat_to_metres

# Round numbers make the hand computations easy: 6 km/h walking = 100 m a minute,
# 30 km/h riding = 500 m a minute, no detours, a 5-minute wait.
PARAMETERS = CommuteParameters(
    walking_speed_kmh=6.0,
    transit_speed_kmh=30.0,
    transit_wait_minutes=5.0,
    walk_detour_factor=1.0,
    transit_detour_factor=1.0,
    max_minutes=40.0,
    max_walk_to_stop_m=500.0,
)


def _pairs(youth_xy, has_pass, position_xy, stop_xy, parameters=PARAMETERS):
    return commute_candidate_pairs(
        youth_xy=np.array(youth_xy, dtype=float),
        youth_has_pass=np.array(has_pass, dtype=bool),
        position_xy=np.array(position_xy, dtype=float),
        stop_xy=np.array(stop_xy, dtype=float).reshape(-1, 2),
        parameters=parameters,
    )


def test_projection_matches_known_distances_in_boston() -> None:
    # City Hall is the origin; one hundredth of a degree north is 1,112 m at this latitude
    # (WGS84 meridian arc), one hundredth of a degree east 822 m.
    xy = lonlat_to_metres([-71.0580, -71.0580, -71.0480], [42.3603, 42.3703, 42.3603])
    assert xy[0] == pytest.approx([0.0, 0.0], abs=1e-6)
    assert xy[1][1] == pytest.approx(1112.0, abs=2.0)
    assert xy[2][0] == pytest.approx(822.0, abs=2.0)
    # Back Bay station to South Station agrees with the great-circle distance within 0.35 %.
    lon, lat = np.radians([-71.0755, -71.0552]), np.radians([42.3473, 42.3522])
    haversine = (
        2
        * 6_371_008.8
        * math.asin(
            math.sqrt(
                math.sin((lat[1] - lat[0]) / 2) ** 2
                + math.cos(lat[0]) * math.cos(lat[1]) * math.sin((lon[1] - lon[0]) / 2) ** 2
            )
        )
    )
    stations = lonlat_to_metres([-71.0755, -71.0552], [42.3473, 42.3522])
    assert math.dist(stations[0], stations[1]) == pytest.approx(haversine, rel=0.0035)


def test_projection_refuses_bad_coordinates() -> None:
    with pytest.raises(ValueError, match="same length"):
        lonlat_to_metres([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="finite"):
        lonlat_to_metres([float("nan")], [42.0])
    with pytest.raises(ValueError, match="within"):
        lonlat_to_metres([-71.0], [142.0])


def test_youth_without_a_pass_walks_and_farther_positions_are_not_candidates() -> None:
    # Positions 1,000 m (10 min), 4,000 m (40 min, exactly the maximum) and 4,100 m away.
    pairs = _pairs([[0, 0]], [False], [[1000, 0], [0, 4000], [4100, 0]], [[0, 10], [4000, 10]])
    assert pairs.position.tolist() == [0, 1]
    assert pairs.minutes.tolist() == pytest.approx([10.0, 40.0])
    assert not pairs.by_transit.any()


def test_stop_next_to_home_and_job_makes_transit_the_faster_way() -> None:
    # Home 100 m from stop A, job 200 m from stop B, stops 6,000 m apart:
    # 1 min walk + 5 min wait + 12 min ride + 2 min walk = 20 min; walking would be 60 min.
    pairs = _pairs([[0, 0]], [True], [[6000, 300]], [[0, 100], [6000, 100]])
    assert pairs.youth.tolist() == [0]
    assert pairs.position.tolist() == [0]
    assert pairs.minutes[0] == pytest.approx(20.0)
    assert pairs.by_transit.tolist() == [True]


def test_pass_holder_walks_when_walking_is_faster() -> None:
    # Job 300 m away (3 min walk); transit would be at least the 5-minute wait.
    pairs = _pairs([[0, 0]], [True], [[300, 0]], [[0, 0], [300, 0]])
    assert pairs.minutes[0] == pytest.approx(3.0)
    assert pairs.by_transit.tolist() == [False]


def test_the_same_trip_without_a_pass_is_beyond_reach() -> None:
    pairs = _pairs([[0, 0]], [False], [[6000, 300]], [[0, 100], [6000, 100]])
    assert len(pairs) == 0


def test_no_transit_from_a_home_farther_than_the_walking_limit_from_every_stop() -> None:
    # The nearest stop is 600 m away, more than the 500 m limit: no transit option at all.
    pairs = _pairs([[0, 0]], [True], [[6000, 0]], [[0, 600], [6000, 0]])
    assert len(pairs) == 0


def test_slow_transit_beyond_the_maximum_is_excluded() -> None:
    # 1 + 5 + 12 + 2 = 20 min at 30 km/h; at 10 km/h the ride takes 36 min: 44 min in all.
    slow = CommuteParameters(
        walking_speed_kmh=6.0,
        transit_speed_kmh=10.0,
        transit_wait_minutes=5.0,
        walk_detour_factor=1.0,
        transit_detour_factor=1.0,
        max_minutes=40.0,
        max_walk_to_stop_m=500.0,
    )
    assert len(_pairs([[0, 0]], [True], [[6000, 300]], [[0, 100], [6000, 100]], parameters=slow)) == 0


def test_detour_factors_stretch_walks_and_rides() -> None:
    stretched = CommuteParameters(
        walking_speed_kmh=6.0,
        transit_speed_kmh=30.0,
        transit_wait_minutes=5.0,
        walk_detour_factor=1.5,
        transit_detour_factor=1.2,
        max_minutes=40.0,
        max_walk_to_stop_m=500.0,
    )
    # Walks: 100 m x 1.5 = 1.5 min and 200 m x 1.5 = 3 min; ride 6,000 m x 1.2 = 14.4 min.
    pairs = _pairs([[0, 0]], [True], [[6000, 300]], [[0, 100], [6000, 100]], parameters=stretched)
    assert pairs.minutes[0] == pytest.approx(1.5 + 5.0 + 14.4 + 3.0)


def test_pairs_come_sorted_by_youth_then_position_with_the_documented_types() -> None:
    youth = [[0, 0], [300, 0], [0, 0]]
    positions = [[500, 0], [0, 500], [5000, 5000]]
    pairs = _pairs(youth, [False, True, False], positions, [[0, 0], [5000, 5000]])
    assert list(zip(pairs.youth.tolist(), pairs.position.tolist(), strict=True)) == [
        (0, 0),
        (0, 1),
        (1, 0),
        (1, 1),
        (1, 2),
        (2, 0),
        (2, 1),
    ]
    assert pairs.youth.dtype == np.int32 and pairs.position.dtype == np.int32
    assert pairs.minutes.dtype == np.float32 and pairs.by_transit.dtype == np.bool_
    # Youth 1 reaches the far position by transit: 3 min walk to the stop at the origin,
    # 5 min wait, 7,071 m ride (14.1 min), the job is at the stop.
    assert pairs.minutes[4] == pytest.approx(3.0 + 5.0 + math.hypot(5000, 5000) / 500.0, rel=1e-6)
    assert pairs.by_transit.tolist() == [False, False, False, False, True, False, False]


def test_no_stops_means_everyone_walks_and_empty_inputs_give_no_pairs() -> None:
    assert not _pairs([[0, 0]], [True], [[500, 0]], []).by_transit.any()
    assert len(_pairs(np.empty((0, 2)), [], [[500, 0]], [[0, 0]])) == 0
    assert len(_pairs([[0, 0]], [True], np.empty((0, 2)), [[0, 0]])) == 0


def test_malformed_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="one value per youth"):
        _pairs([[0, 0]], [True, False], [[500, 0]], [[0, 0]])
    with pytest.raises(ValueError, match=r"\(N, 2\)"):
        _pairs([[0, 0, 0]], [True], [[500, 0]], [[0, 0]])
    with pytest.raises(ValueError, match="walking_speed_kmh"):
        CommuteParameters(walking_speed_kmh=0)
    with pytest.raises(ValueError, match="detour"):
        CommuteParameters(walk_detour_factor=0.9)


coordinates = st.tuples(st.floats(-6000, 6000), st.floats(-6000, 6000))


@settings(deadline=None, max_examples=60)
@given(
    youth=st.lists(coordinates, min_size=1, max_size=12),
    positions=st.lists(coordinates, min_size=1, max_size=12),
    stops=st.lists(coordinates, min_size=0, max_size=12),
    pass_seed=st.integers(0, 2**16),
)
def test_candidate_pairs_equal_a_brute_force_over_every_pair(youth, positions, stops, pass_seed) -> None:
    youth_xy = np.array(youth)
    position_xy = np.array(positions)
    stop_xy = np.array(stops).reshape(-1, 2)
    has_pass = np.random.default_rng(pass_seed).random(len(youth)) < 0.5
    parameters = CommuteParameters()
    pairs = commute_candidate_pairs(
        youth_xy=youth_xy, youth_has_pass=has_pass, position_xy=position_xy, stop_xy=stop_xy, parameters=parameters
    )

    # By hand: every pair, every mode; where two stops are equally near, any of them may
    # be "the nearest", so a pair's minutes lie between the fastest and slowest reading.
    walk = parameters.walking_metres_per_minute
    fastest, slowest = {}, {}
    for y, home in enumerate(youth_xy):
        for p, job in enumerate(position_xy):
            walking = parameters.walk_detour_factor * math.dist(home, job) / walk
            options = [walking]
            if has_pass[y] and len(stop_xy):
                home_distance = min(math.dist(home, stop) for stop in stop_xy)
                job_distance = min(math.dist(job, stop) for stop in stop_xy)
                if max(home_distance, job_distance) <= parameters.max_walk_to_stop_m:
                    home_stops = [stop for stop in stop_xy if math.dist(home, stop) == home_distance]
                    job_stops = [stop for stop in stop_xy if math.dist(job, stop) == job_distance]
                    options_by_stops = [
                        min(
                            walking,
                            parameters.walk_detour_factor * (home_distance + job_distance) / walk
                            + parameters.transit_wait_minutes
                            + parameters.transit_detour_factor
                            * math.dist(home_stop, job_stop)
                            / parameters.transit_metres_per_minute,
                        )
                        for home_stop in home_stops
                        for job_stop in job_stops
                    ]
                    options = options_by_stops
            fastest[(y, p)], slowest[(y, p)] = min(options), max(options)
    found = dict(
        zip(zip(pairs.youth.tolist(), pairs.position.tolist(), strict=True), pairs.minutes.tolist(), strict=True)
    )
    limit = parameters.max_minutes + 1e-4  # float32 minutes near the maximum may fall either side
    for pair in fastest:
        if slowest[pair] <= parameters.max_minutes - 1e-4:
            assert pair in found
        if fastest[pair] > limit:
            assert pair not in found
        if pair in found:
            assert fastest[pair] - 1e-3 <= found[pair] <= slowest[pair] + 1e-3


def test_many_youth_in_several_blocks_match_a_dense_computation() -> None:
    # More youth than one block of the k-d tree search, across a Boston-sized area.
    rng = np.random.default_rng(11)
    youth_xy = rng.uniform(-8000, 8000, (1300, 2))
    position_xy = rng.uniform(-8000, 8000, (40, 2))
    stop_xy = rng.uniform(-8000, 8000, (300, 2))
    has_pass = rng.random(1300) < 0.6
    parameters = CommuteParameters()
    pairs = commute_candidate_pairs(
        youth_xy=youth_xy, youth_has_pass=has_pass, position_xy=position_xy, stop_xy=stop_xy, parameters=parameters
    )

    walk = parameters.walking_metres_per_minute
    distance = np.linalg.norm(youth_xy[:, None, :] - position_xy[None, :, :], axis=2)
    minutes = parameters.walk_detour_factor * distance / walk
    home_distances = np.linalg.norm(youth_xy[:, None, :] - stop_xy[None, :, :], axis=2)
    job_distances = np.linalg.norm(position_xy[:, None, :] - stop_xy[None, :, :], axis=2)
    home_stop, job_stop = home_distances.argmin(axis=1), job_distances.argmin(axis=1)
    home_walk, job_walk = home_distances.min(axis=1), job_distances.min(axis=1)
    ride = np.linalg.norm(stop_xy[home_stop][:, None, :] - stop_xy[job_stop][None, :, :], axis=2)
    transit = (
        parameters.walk_detour_factor * (home_walk[:, None] + job_walk[None, :]) / walk
        + parameters.transit_wait_minutes
        + parameters.transit_detour_factor * ride / parameters.transit_metres_per_minute
    )
    can_ride = (
        has_pass[:, None]
        & (home_walk[:, None] <= parameters.max_walk_to_stop_m)
        & (job_walk[None, :] <= parameters.max_walk_to_stop_m)
    )
    by_transit = can_ride & (transit < minutes)
    minutes = np.where(by_transit, transit, minutes)
    expected_youth, expected_position = np.nonzero(minutes <= parameters.max_minutes)

    assert pairs.youth.tolist() == expected_youth.tolist()
    assert pairs.position.tolist() == expected_position.tolist()
    assert np.allclose(pairs.minutes, minutes[expected_youth, expected_position], rtol=1e-6)
    assert pairs.by_transit.tolist() == by_transit[expected_youth, expected_position].tolist()
    assert 0.2 < pairs.by_transit.mean() < 0.9  # both modes really occur
