"""What waits for DC's staff on the admin's home page: the meetings to prepare."""

from __future__ import annotations

from django.utils import timezone

from cities.registry import WaitingWork
from housing.models import Meeting

WAITING_WORK = (
    WaitingWork(
        label="Meetings coming up",
        permission="housing.view_meeting",
        changelist="admin:housing_meeting_changelist",
        count=lambda: Meeting.objects.filter(held_on__gte=timezone.localdate()).count(),
        query=lambda: {"held_on__gte": timezone.localdate().isoformat()},
    ),
)
