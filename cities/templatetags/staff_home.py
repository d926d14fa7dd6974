"""Template tag listing what waits for the signed-in staff member's teams on the admin's home."""

from __future__ import annotations

from typing import Any

from django import template

from cities.staff_home import TeamWaitingWork, waiting_work_for

register = template.Library()


@register.simple_tag
def waiting_work(user: Any) -> list[TeamWaitingWork]:
    return waiting_work_for(user)
