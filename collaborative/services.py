"""Operations of the collaborative that change data: the survey and its review, demo data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from cities.models import City, Dataset, Organization
from cities.registry import DemoFile
from collaborative.models import ActionItem, EcosystemMember, Lesson, Meeting, Relationship, SurveyInvitation

DEMO_DIR = Path(__file__).resolve().parent / "demo"
# (catalogue dataset, title, schema, file under collaborative/demo). Order matters: the
# organisations a city adds, then who is on each map, then the ties that name them.
COLLABORATIVE_DEMO_FILES = (
    ("ecosystem-organizations", "Ecosystem organisations", "cities.organizations", "organizations.csv"),
    ("ecosystem-members", "Ecosystem map members", "collaborative.ecosystem_members", "ecosystem_members.csv"),
    ("ecosystem-relationships", "Ecosystem ties", "collaborative.relationships", "relationships.csv"),
)
DEMO_SOURCE = "The collaborative's ecosystem maps, from public sources named on each row (collaborative/demo)"
SURVEY_SALT = "collaborative.survey"


class SurveyError(Exception):
    """A survey link or answer that cannot be accepted; the message says why, to the person."""


@dataclass(frozen=True)
class ReportedTie:
    target: Organization
    kind: str
    since: date | None


def collaborative_demo_files(data_dir: Path) -> list[DemoFile]:
    """The seven cities' ecosystem maps (collaborative/demo, each row naming its public
    source), which the collaborative catalogues itself. `data_dir` is unused: no file of
    shared/data describes the ecosystems."""
    return [
        DemoFile(dataset=slug, schema=schema, path=DEMO_DIR / file_name, title=title, source=DEMO_SOURCE)
        for slug, title, schema, file_name in COLLABORATIVE_DEMO_FILES
    ]


def collaborative_examples_load() -> None:
    """After the maps: the example meetings and lessons. Idempotent."""
    learning_examples_load()
    lesson_examples_load()


# Sample meetings (marked as examples on every page): the collaborative held peer-learning
# meetings and coaching, but their dates, agendas and actions are not public.
EXAMPLE_MEETINGS: tuple[dict[str, Any], ...] = (
    {
        "title": "Example: ecosystem mapping exchange",
        "kind": Meeting.Kind.PEER_LEARNING,
        "starts_at": datetime(2017, 5, 10, 15, 0, tzinfo=UTC),
        "location": "Video call",
        "cities": ("cleveland", "pittsburgh", "san-antonio", "seattle"),
        "organizations": ("living-cities", "nnip", "code-for-america", "wprdc"),
        "topics": "ecosystem mapping, surveys, engaging low-income residents",
        "notes": "Sample notes: how each partner chose whom to survey first.",
        "resources": "Guide to Civic Tech & Data Ecosystem Mapping "
        "https://www.urban.org/research/publication/guide-civic-tech-and-data-ecosystem-mapping",
        "actions": (("Share the survey questions used in Pittsburgh", "wprdc", date(2017, 6, 1), "done"),),
    },
    {
        "title": "Example: coaching on sustaining the gain",
        "kind": Meeting.Kind.COACHING,
        "starts_at": datetime(2027, 3, 10, 16, 0, tzinfo=UTC),
        "location": "Video call",
        "cities": ("san-antonio",),
        "organizations": ("living-cities",),
        "topics": "sustaining the gain, resourcing collaboratives",
        "notes": "",
        "resources": "",
        "actions": (("Draft the list of local funders to approach", "living-cities", date(2026, 11, 30), "open"),),
    },
)


@transaction.atomic
def learning_examples_load() -> list[Meeting]:
    """Create the example meetings and their action items once (matched by title)."""
    meetings = []
    for example in EXAMPLE_MEETINGS:
        meeting, created = Meeting.objects.get_or_create(
            title=example["title"],
            defaults={
                "kind": example["kind"],
                "starts_at": example["starts_at"],
                "ends_at": example["starts_at"] + timedelta(hours=1),
                "location": example["location"],
                "topics": example["topics"],
                "notes": example["notes"],
                "resources": example["resources"],
                "is_example": True,
            },
        )
        if created:
            meeting.cities.set(City.objects.filter(slug__in=example["cities"]))
            meeting.organizations.set(Organization.objects.filter(slug__in=example["organizations"]))
            for description, owner, due_on, status in example["actions"]:
                ActionItem.objects.create(
                    meeting=meeting,
                    description=description,
                    owner=Organization.objects.get(slug=owner),
                    due_on=due_on,
                    status=status,
                )
        meetings.append(meeting)
    return meetings


# Sample lessons (marked as examples): short paraphrases of the collaborative's published
# synthesis and mapping guide, each pointing to its source, not the publications' text.
EXAMPLE_LESSONS: tuple[dict[str, Any], ...] = (
    {
        "slug": "example-map-before-you-build",
        "title": "Example: map the ecosystem before you build",
        "summary": "Who holds the data, who builds, who reaches residents: a map shows gaps before a project does.",
        "body": "The learning partners started by **mapping** their local civic tech and data organisations.\n\n"
        "- Survey each partner about its ties\n- Look for organisations with no tie\n"
        "- Ask who brokers between government and the technologists\n\n"
        "Source: [Guide to Civic Tech & Data Ecosystem Mapping]"
        "(https://www.urban.org/research/publication/guide-civic-tech-and-data-ecosystem-mapping), 2018.",
        "theme": Lesson.Theme.COLLECTIVE_ACTION,
        "cities": ("cleveland", "pittsburgh", "san-antonio", "seattle"),
        "app_label": "",
        "datasets": ("ecosystem-relationships",),
        "figures_cited": "Four learning partners received $10,000 each (Living Cities, CTDC about page)",
    },
    {
        "slug": "example-preservation-data-shared",
        "title": "Example: one shared catalogue of subsidised housing",
        "summary": "DC's preservation network works from one catalogue kept by its data intermediary.",
        "body": "NeighborhoodInfo DC keeps the **DC Preservation Catalog** with the Coalition for Nonprofit "
        "Housing and Economic Development, so that everyone watching expiring subsidies reads the same list.",
        "theme": Lesson.Theme.SUSTAINING,
        "cities": ("washington-dc",),
        "app_label": "housing",
        "datasets": ("dc-preservation-catalog-projects",),
        "figures_cited": "",
    },
)


@transaction.atomic
def lesson_examples_load() -> list[Lesson]:
    """Create the example lessons once (matched by slug); a cited dataset missing from the
    catalogue is left out."""
    lessons = []
    for example in EXAMPLE_LESSONS:
        lesson, created = Lesson.objects.get_or_create(
            slug=example["slug"],
            defaults={
                "title": example["title"],
                "summary": example["summary"],
                "body": example["body"],
                "theme": example["theme"],
                "app_label": example["app_label"],
                "figures_cited": example["figures_cited"],
                "is_example": True,
                "published_on": date(2018, 6, 1),
            },
        )
        if created:
            lesson.full_clean()
            lesson.cities.set(City.objects.filter(slug__in=example["cities"]))
            lesson.datasets.set(Dataset.objects.filter(slug__in=example["datasets"]))
        lessons.append(lesson)
    return lessons


def survey_token(*, invitation: SurveyInvitation) -> str:
    """The signed part of the invitation's private link."""
    return signing.dumps(invitation.pk, salt=SURVEY_SALT)


