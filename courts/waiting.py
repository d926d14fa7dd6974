"""What waits for St. Louis's staff on the admin's home page: stories to moderate."""

from __future__ import annotations

from cities.registry import WaitingWork
from courts.models import Story

WAITING_WORK = (
    WaitingWork(
        label="Stories waiting for moderation",
        permission="courts.change_story",
        changelist="admin:courts_story_changelist",
        count=lambda: Story.objects.filter(status=Story.Status.PENDING).count(),
        query=lambda: {"status__exact": Story.Status.PENDING},
    ),
)
