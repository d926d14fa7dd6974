"""Figures of the summer jobs app as staff read them in templates."""

from __future__ import annotations

from django import template

from youthjobs.analytics import rate_percent

register = template.Library()


@register.filter
def percent(rate: float | None) -> str:
    """A rate (0 to 1) as a percentage, "—" when there is none."""
    return rate_percent(rate) or "—"
