"""Template tag listing an object's audit trail on its admin page."""

from __future__ import annotations

from auditlog.models import LogEntry
from django import template
from django.db.models import Model, QuerySet

register = template.Library()


@register.simple_tag
def audit_entries_for(obj: Model) -> QuerySet[LogEntry]:
    entries: QuerySet[LogEntry] = LogEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp")
    return entries
