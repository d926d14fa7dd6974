"""What the St. Louis courts app achieved, for the collaborative's impact page (through the
core's registry): tickets residents can look up, residents signed up for reminders, and
reminders sent. The portal keeps no record of individual lookups (they are logged without
identifiers and only rate-limited), so lookups themselves are not counted."""

from __future__ import annotations

from cities.models import SentMessage
from cities.registry import ImpactFigure
from courts.models import Citation, ReminderSubscription
from courts.reminders import PURPOSE


def courts_impact() -> list[ImpactFigure]:
    return [
        ImpactFigure("tickets-findable", "Tickets residents can look up", Citation.objects.count()),
        ImpactFigure(
            "reminder-subscriptions",
            "Residents signed up for court reminders",
            ReminderSubscription.objects.count(),
            counts_people=True,
        ),
        ImpactFigure(
            "reminders-sent",
            "Court reminders sent",
            SentMessage.objects.filter(purpose=PURPOSE, status=SentMessage.Status.SENT).count(),
        ),
    ]
