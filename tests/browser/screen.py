"""Whether a page keeps to the width of the screen it is shown on, or of a phone's."""

from __future__ import annotations

from playwright.sync_api import Page


def fits_the_screen(page: Page) -> bool:
    """No sideways scrolling: the page is no wider than the window (a pixel of rounding aside)."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def fits_a_phone(page: Page) -> bool:
    """Whether the page keeps to a 390 px phone's width; the window is then as wide as before."""
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 900})
    fits = fits_the_screen(page)
    if size is not None:
        page.set_viewport_size(size)
    return fits
