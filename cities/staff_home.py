"""What waits for staff, shown on the admin's home page.

Each app declares its kinds of waiting work in its registration (`cities.registry`; the core
names no app). A kind of work is a count and the admin list filtered to exactly what it
counts; a user sees only the kinds whose permission they hold, under their app's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.urls import reverse

from cities.registry import portal_apps


@dataclass(frozen=True)
class WaitingItem:
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class TeamWaitingWork:
    team: str
    items: list[WaitingItem]


def waiting_work_for(user: Any) -> list[TeamWaitingWork]:
    """The kinds of work `user` may see, grouped by their app's name in registration order."""
    teams: dict[str, list[WaitingItem]] = {}
    for work in (work for app in portal_apps() for work in app.waiting_work):
        if not user.has_perm(work.permission):
            continue
        team = apps.get_app_config(work.permission.split(".")[0]).verbose_name
        url = reverse(work.changelist)
        query = work.query()
        teams.setdefault(str(team), []).append(
            WaitingItem(label=work.label, count=work.count(), url=f"{url}?{urlencode(query)}" if query else url)
        )
    return [TeamWaitingWork(team=team, items=items) for team, items in teams.items()]
