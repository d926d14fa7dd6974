"""Which project marker a resident can see and press on the map, and the popup it opens."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

# Leaflet keeps the markers of a fetched area that fall outside the drawn view as empty paths,
# and larger circles may cover smaller ones: the marker pressed must be one the mouse reaches,
# with the map scrolled into the window as a resident scrolls to it.
# Each such marker's index among the drawn ones and how far from the map's top edge it sits.
MARKERS_IN_SIGHT = """() => {
  document.getElementById('project-map').scrollIntoView({block: 'center'});
  const map = document.getElementById('project-map').getBoundingClientRect();
  return [...document.querySelectorAll('path.project-marker')].flatMap((marker, index) => {
    const box = marker.getBoundingClientRect();
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    const inside = box.width > 0 && x > map.left && x < map.right && y > map.top && y < map.bottom;
    return inside && document.elementFromPoint(x, y) === marker ? [[index, box.top - map.top]] : [];
  });
}"""


def marker_in_sight(page: Page, *, nearest_the_top: bool = False) -> Locator:
    """The last drawn marker whose centre is on the map and under no other marker, or of those
    the one nearest the map's top edge."""
    in_sight = page.evaluate(MARKERS_IN_SIGHT)
    assert in_sight, "no marker on the map can be pressed"
    index, _ = min(in_sight, key=lambda marker: marker[1]) if nearest_the_top else in_sight[-1]
    return page.locator("path.project-marker").nth(index)


def open_popup(page: Page, marker: Locator | None = None) -> Locator:
    """Press a marker (one in sight unless named) and return its popup once the map has settled:
    a popup near an edge pans the map, which draws the new view and reopens the popup there."""
    (marker or marker_in_sight(page)).click()
    page.wait_for_selector('#project-map[aria-busy="false"]')
    # The replaced popup fades out for a moment before Leaflet removes it.
    expect(page.locator("#project-map .leaflet-popup")).to_have_count(1)
    return page.locator("#project-map .leaflet-popup-content")
