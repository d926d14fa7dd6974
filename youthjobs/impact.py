"""What Boston's summer jobs achieved, for the collaborative's impact page (through the
core's registry): young people placed (an accepted offer or a started job) and those who
completed their job. Counts of people, so small ones are suppressed where they are shown."""

from __future__ import annotations

from django.utils.translation import gettext

from cities.registry import ImpactFigure
from youthjobs.models import Placement, PlacementState

PLACED_STATES = (
    PlacementState.ACCEPTED,
    PlacementState.STARTED,
    PlacementState.COMPLETED,
    PlacementState.ENDED_EARLY,
)


def youthjobs_impact() -> list[ImpactFigure]:
    placed = Placement.objects.filter(state__in=PLACED_STATES).values("applicant").distinct().count()
    completed = Placement.objects.filter(state=PlacementState.COMPLETED).values("applicant").distinct().count()
    return [
        ImpactFigure("youth-placed", gettext("Young people placed in a summer job"), placed, counts_people=True),
        ImpactFigure("youth-completed", gettext("Young people who completed their job"), completed, counts_people=True),
    ]
