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


def _pairs_within(
    left: npt.NDArray[np.float64], right: npt.NDArray[np.float64], radius_m: float
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Index pairs (i, j) and distances of left[i], right[j] at most ``radius_m`` apart."""
    if left.shape[0] == 0 or right.shape[0] == 0 or radius_m < 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, np.empty(0, dtype=np.float64)
    near = cKDTree(left).sparse_distance_matrix(cKDTree(right), radius_m, output_type="ndarray")
    return near["i"].astype(np.int64), near["j"].astype(np.int64), near["v"].astype(np.float64)


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
    Returns the pairs sorted by youth then position, each with the faster mode's minutes.
    Raises ValueError on malformed input.
    """
    youth_points = _points("youth_xy", youth_xy)
    position_points = _points("position_xy", position_xy)
    stop_points = _points("stop_xy", stop_xy)
    has_pass = np.asarray(youth_has_pass, dtype=bool).ravel()
    if has_pass.shape[0] != youth_points.shape[0]:
        raise ValueError(f"youth_has_pass must have one value per youth ({youth_points.shape[0]}), got {has_pass.size}")
    walk_speed = parameters.walking_metres_per_minute

    # Walking, for everyone.
    walk_radius_m = parameters.max_minutes * walk_speed / parameters.walk_detour_factor
    walk_youth, walk_position, walk_distance = _pairs_within(youth_points, position_points, walk_radius_m)
    walk_minutes = parameters.walk_detour_factor * walk_distance / walk_speed

    transit_youth, transit_position, transit_minutes = _transit_pairs(
        youth_points=youth_points,
        has_pass=has_pass,
        position_points=position_points,
        stop_points=stop_points,
        parameters=parameters,
    )

    youth_index = np.concatenate((walk_youth, transit_youth))
    position_index = np.concatenate((walk_position, transit_position))
    minutes = np.concatenate((walk_minutes, transit_minutes))
    by_transit = np.concatenate((np.zeros(walk_youth.size, dtype=bool), np.ones(transit_youth.size, dtype=bool)))
    within = minutes <= parameters.max_minutes
    youth_index, position_index, minutes, by_transit = (
        youth_index[within],
        position_index[within],
        minutes[within],
        by_transit[within],
    )

    # One row per pair, the faster mode (walking on an exact tie), sorted by youth, position.
    pair_key = youth_index * max(position_points.shape[0], 1) + position_index
    order = np.lexsort((by_transit, minutes, pair_key))
    pair_key = pair_key[order]
    first_of_pair = np.ones(order.size, dtype=bool)
    first_of_pair[1:] = pair_key[1:] != pair_key[:-1]
    chosen = order[first_of_pair]
    return CandidatePairs(
        youth=youth_index[chosen].astype(np.int32),
        position=position_index[chosen].astype(np.int32),
        minutes=minutes[chosen].astype(np.float32),
        by_transit=by_transit[chosen],
    )


def _transit_pairs(
    *,
    youth_points: npt.NDArray[np.float64],
    has_pass: npt.NDArray[np.bool_],
    position_points: npt.NDArray[np.float64],
    stop_points: npt.NDArray[np.float64],
    parameters: CommuteParameters,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """(youth, position, minutes) of pairs a pass holder can reach by transit in time."""
    empty = np.empty(0, dtype=np.int64)
    if stop_points.shape[0] == 0 or not has_pass.any() or position_points.shape[0] == 0:
        return empty, empty, np.empty(0, dtype=np.float64)
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
    fixed_minutes = parameters.transit_wait_minutes
    riders = np.flatnonzero(
        has_pass
        & np.isfinite(home_stop_distance)
        & (access_minutes + fixed_minutes + np.min(egress_minutes) <= parameters.max_minutes)
    )
    served = np.flatnonzero(np.isfinite(job_stop_distance) & (egress_minutes + fixed_minutes <= parameters.max_minutes))
    if riders.size == 0 or served.size == 0:
        return empty, empty, np.empty(0, dtype=np.float64)

    # The longest ride anyone could still afford bounds the home-to-job distance of a
    # reachable pair (home-to-stop + stop-to-stop + stop-to-job, triangle inequality).
    ride_budget_minutes = (
        parameters.max_minutes - fixed_minutes - access_minutes[riders].min() - egress_minutes[served].min()
    )
    longest_ride_m = ride_budget_minutes * parameters.transit_metres_per_minute / parameters.transit_detour_factor
    reach_m = longest_ride_m + home_stop_distance[riders].max() + job_stop_distance[served].max()
    rider_index, served_index, _ = _pairs_within(youth_points[riders], position_points[served], reach_m)
    youth_index = riders[rider_index]
    position_index = served[served_index]

    ride_m = np.hypot(*(stop_points[home_stop[youth_index]] - stop_points[job_stop[position_index]]).T)
    minutes = (
        access_minutes[youth_index]
        + fixed_minutes
        + parameters.transit_detour_factor * ride_m / parameters.transit_metres_per_minute
        + egress_minutes[position_index]
    )
    reachable = minutes <= parameters.max_minutes
    return youth_index[reachable], position_index[reachable], minutes[reachable]
