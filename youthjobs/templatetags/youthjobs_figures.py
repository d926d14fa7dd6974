"""Figures of the summer jobs app as staff read them in templates."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

from youthjobs.analytics import FEWER_THAN_SMALL_CELL, rate_percent

register = template.Library()


@register.filter
def percent(rate: float | None) -> str:
    """A rate (0 to 1) as a percentage, "—" when there is none."""
    return rate_percent(rate) or "—"


@register.filter
def public_count(value: object) -> str:
    """A count on a public page: the number, or "fewer than 10" in the page's language for a
    group too small to show (`analytics.FEWER_THAN_SMALL_CELL`)."""
    if value == FEWER_THAN_SMALL_CELL:
        return str(gettext("fewer than 10"))
    return str(value)
