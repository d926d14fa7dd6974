"""The audit trail: who did what, when and why.

Changes of the records staff act on are recorded by django-auditlog: each app registers its
own models from AppConfig.ready() with `audit_register`, and the request's signed-in user is
the entry's actor (auditlog's middleware). Reads of personal data change nothing, so they are
recorded here, explicitly, as "access" entries of the same trail (`personal_data_view_record`,
or `PersonalDataViewAuditMixin` on a ModelAdmin). Every entry is listed in the admin (Audit
log entries) and on its object's History page.
"""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.admin.utils import unquote
from django.db.models import Model
from django.http import HttpRequest, HttpResponse


def audit_register(model: type[Model], **options: Any) -> None:
    """Record every change of `model` (auditlog's `register` options: exclude_fields, ...).
    A model may say why it changed with a `get_additional_data()` method returning {"why": ...}."""
    if not auditlog.contains(model):
        auditlog.register(model, **options)


def personal_data_view_record(*, viewer: Any, instance: Model, why: str) -> LogEntry:
    """Record that `viewer` saw the personal data of `instance`, and why (e.g. the page)."""
    entry = LogEntry.objects.log_create(
        instance,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=viewer,
        additional_data={"why": why},
    )
    assert entry is not None  # force_log always writes
    return entry


class PersonalDataViewAuditMixin:
    """For a ModelAdmin whose object page shows personal data: each time a user opens the
    page, the view is recorded. `shows_personal_data` says whether this user sees any."""

    def shows_personal_data(self, request: HttpRequest, obj: Model) -> bool:
        return True

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response: HttpResponse = super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        if request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
            if obj is not None and self.shows_personal_data(request, obj):
                personal_data_view_record(viewer=request.user, instance=obj, why=f"opened {request.path}")
        return response
