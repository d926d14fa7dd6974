"""Markdown rendered safely for the collaborative's lessons.

Markdown is rendered by markdown-it-py and the HTML sanitised by nh3. A text whose HTML the
sanitiser would change (a script, an event handler, an inline frame) is refused rather than
silently cut, so staff learn what was wrong and nothing half-stored reaches a page.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

# HTML is let through to the sanitiser (not escaped), so that a script is noticed and refused.
_markdown = MarkdownIt("commonmark", {"html": True})


class UnsafeMarkdown(ValueError):
    pass


def markdown_render(text: str) -> str:
    """The text as HTML, safe to show. Raises UnsafeMarkdown when the text holds HTML the
    sanitiser removes."""
    html = _markdown.render(text)
    safe = nh3.clean(html, link_rel=None)
    if safe != html:
        raise UnsafeMarkdown(
            "The text holds HTML that is not allowed (such as a script or an event handler). Write it in Markdown only."
        )
    return safe
