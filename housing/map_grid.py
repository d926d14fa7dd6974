"""What the dashboard's map shows of a view: the projects in a box, or, when the box holds too
many to draw one by one, their clusters on a grid sized by the map's zoom.

Pure numpy, no Django: arrays of the points in, arrays of what is drawn out, so it can be
tested and benchmarked alone. Snapping 200,000 points to a grid takes milliseconds.

The grid is fixed on the globe (a cell's corners are whole multiples of its size in degrees),
so a cluster stays where it is while the map pans; the view's box is widened to whole cells,
and a cluster holds every point of its cell, those just outside the view included.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

# A cluster cell is this many screen pixels wide at the map's zoom (a Web Mercator tile is
# 256 pixels wide for 360 degrees at zoom 0): about a marker and a half.
CELL_PIXELS = 64
TILE_PIXELS = 256
# However large the box asked for, at most this many cells across it either way: a box far
# larger than a screen widens the cells rather than the answer.
MAX_CELLS_ACROSS = 64
# The projects one by one up to this many in the box; clusters beyond.
MAX_POINTS = 2_000
MAX_ZOOM = 22

FloatArray = npt.NDArray[np.floating[Any]]
IntArray = npt.NDArray[np.integer[Any]]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class BoundingBox:
    """A view of the map in degrees: west and east longitudes, south and north latitudes."""

    west: float
    south: float
    east: float
    north: float

    @classmethod
    def parse(cls, text: str) -> BoundingBox:
        """'west,south,east,north' as Leaflet's `toBBoxString()` writes it. Raises ValueError
        saying what is wrong."""
        parts = text.split(",")
        if len(parts) != 4:
            raise ValueError("four numbers separated by commas: west,south,east,north")
        try:
            west, south, east, north = (float(part) for part in parts)
        except ValueError:
            raise ValueError("four numbers separated by commas: west,south,east,north") from None
        if not all(math.isfinite(value) for value in (west, south, east, north)):
            raise ValueError("the numbers must be finite")
        if not (-180 <= west < east <= 180):
            raise ValueError("longitudes from -180 to 180, west less than east")
        if not (-90 <= south < north <= 90):
            raise ValueError("latitudes from -90 to 90, south less than north")
        return cls(west=west, south=south, east=east, north=north)

    def contains(self, latitude: FloatArray, longitude: FloatArray) -> BoolArray:
        """Which of the points lie in the box (its edges included)."""
        return (latitude >= self.south) & (latitude <= self.north) & (longitude >= self.west) & (longitude <= self.east)


@dataclass(frozen=True)
class Clusters:
    """One row per non-empty cell: the mean position of its points, how many points of each
    level (columns in the order of the levels' codes) and the sum of their units."""

    latitude: FloatArray
    longitude: FloatArray
    by_level: IntArray
    units: IntArray


def cell_degrees(*, zoom: float, box: BoundingBox) -> float:
    """The side of a grid cell in degrees: `CELL_PIXELS` at `zoom` (its whole part, so every
    view at one zoom shares a grid), doubled until the box is at most `MAX_CELLS_ACROSS`
    cells across either way."""
    degrees = CELL_PIXELS * 360 / TILE_PIXELS / 2.0 ** math.floor(zoom)
    while max(box.east - box.west, box.north - box.south) / degrees > MAX_CELLS_ACROSS:
        degrees *= 2
    return degrees


def clusters_in(
    *,
    latitude: FloatArray,
    longitude: FloatArray,
    level: IntArray,
    units: IntArray,
    levels: int,
    box: BoundingBox,
    cell: float,
) -> Clusters:
    """The clusters of the grid of `cell` degrees whose cells meet `box`. `level` holds each
    point's level as a code from 0 to `levels` - 1; `units` its units (0 when unknown)."""
    first_column, first_row = math.floor(box.west / cell), math.floor(box.south / cell)
    columns = math.floor(box.east / cell) - first_column + 1
    rows = math.floor(box.north / cell) - first_row + 1
    column = np.floor(longitude / cell).astype(np.int64) - first_column
    row = np.floor(latitude / cell).astype(np.int64) - first_row
    inside = (column >= 0) & (column < columns) & (row >= 0) & (row < rows)
    # Counted over every cell of the box (a few thousand at most), in one pass: no sort.
    of_point = row[inside] * columns + column[inside]
    cells = rows * columns
    count = np.bincount(of_point, minlength=cells)
    occupied = np.flatnonzero(count)
    by_level = np.bincount(of_point * levels + level[inside], minlength=cells * levels).reshape(cells, levels)

    def mean(values: FloatArray) -> FloatArray:
        return np.bincount(of_point, weights=values[inside], minlength=cells)[occupied] / count[occupied]

    return Clusters(
        latitude=mean(latitude),
        longitude=mean(longitude),
        by_level=by_level[occupied].astype(np.int64),
        units=np.bincount(of_point, weights=units[inside], minlength=cells)[occupied].round().astype(np.int64),
    )
