"""Whether a page keeps to the width of the screen it is shown on."""

from __future__ import annotations

from playwright.sync_api import Page


def fits_the_screen(page: Page) -> bool:
    """No sideways scrolling: the page is no wider than the window (a pixel of rounding aside)."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))