def survey_url(*, invitation: SurveyInvitation) -> str:
    """The invitation's private link (a path; staff send it with the site's address)."""
    return reverse("collaborative:survey", kwargs={"token": survey_token(invitation=invitation)})


def survey_invitation_for_token(*, token: str) -> SurveyInvitation:
    """The open invitation a link names. Raises SurveyError for a tampered or used link."""
    try:
        invitation_id = signing.loads(token, salt=SURVEY_SALT)
    except signing.BadSignature:
        raise SurveyError(gettext("This survey link is not valid. Please use the link staff sent you.")) from None
    invitation = SurveyInvitation.objects.select_related("city", "organization").filter(pk=invitation_id).first()
    if invitation is None:
        raise SurveyError(gettext("This survey link is not valid. Please use the link staff sent you."))
    if invitation.is_answered:
        raise SurveyError(gettext("This survey has already been answered. Ask staff for a new link to add more."))
    return invitation


@transaction.atomic
def survey_answer_record(*, token: str, ties: list[ReportedTie], comment: str) -> SurveyInvitation:
    """Store an organisation's answer as ties waiting for staff review, and close the link.

    Raises SurveyError, storing nothing, for a tampered or used link, a tie to the
    organisation itself or to an organisation not on the city's map."""
    invitation = survey_invitation_for_token(token=token)
    # Locked so two submissions of the same link cannot both pass the check above.
    invitation = (
        SurveyInvitation.objects.select_for_update().select_related("city", "organization").get(pk=invitation.pk)
    )
    if invitation.is_answered:
        raise SurveyError(gettext("This survey has already been answered. Ask staff for a new link to add more."))
    on_map = set(EcosystemMember.objects.filter(city=invitation.city).values_list("organization_id", flat=True))
    for tie in ties:
        if tie.target.pk == invitation.organization_id:
            raise SurveyError(gettext("An organisation cannot have a tie to itself."))
        if tie.target.pk not in on_map:
            raise SurveyError(
                gettext("%(organization)s is not on %(city)s's ecosystem map.")
                % {"organization": tie.target, "city": invitation.city.name}
            )
    source = f"Survey answered by {invitation.organization} on {timezone.localdate():%Y-%m-%d}"
    for tie in ties:
        Relationship.objects.get_or_create(
            city=invitation.city,
            source_organization=invitation.organization,
            target_organization=tie.target,
            kind=tie.kind,
            defaults={
                "since": tie.since,
                "source": source,
                "review_status": Relationship.ReviewStatus.PENDING,
                "survey_response": invitation,
            },
        )
    invitation.answered_at = timezone.now()
    invitation.comment = comment
    invitation.save(update_fields=["answered_at", "comment"])
    return invitation


@transaction.atomic
def relationships_review(*, relationship_ids: list[int], approve: bool) -> int:
    """Publish or reject ties waiting for review; returns how many changed."""
    status = Relationship.ReviewStatus.APPROVED if approve else Relationship.ReviewStatus.REJECTED
    return Relationship.objects.filter(pk__in=relationship_ids, review_status=Relationship.ReviewStatus.PENDING).update(
        review_status=status
    )
