"""What waits for Boston's staff on the admin's home page: runs to approve and offers about
to expire, each counted by the same query its changelist filter shows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import admin
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from cities.registry import WaitingWork
from youthjobs.models import MatchRun, Placement, PlacementState

# Two days leave staff time to remind a youth before their offer lapses.
OFFER_EXPIRY_WARNING = timedelta(days=2)


def match_runs_waiting_for_approval() -> QuerySet[MatchRun]:
    """Finished, unapproved runs of a season and round nobody has approved yet (a run of an
    approved round is superseded, not waiting; a what-if run is never approved)."""
    approved_same_round = MatchRun.objects.filter(
        season=OuterRef("season"), round=OuterRef("round"), approved_at__isnull=False
    )
    return MatchRun.objects.filter(status=MatchRun.Status.FINISHED, approved_at__isnull=True, what_if={}).exclude(
        Exists(approved_same_round)
    )


def offers_expiring_soon() -> QuerySet[Placement]:
    now = timezone.now()
    return Placement.objects.filter(
        state=PlacementState.OFFERED, offer_expires_at__gt=now, offer_expires_at__lte=now + OFFER_EXPIRY_WARNING
    )


class WaitingForApprovalFilter(admin.SimpleListFilter):
    title = "approval"
    parameter_name = "approval"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("waiting", "Waiting for approval")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "waiting":
            return queryset.filter(pk__in=match_runs_waiting_for_approval().values("pk"))
        return queryset


class OfferExpiringFilter(admin.SimpleListFilter):
    title = "offer deadline"
    parameter_name = "offer_deadline"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("soon", "Offer expires within 2 days")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "soon":
            return queryset.filter(pk__in=offers_expiring_soon().values("pk"))
        return queryset


WAITING_WORK = (
    WaitingWork(
        label="Runs waiting for approval",
        permission="youthjobs.view_matchrun",
        changelist="admin:youthjobs_matchrun_changelist",
        count=lambda: match_runs_waiting_for_approval().count(),
        query=lambda: {WaitingForApprovalFilter.parameter_name: "waiting"},
    ),
    WaitingWork(
        label="Offers expiring within 2 days",
        permission="youthjobs.view_placement",
        changelist="admin:youthjobs_placement_changelist",
        count=lambda: offers_expiring_soon().count(),
        query=lambda: {OfferExpiringFilter.parameter_name: "soon"},
    ),
)
