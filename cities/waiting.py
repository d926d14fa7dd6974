"""What waits for data stewards on the admin's home page: uploads that failed and that no
later file of the same dataset has put right."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest

from cities.models import IngestionRun
from cities.registry import WaitingWork


def ingestion_runs_failed_unresolved() -> QuerySet[IngestionRun]:
    later_success = IngestionRun.objects.filter(
        dataset=OuterRef("dataset"), status=IngestionRun.Status.SUCCEEDED, created_at__gt=OuterRef("created_at")
    )
    return IngestionRun.objects.filter(status=IngestionRun.Status.FAILED).exclude(Exists(later_success))


class UnresolvedFailureFilter(admin.SimpleListFilter):
    title = "needs attention"
    parameter_name = "attention"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("failed", "Failed, no later file succeeded")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "failed":
            return queryset.filter(pk__in=ingestion_runs_failed_unresolved().values("pk"))
        return queryset


WAITING_WORK = (
    WaitingWork(
        label="Failed uploads",
        permission="cities.view_ingestionrun",
        changelist="admin:cities_ingestionrun_changelist",
        count=lambda: ingestion_runs_failed_unresolved().count(),
        query=lambda: {UnresolvedFailureFilter.parameter_name: "failed"},
    ),
)
