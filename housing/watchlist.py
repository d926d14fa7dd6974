"""The monthly meeting's agenda: projects whose risk rose since the meeting before, and the
projects staff keep on the watchlist, each with its flags, evidence and notes.

"Newly crossed a threshold" means the project's risk level rose (low to medium, low or
medium to high) after the previous meeting's day and up to the end of this meeting's day.
A project's first assessment is its baseline, not a rise: otherwise the first meeting would
list every project at medium or high risk as newly risen. For the same reason the first
meeting counts only rises after the day the projects were first assessed.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Min, Prefetch
from django.utils import timezone

from cities.csv_export import CSVExportWriter
from housing.models import Meeting, Project, ProjectNote, RiskAssessment, WatchlistEntry

LEVEL_RANK = {"": 0, RiskAssessment.Level.LOW: 0, RiskAssessment.Level.MEDIUM: 1, RiskAssessment.Level.HIGH: 2}


@dataclass(frozen=True)
class AgendaItem:
    project: Project
    assessment: RiskAssessment | None
    why: str
    notes: list[ProjectNote]


@transaction.atomic
def watchlist_add(*, project: Project, reason: str, added_by: User | None) -> WatchlistEntry:
    """Put a project on the watchlist (again): the reason is replaced, the entry kept once."""
    entry, _ = WatchlistEntry.objects.update_or_create(
        project=project, defaults={"reason": reason, "added_by": added_by, "added_at": timezone.now()}
    )
    return entry


@transaction.atomic
def project_notes_mark_entered_in_error(*, note_ids: list[int], by: User | None) -> int:
    """Mark notes as entered in error: kept, with who marked them and when, and shown struck
    through. A note marked already is left alone. Returns how many were marked."""
    notes = list(ProjectNote.objects.select_for_update().filter(pk__in=note_ids, entered_in_error_at__isnull=True))
    for note in notes:
        note.entered_in_error_at = timezone.now()
        note.entered_in_error_by = by
        note.save(update_fields=["entered_in_error_at", "entered_in_error_by"])
    return len(notes)


@transaction.atomic
def project_note_add(*, project: Project, text: str, author: User | None) -> ProjectNote:
    """Add a note; notes are never changed afterwards, so together they are the history."""
    if not text.strip():
        raise ValueError("a note needs some text")
    return ProjectNote.objects.create(project=project, text=text.strip(), author=author)


def _standing(notes: Iterable[ProjectNote]) -> list[ProjectNote]:
    """The notes that stand (not entered in error), newest first as the model orders them."""
    return [note for note in notes if note.entered_in_error_at is None]


def _moment(day: date, *, end: bool) -> datetime:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start + timedelta(days=1) if end else start


def _baseline_day_end() -> datetime | None:
    """The end of the day the projects were first assessed: the first meeting's baseline.
    The DC files are ingested one after another and each ingestion reassesses every project,
    so on that day levels rise from the low of a project without its subsidies yet; those
    are the data arriving, not risks rising."""
    first = RiskAssessment.objects.aggregate(first=Min("level_changed_at"))["first"]
    return _moment(timezone.localdate(first), end=True) if first else None


def meeting_agenda(*, meeting: Meeting) -> list[AgendaItem]:
    """Every project whose risk rose between the previous meeting (exclusive) and the end of
    this meeting's day, then the watchlist's other projects; highest level first."""
    previous = meeting.previous()
    until = _moment(meeting.held_on, end=True)
    changed = RiskAssessment.objects.filter(level_changed_at__lte=until).exclude(level=RiskAssessment.Level.LOW)
    if previous is not None:
        changed = changed.filter(level_changed_at__gte=_moment(previous.held_on, end=True))
    elif (baseline_end := _baseline_day_end()) is not None:
        changed = changed.filter(level_changed_at__gte=baseline_end)
    notes = Prefetch("project__notes", queryset=ProjectNote.objects.select_related("author"))
    items: dict[int, AgendaItem] = {}
    # An initial assessment (no previous level) is a baseline, not a rise.
    changed = changed.exclude(previous_level="")
    for assessment in changed.select_related("project").prefetch_related(notes):
        if LEVEL_RANK[assessment.level] > LEVEL_RANK[assessment.previous_level]:
            items[assessment.project_id] = AgendaItem(
                project=assessment.project,
                assessment=assessment,
                why=f"Risk rose from {assessment.get_previous_level_display().lower()} to "
                f"{assessment.get_level_display().lower()} on {timezone.localdate(assessment.level_changed_at)}",
                notes=_standing(assessment.project.notes.all()),
            )
    watched = WatchlistEntry.objects.select_related("project__risk_assessment").prefetch_related(notes)
    for entry in watched:
        watch_reason = f"On the watchlist: {entry.reason}"
        risen = items.get(entry.project_id)
        items[entry.project_id] = AgendaItem(
            project=entry.project,
            assessment=risen.assessment if risen else getattr(entry.project, "risk_assessment", None),
            why=f"{risen.why}; {watch_reason[0].lower()}{watch_reason[1:]}" if risen else watch_reason,
            notes=_standing(entry.project.notes.all()),
        )
    return sorted(
        items.values(),
        key=lambda item: (-LEVEL_RANK[item.assessment.level if item.assessment else ""], item.project.nlihc_id),
    )


AGENDA_COLUMNS = [
    "NLIHC id",
    "Project",
    "Ward",
    "Cluster",
    "Risk level",
    "Why on the agenda",
    "Flags and evidence",
    "Latest note",
]


def agenda_csv(items: list[AgendaItem]) -> str:
    """The agenda as CSV, one row per project, exactly as the agenda page lists it."""
    buffer = io.StringIO()
    writer = CSVExportWriter(buffer)
    writer.writerow(AGENDA_COLUMNS)
    for item in items:
        flags = item.assessment.flags if item.assessment else []
        writer.writerow(
            [
                item.project.nlihc_id,
                item.project.name,
                item.project.ward,
                item.project.cluster_code,
                item.assessment.get_level_display() if item.assessment else "not assessed",
                item.why,
                " | ".join(
                    f"{flag['label']}: {flag['evidence']['record']} "
                    f"({flag['evidence']['source'] or 'source not recorded'}, "
                    f"{flag['evidence']['source_date'] or 'date not recorded'})"
                    for flag in flags
                ),
                item.notes[0].text if item.notes else "",
            ]
        )
    return buffer.getvalue()
