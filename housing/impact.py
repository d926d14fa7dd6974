"""What the DC housing app achieved, for the collaborative's impact page (through the core's
registry): subsidised projects watched, those flagged at high risk, and the assisted homes
in them."""

from __future__ import annotations

from django.db.models import Sum
from django.utils.translation import gettext

from cities.registry import ImpactFigure
from housing.models import Project, RiskAssessment, WatchlistEntry


def housing_impact() -> list[ImpactFigure]:
    flagged = Project.objects.filter(risk_assessment__level=RiskAssessment.Level.HIGH)
    homes = flagged.aggregate(homes=Sum("units_assisted_min"))["homes"] or 0
    return [
        ImpactFigure("projects-watched", gettext("Subsidised projects watched"), Project.objects.count()),
        ImpactFigure("projects-on-watchlist", gettext("Projects on staff's watchlist"), WatchlistEntry.objects.count()),
        ImpactFigure("projects-flagged", gettext("Projects flagged at high risk"), flagged.count()),
        ImpactFigure("homes-flagged", gettext("Affordable homes in projects at high risk"), homes),
    ]
