"""Estimated door-to-door commute minutes between youth homes and job sites.

A planning estimate, not a trip planner: straight-line distances on a local projection,
stretched by a detour factor for the street network, at documented average speeds.

* Walking: ``walk_detour_factor`` x straight distance / walking speed.
* Transit (youth with a pass): walk from home to the nearest stop, wait, ride from that
  stop to the stop nearest the job (straight distance x ``transit_detour_factor`` at the
  average ride speed), walk to the job. A youth with a pass takes whichever of walking
  and transit is faster. Only the nearest stop at each end is considered, so a faster
  line one street further away is not found.

Vectorised with numpy and scipy's k-d tree: the tree finds each point's nearest stop and
prunes every pair farther apart than the farthest distance reachable within the maximum
commute; only the pairs that survive are computed one by one (in numpy). No Django import.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

# The projection's origin: Boston City Hall. WGS84 ellipsoid radii of curvature there.
_ORIGIN_LATITUDE = 42.3603
_ORIGIN_LONGITUDE = -71.0580
_WGS84_SEMI_MAJOR_AXIS_M = 6_378_137.0
_WGS84_ECCENTRICITY_SQUARED = 6.694_379_990_14e-3

# Youth are processed in blocks of consecutive numbers: each block's pairs are a few
# hundred thousand, so its temporary arrays stay small, and sorting the blocks one by one
# sorts them all.
_YOUTH_PER_BLOCK = 512


@dataclass(frozen=True)
class CommuteParameters:
    """Speeds and allowances of the estimate (a run's parameters).

    * ``walking_speed_kmh``: 4.8 km/h (3 mph), the usual planning figure for an adult
      pedestrian.
    * ``transit_speed_kmh``: 16 km/h (10 mph) average speed along the route, stops and
      dwell included. An assumption between MBTA buses, which in mixed traffic run
      well below it (MassDOT's Office of Performance Management and Innovation measures
      route speeds from the buses' AVL data and reports them falling from 2013 to 2017,
      "Declining MBTA Bus Speeds", massdottracker.com), and the subway lines, which run
      well above it. Staff can set it per run.
    * ``transit_wait_minutes``: 6 minutes, half of a 12-minute headway, as the average
      wait for a rider who does not time their arrival, with a transfer's wait folded in.
    * ``walk_detour_factor`` / ``transit_detour_factor``: 1.3, the usual ratio of network
      to straight-line distance in a street grid like Boston's.
    * ``max_walk_to_stop_m``: 800 m (about 10 minutes on foot, the half-mile catchment
      transit planners use); a home or job farther from every stop has no transit option.
    * ``max_minutes``: pairs with a longer estimated commute are not candidates.
    """

    walking_speed_kmh: float = 4.8
    transit_speed_kmh: float = 16.0
    transit_wait_minutes: float = 6.0
    walk_detour_factor: float = 1.3
    transit_detour_factor: float = 1.3
    max_minutes: float = 40.0
    max_walk_to_stop_m: float = 800.0

    def __post_init__(self) -> None:
        for name in ("walking_speed_kmh", "transit_speed_kmh", "max_minutes", "max_walk_to_stop_m"):
            value = getattr(self, name)
            if not math.isfinite(value) or value <= 0:
                raise ValueError(f"{name} must be a positive number, got {value!r}")
        if not math.isfinite(self.transit_wait_minutes) or self.transit_wait_minutes < 0:
            raise ValueError(f"transit_wait_minutes must be a number >= 0, got {self.transit_wait_minutes!r}")
        for name in ("walk_detour_factor", "transit_detour_factor"):
            value = getattr(self, name)
            if not math.isfinite(value) or value < 1:
                raise ValueError(f"{name} must be a number >= 1 (a network is never shorter), got {value!r}")

    @property
    def walking_metres_per_minute(self) -> float:
        return self.walking_speed_kmh * 1000.0 / 60.0

    @property
    def transit_metres_per_minute(self) -> float:
        return self.transit_speed_kmh * 1000.0 / 60.0


@dataclass(frozen=True)
class CandidatePairs:
    """Youth-position pairs within the maximum commute, sorted by youth then position.

    ``youth`` and ``position`` index the input arrays; ``minutes`` is the estimated
    door-to-door time of the faster mode; ``by_transit`` says that mode is transit.
    """

    youth: npt.NDArray[np.int32]
    position: npt.NDArray[np.int32]
    minutes: npt.NDArray[np.float32]
    by_transit: npt.NDArray[np.bool_]

    def __len__(self) -> int:
        return int(self.youth.size)


def lonlat_to_metres(lon: npt.ArrayLike, lat: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Project WGS84 longitude/latitude (degrees) to metres east/north of City Hall.

    A local equirectangular projection using the WGS84 ellipsoid's radii of curvature
    at City Hall's latitude. Within 20 km of City Hall (all of Boston) distances are off
    by less than 0.35 % (the cosine of latitude changes by that much over 20 km north or
    south), i.e. under 70 m on a 20 km trip: far below the detour factor's uncertainty.
    Returns an (N, 2) float64 array; raises ValueError on mismatched or non-finite input.
    """
    lon_array = np.asarray(lon, dtype=np.float64).ravel()
    lat_array = np.asarray(lat, dtype=np.float64).ravel()
    if lon_array.shape != lat_array.shape:
        raise ValueError(f"lon and lat must have the same length, got {lon_array.size} and {lat_array.size}")
    if not (np.all(np.isfinite(lon_array)) and np.all(np.isfinite(lat_array))):
        raise ValueError("lon and lat must be finite numbers")
    if np.any(np.abs(lat_array) > 90) or np.any(np.abs(lon_array) > 180):
        raise ValueError("lon must be within [-180, 180] and lat within [-90, 90] degrees")
    origin_latitude = math.radians(_ORIGIN_LATITUDE)
    sin_squared = math.sin(origin_latitude) ** 2
    denominator = 1.0 - _WGS84_ECCENTRICITY_SQUARED * sin_squared
    prime_vertical_radius = _WGS84_SEMI_MAJOR_AXIS_M / math.sqrt(denominator)
    meridional_radius = _WGS84_SEMI_MAJOR_AXIS_M * (1.0 - _WGS84_ECCENTRICITY_SQUARED) / denominator**1.5
    east = np.radians(lon_array - _ORIGIN_LONGITUDE) * prime_vertical_radius * math.cos(origin_latitude)
    north = np.radians(lat_array - _ORIGIN_LATITUDE) * meridional_radius
    return np.column_stack((east, north))


def _points(name: str, value: npt.ArrayLike) -> npt.NDArray[np.float64]:
    points = np.asarray(value, dtype=np.float64)
    if points.size == 0:
        return np.empty((0, 2), dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"{name} must be an (N, 2) array of metres, got shape {points.shape}")
    if not np.all(np.isfinite(points)):
        raise ValueError(f"{name} must contain only finite coordinates")
    return points


def commute_candidate_pairs(
    *,
    youth_xy: npt.ArrayLike,
    youth_has_pass: npt.ArrayLike,
    position_xy: npt.ArrayLike,
    stop_xy: npt.ArrayLike,
    parameters: CommuteParameters,
) -> CandidatePairs:
    """Every youth-position pair whose estimated door-to-door minutes <= ``max_minutes``.

    Inputs are in metres (``lonlat_to_metres``): ``youth_xy`` (Y, 2), ``youth_has_pass``
    (Y,) bools, ``position_xy`` (P, 2), ``stop_xy`` (S, 2; may be empty: everyone walks).
    Returns the pairs sorted by youth then position, each with the faster mode's minutes
    (walking on an exact tie). Raises ValueError on malformed input.
    """
    youth_points = _points("youth_xy", youth_xy)
    position_points = _points("position_xy", position_xy)
    stop_points = _points("stop_xy", stop_xy)
    has_pass = np.asarray(youth_has_pass, dtype=bool).ravel()
    if has_pass.shape[0] != youth_points.shape[0]:
        raise ValueError(f"youth_has_pass must have one value per youth ({youth_points.shape[0]}), got {has_pass.size}")
    access = _transit_access(
        youth_points=youth_points,
        has_pass=has_pass,
        position_points=position_points,
        stop_points=stop_points,
        parameters=parameters,
    )
    position_tree = cKDTree(position_points)
    served_tree = cKDTree(position_points[access.served])
    blocks = [
        _block_pairs(
            youth_points=youth_points,
            first_youth=first_youth,
            position_tree=position_tree,
            served_tree=served_tree,
            access=access,
            parameters=parameters,
        )
        for first_youth in range(0, youth_points.shape[0], _YOUTH_PER_BLOCK)
    ]
    if not blocks:
        return CandidatePairs(
            youth=np.empty(0, dtype=np.int32),
            position=np.empty(0, dtype=np.int32),
            minutes=np.empty(0, dtype=np.float32),
            by_transit=np.empty(0, dtype=bool),
        )
    return CandidatePairs(
        youth=np.concatenate([block.youth for block in blocks]),
        position=np.concatenate([block.position for block in blocks]),
        minutes=np.concatenate([block.minutes for block in blocks]),
        by_transit=np.concatenate([block.by_transit for block in blocks]),
    )


def pair_commutes(
    *,
    youth_xy: npt.ArrayLike,
    youth_has_pass: npt.ArrayLike,
    position_xy: npt.ArrayLike,
    stop_xy: npt.ArrayLike,
    parameters: CommuteParameters,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """The commute of given pairs: youth i of ``youth_xy`` to position i of ``position_xy``.

    The same estimate as ``commute_candidate_pairs`` for a few known pairs (a direct
    hire's) without a search: per pair, the faster mode's minutes (nan beyond
    ``max_minutes``) and whether that mode is transit.
    """
    youth_points = _points("youth_xy", youth_xy)
    position_points = _points("position_xy", position_xy)
    stop_points = _points("stop_xy", stop_xy)
    has_pass = np.asarray(youth_has_pass, dtype=bool).ravel()
    if not youth_points.shape[0] == has_pass.size == position_points.shape[0]:
        raise ValueError("youth_xy, youth_has_pass and position_xy must have one row per pair")
    walk_minutes_per_metre = parameters.walk_detour_factor / parameters.walking_metres_per_minute
    walk_minutes = np.hypot(*(youth_points - position_points).T) * walk_minutes_per_metre
    transit_minutes = np.full(has_pass.size, np.inf)
    if stop_points.shape[0] and has_pass.size:
        stop_tree = cKDTree(stop_points)
        walk_limit_m = parameters.max_walk_to_stop_m
        home_distance, home_stop = stop_tree.query(youth_points, k=1, distance_upper_bound=walk_limit_m)
        job_distance, job_stop = stop_tree.query(position_points, k=1, distance_upper_bound=walk_limit_m)
        rides = has_pass & np.isfinite(home_distance) & np.isfinite(job_distance)
        ride_m = np.hypot(*(stop_points[home_stop[rides]] - stop_points[job_stop[rides]]).T)
        transit_minutes[rides] = (
            ride_m * parameters.transit_detour_factor / parameters.transit_metres_per_minute
            + (home_distance[rides] + job_distance[rides]) * walk_minutes_per_metre
            + parameters.transit_wait_minutes
        )
    by_transit = transit_minutes < walk_minutes
    minutes = np.minimum(walk_minutes, transit_minutes)
    return np.where(minutes <= parameters.max_minutes, minutes, np.nan), by_transit


def _block_pairs(
    *,
    youth_points: npt.NDArray[np.float64],
    first_youth: int,
    position_tree: cKDTree,
    served_tree: cKDTree,
    access: _TransitAccess,
    parameters: CommuteParameters,
) -> CandidatePairs:
    """The candidate pairs of youth first_youth .. first_youth + _YOUTH_PER_BLOCK - 1."""
    block_end = min(first_youth + _YOUTH_PER_BLOCK, youth_points.shape[0])
    walk_minutes_per_metre = parameters.walk_detour_factor / parameters.walking_metres_per_minute
    walk_radius_m = parameters.max_minutes / walk_minutes_per_metre

    # Walking, for pairs no transit could serve (riders' pairs are all handled below).
    near = cKDTree(youth_points[first_youth:block_end]).sparse_distance_matrix(
        position_tree, walk_radius_m, output_type="ndarray"
    )
    walk_youth = near["i"] + first_youth
    walk_only = ~(access.is_rider[walk_youth] & access.is_served[near["j"]])
    walk_youth, walk_position = walk_youth[walk_only], near["j"][walk_only]
    walk_minutes = near["v"][walk_only] * walk_minutes_per_metre

    # A rider and a served position: both modes, the faster kept. The search radius
    # covers the walking radius as well.
    block_riders = first_youth + np.flatnonzero(access.is_rider[first_youth:block_end])
    if block_riders.size and access.served.size:
        near = cKDTree(youth_points[block_riders]).sparse_distance_matrix(
            served_tree, max(access.reach_m, walk_radius_m), output_type="ndarray"
        )
        rider_youth = block_riders[near["i"]]
        rider_position = access.served[near["j"]]
        # Stop-to-stop metres, turned into door-to-door minutes in place: these arrays
        # hold hundreds of thousands of pairs, so each temporary saved counts.
        transit_minutes = np.hypot(
            access.home_stop_x[rider_youth] - access.job_stop_x[rider_position],
            access.home_stop_y[rider_youth] - access.job_stop_y[rider_position],
        )
        transit_minutes *= parameters.transit_detour_factor / parameters.transit_metres_per_minute
        transit_minutes += access.access_minutes[rider_youth]
        transit_minutes += access.egress_minutes[rider_position]
        transit_minutes += parameters.transit_wait_minutes
        rider_walk_minutes = near["v"] * walk_minutes_per_metre
        rider_by_transit = transit_minutes < rider_walk_minutes
        rider_minutes = np.minimum(transit_minutes, rider_walk_minutes, out=transit_minutes)
    else:
        rider_youth = rider_position = np.empty(0, dtype=np.int64)
        rider_minutes = np.empty(0, dtype=np.float64)
        rider_by_transit = np.empty(0, dtype=bool)

    youth = np.concatenate((walk_youth, rider_youth))
    position = np.concatenate((walk_position, rider_position))
    minutes = np.concatenate((walk_minutes, rider_minutes))
    by_transit = np.concatenate((np.zeros(walk_youth.size, dtype=bool), rider_by_transit))
    within = np.flatnonzero(minutes <= parameters.max_minutes)
    # The two sets share no pair, so the keys are unique and the order is fully determined.
    pair_key = (youth[within] - first_youth) * max(position_tree.n, 1) + position[within]
    chosen = within[np.argsort(pair_key)]
    return CandidatePairs(
        youth=youth[chosen].astype(np.int32),
        position=position[chosen].astype(np.int32),
        minutes=minutes[chosen].astype(np.float32),
        by_transit=by_transit[chosen],
    )


@dataclass(frozen=True)
class _TransitAccess:
    """Who can ride (a pass and a stop within reach), which positions a stop serves."""

    riders: npt.NDArray[np.int64]
    served: npt.NDArray[np.int64]
    is_rider: npt.NDArray[np.bool_]
    is_served: npt.NDArray[np.bool_]
    home_stop_x: npt.NDArray[np.float64]
    home_stop_y: npt.NDArray[np.float64]
    job_stop_x: npt.NDArray[np.float64]
    job_stop_y: npt.NDArray[np.float64]
    access_minutes: npt.NDArray[np.float64]
    egress_minutes: npt.NDArray[np.float64]
    reach_m: float


def _transit_access(
    *,
    youth_points: npt.NDArray[np.float64],
    has_pass: npt.NDArray[np.bool_],
    position_points: npt.NDArray[np.float64],
    stop_points: npt.NDArray[np.float64],
    parameters: CommuteParameters,
) -> _TransitAccess:
    """Nearest stops (a k-d tree query) and the farthest a rider could get in time."""
    youth_count, position_count = youth_points.shape[0], position_points.shape[0]
    is_rider = np.zeros(youth_count, dtype=bool)
    is_served = np.zeros(position_count, dtype=bool)
    home_stop = np.full(youth_count, stop_points.shape[0], dtype=np.int64)
    job_stop = np.full(position_count, stop_points.shape[0], dtype=np.int64)
    access_minutes = np.full(youth_count, np.inf)
    egress_minutes = np.full(position_count, np.inf)
    reach_m = 0.0
    if stop_points.shape[0] and has_pass.any() and position_count:
        walk_speed = parameters.walking_metres_per_minute
        stop_tree = cKDTree(stop_points)
        # Points with no stop within the walking limit get distance inf (and index S).
        home_stop_distance, home_stop = stop_tree.query(
            youth_points, k=1, distance_upper_bound=parameters.max_walk_to_stop_m
        )
        job_stop_distance, job_stop = stop_tree.query(
            position_points, k=1, distance_upper_bound=parameters.max_walk_to_stop_m
        )
        access_minutes = parameters.walk_detour_factor * home_stop_distance / walk_speed
        egress_minutes = parameters.walk_detour_factor * job_stop_distance / walk_speed
        time_left = parameters.max_minutes - parameters.transit_wait_minutes
        is_served = egress_minutes <= time_left
        if is_served.any():
            is_rider = has_pass & (access_minutes + egress_minutes[is_served].min() <= time_left)
        if is_rider.any():
            # The longest ride anyone could still afford bounds the home-to-job distance
            # of a reachable pair (home-to-stop + stop-to-stop + stop-to-job: triangle
            # inequality), so the k-d tree need not look farther.
            ride_budget_minutes = time_left - access_minutes[is_rider].min() - egress_minutes[is_served].min()
            longest_ride_m = (
                ride_budget_minutes * parameters.transit_metres_per_minute / parameters.transit_detour_factor
            )
            reach_m = float(longest_ride_m + home_stop_distance[is_rider].max() + job_stop_distance[is_served].max())
    # Per youth and per position, the coordinates of its nearest stop (0 where none
    # serves: such youth and positions are not riders or served, never looked up).
    stop_points_or_origin = np.vstack((stop_points, np.zeros((1, 2))))
    home_stop_xy = stop_points_or_origin[np.minimum(home_stop, stop_points.shape[0])]
    job_stop_xy = stop_points_or_origin[np.minimum(job_stop, stop_points.shape[0])]
    return _TransitAccess(
        riders=np.flatnonzero(is_rider),
        served=np.flatnonzero(is_served),
        is_rider=is_rider,
        is_served=is_served,
        home_stop_x=np.ascontiguousarray(home_stop_xy[:, 0]),
        home_stop_y=np.ascontiguousarray(home_stop_xy[:, 1]),
        job_stop_x=np.ascontiguousarray(job_stop_xy[:, 0]),
        job_stop_y=np.ascontiguousarray(job_stop_xy[:, 1]),
        access_minutes=access_minutes,
        egress_minutes=egress_minutes,
        reach_m=reach_m,
    )
