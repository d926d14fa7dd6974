"""The map's grid clusters and boxes, on small arrays checked by hand and on random ones.

No database: `housing.map_grid` is pure numpy.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from housing.map_grid import MAX_CELLS_ACROSS, BoundingBox, cell_degrees, clusters_in

LEVELS = 4  # high, medium, low, not assessed
DC = BoundingBox(west=-77.12, south=38.79, east=-76.91, north=39.0)


def arrays(points: list[tuple[float, float, int, int]]) -> dict[str, np.ndarray]:
    latitude, longitude, level, units = zip(*points, strict=True)
    return {
        "latitude": np.array(latitude, dtype=np.float64),
        "longitude": np.array(longitude, dtype=np.float64),
        "level": np.array(level, dtype=np.int64),
        "units": np.array(units, dtype=np.int64),
    }


def test_two_cells_by_hand() -> None:
    # Cells of 0.1 degree: the first three points share the cell [38.9, 39.0) x [-77.0, -76.9).
    points = arrays(
        [
            (38.91, -76.99, 0, 10),
            (38.93, -76.95, 0, 20),
            (38.95, -76.91, 2, 0),
            (38.85, -77.05, 3, 7),
        ]
    )

    clusters = clusters_in(**points, levels=LEVELS, box=DC, cell=0.1)

    assert len(clusters.latitude) == 2
    order = np.argsort(clusters.latitude)
    south, north = (int(index) for index in order)
    assert clusters.by_level[north].tolist() == [2, 0, 1, 0]
    assert clusters.units[north] == 30
    assert clusters.latitude[north] == pytest.approx((38.91 + 38.93 + 38.95) / 3)
    assert clusters.longitude[north] == pytest.approx((-76.99 - 76.95 - 76.91) / 3)
    assert clusters.by_level[south].tolist() == [0, 0, 0, 1]
    assert (clusters.latitude[south], clusters.longitude[south], clusters.units[south]) == (38.85, -77.05, 7)


def test_a_cluster_holds_its_whole_cell_but_no_cell_outside_the_box() -> None:
    # The box ends at -76.95, inside the cell [-77.0, -76.9): the point at -76.91 still counts;
    # the point at -76.85 is in a cell the box does not meet.
    points = arrays([(38.91, -76.99, 0, 1), (38.92, -76.91, 1, 1), (38.92, -76.85, 1, 1)])
    box = BoundingBox(west=-77.05, south=38.85, east=-76.95, north=38.95)

    clusters = clusters_in(**points, levels=LEVELS, box=box, cell=0.1)

    assert clusters.by_level.tolist() == [[1, 1, 0, 0]]


def test_no_point_in_the_box_is_no_cluster() -> None:
    points = arrays([(40.0, -75.0, 0, 1)])

    clusters = clusters_in(**points, levels=LEVELS, box=DC, cell=0.01)

    assert len(clusters.latitude) == 0
    assert clusters.by_level.shape == (0, LEVELS)


def test_a_box_holds_only_its_points() -> None:
    points = arrays([(38.9, -77.0, 0, 1), (38.95, -77.05, 1, 1), (39.1, -77.0, 0, 1), (38.9, -77.2, 0, 1)])
    box = BoundingBox(west=-77.1, south=38.85, east=-76.95, north=39.0)

    assert box.contains(points["latitude"], points["longitude"]).tolist() == [True, True, False, False]
    # Its edges belong to it.
    edges = BoundingBox(west=-77.05, south=38.9, east=-77.0, north=38.95)
    assert edges.contains(points["latitude"], points["longitude"]).tolist() == [True, True, False, False]


def test_cells_halve_with_each_zoom_level_and_widen_for_a_box_larger_than_a_screen() -> None:
    street = BoundingBox(west=-77.03, south=38.90, east=-77.02, north=38.905)
    assert cell_degrees(zoom=12, box=street) == pytest.approx(64 * 360 / 256 / 4096)
    assert cell_degrees(zoom=13, box=street) == pytest.approx(cell_degrees(zoom=12, box=street) / 2)
    # A fractional zoom uses the grid of its whole level.
    assert cell_degrees(zoom=12.75, box=street) == cell_degrees(zoom=12, box=street)
    # The whole world at the closest zoom: at most MAX_CELLS_ACROSS cells either way.
    world = BoundingBox(west=-180, south=-90, east=180, north=90)
    cell = cell_degrees(zoom=22, box=world)
    assert 360 / cell <= MAX_CELLS_ACROSS


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("1,2,3", "four numbers"),
        ("a,b,c,d", "four numbers"),
        ("-77,38,-76,inf", "finite"),
        ("-76,38,-77,39", "west less than east"),
        ("-77,39,-76,38", "south less than north"),
        ("-190,38,-76,39", "longitudes from -180 to 180"),
        ("-77,-91,-76,39", "latitudes from -90 to 90"),
    ],
)
def test_a_bad_box_says_what_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        BoundingBox.parse(text)


def test_a_box_reads_as_leaflet_writes_it() -> None:
    assert BoundingBox.parse("-77.12,38.79,-76.91,39") == BoundingBox(west=-77.12, south=38.79, east=-76.91, north=39.0)


coordinates = st.tuples(
    st.floats(min_value=38.7, max_value=39.1),
    st.floats(min_value=-77.2, max_value=-76.8),
    st.integers(0, 3),
    st.integers(0, 500),
)


@settings(max_examples=200, deadline=None)
@given(points=st.lists(coordinates, min_size=1, max_size=300), zoom=st.floats(min_value=8, max_value=18))
def test_clusters_count_every_point_of_their_cells_once(
    points: list[tuple[float, float, int, int]], zoom: float
) -> None:
    given_arrays = arrays(points)
    cell = cell_degrees(zoom=zoom, box=DC)

    clusters = clusters_in(**given_arrays, levels=LEVELS, box=DC, cell=cell)

    # The box widened to whole cells holds exactly the clusters' points, level by level.
    widened = BoundingBox(
        west=math.floor(DC.west / cell) * cell,
        south=math.floor(DC.south / cell) * cell,
        east=(math.floor(DC.east / cell) + 1) * cell,
        north=(math.floor(DC.north / cell) + 1) * cell,
    )
    inside = (
        (np.floor(given_arrays["longitude"] / cell) >= math.floor(DC.west / cell))
        & (np.floor(given_arrays["longitude"] / cell) <= math.floor(DC.east / cell))
        & (np.floor(given_arrays["latitude"] / cell) >= math.floor(DC.south / cell))
        & (np.floor(given_arrays["latitude"] / cell) <= math.floor(DC.north / cell))
    )
    assert (
        clusters.by_level.sum(axis=0).tolist() == np.bincount(given_arrays["level"][inside], minlength=LEVELS).tolist()
    )
    assert clusters.units.sum() == given_arrays["units"][inside].sum()
    assert (clusters.by_level.sum(axis=1) > 0).all(), "no empty cluster"
    # Each centre lies in the widened box (a mean of points in one cell).
    assert widened.contains(clusters.latitude, clusters.longitude).all()
