"""The collaborative's own records: who is in each city's civic tech and data ecosystem,
how its organisations are tied, and the surveys partners answer to fill the map in.

The method is the collaborative's "Guide to Civic Tech & Data Ecosystem Mapping" (Urban
Institute and Living Cities, 2018): organisations are the nodes, typed ties between them
the edges, each with the period it held and where the fact comes from.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cities.models import City, Dataset, Organization, ingestion_run_field
from collaborative.markdown import UnsafeMarkdown, markdown_render


class Contribution(models.TextChoices):
    """What an organisation brings to its city's ecosystem (the guide's "assets")."""

    DATA = "data", _("Data")
    TECHNOLOGY = "technology", _("Technology")
    FUNDING = "funding", _("Funding")
    COMMUNITY_REACH = "community_reach", _("Community reach")
    RESEARCH = "research", _("Research")
    POLICY = "policy", _("Policy")


class EcosystemMember(models.Model):
    """An organisation on one city's ecosystem map, with what it contributes there."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="ecosystem_members")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="ecosystem_memberships")
    contributes_data = models.BooleanField(default=False)
    contributes_technology = models.BooleanField(default=False)
    contributes_funding = models.BooleanField(default=False)
    contributes_community_reach = models.BooleanField(default=False)
    contributes_research = models.BooleanField(default=False)
    contributes_policy = models.BooleanField(default=False)
    source = models.CharField(max_length=500, help_text="Where the fact comes from: a publication, a survey, staff.")
    ingestion_run = ingestion_run_field()

    class Meta:
        ordering = ["city__name", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["city", "organization"], name="ecosystem_member_once_per_city"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} in {self.city.name}'s ecosystem"

    @property
    def contributions(self) -> list[Contribution]:
        return [choice for choice in Contribution if getattr(self, f"contributes_{choice.value}")]


class RelationshipQuerySet(models.QuerySet["Relationship"]):
    def published(self) -> RelationshipQuerySet:
        """Ties staff entered, loaded or approved; survey answers wait for review."""
        return self.filter(review_status=Relationship.ReviewStatus.APPROVED)

    def held_on(self, day: date) -> RelationshipQuerySet:
        return self.filter(Q(since__isnull=True) | Q(since__lte=day), Q(until__isnull=True) | Q(until__gte=day))


class Relationship(models.Model):
    """A typed, directed tie from one organisation to another in a city's ecosystem."""

    class Kind(models.TextChoices):
        FUNDS = "funds", _("funds")
        SHARES_DATA = "shares_data", _("shares data with")
        BUILDS_TECHNOLOGY = "builds_technology", _("builds technology for")
        ADVISES = "advises", _("advises")
        CONVENES = "convenes", _("convenes")
        SERVES_RESIDENTS = "serves_residents", _("serves residents with")

    class ReviewStatus(models.TextChoices):
        PENDING = "pending", _("Waiting for staff review")
        APPROVED = "approved", _("Published")
        REJECTED = "rejected", _("Rejected")

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="relationships")
    source_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="relationships_out", verbose_name="from"
    )
    target_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="relationships_in", verbose_name="to"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True, help_text="Empty while the tie holds.")
    source = models.CharField(max_length=500, help_text="Where the fact comes from: a publication, a survey, staff.")
    review_status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.APPROVED, db_default=ReviewStatus.APPROVED
    )
    survey_response = models.ForeignKey(
        "SurveyInvitation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="relationships",
        help_text="The survey answer this tie came from, if any.",
    )
    ingestion_run = ingestion_run_field()

    objects = RelationshipQuerySet.as_manager()

    class Meta:
        ordering = ["city__name", "source_organization__name", "kind", "target_organization__name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source_organization=F("target_organization")), name="relationship_not_to_itself"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(until__gte=F("since")),
                name="relationship_period_ordered",
            ),
            models.UniqueConstraint(
                fields=["city", "source_organization", "target_organization", "kind"],
                name="relationship_once_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_organization} {self.get_kind_display()} {self.target_organization}"

    def clean(self) -> None:
        if self.source_organization_id and self.source_organization_id == self.target_organization_id:
            raise ValidationError({"target_organization": "An organisation cannot have a tie to itself."})
        if self.since and self.until and self.until < self.since:
            raise ValidationError({"until": "The tie ends before it starts."})


class SurveyInvitation(models.Model):
    """A private link one partner organisation uses, once, to tell staff about its ties.

    The link carries a signed invitation id; the answer is stored as pending relationships
    that staff approve or reject in the admin."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="survey_invitations")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="survey_invitations")
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True, help_text="What the organisation added in its own words.")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Survey of {self.organization} for {self.city.name}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def coming(self, *, after: datetime) -> MeetingQuerySet:
        return self.filter(starts_at__gte=after).order_by("starts_at")

    def for_city(self, city: City) -> MeetingQuerySet:
        return self.filter(cities=city)


class Meeting(models.Model):
    """A peer-learning meeting or a coaching session of the collaborative."""

    class Kind(models.TextChoices):
        PEER_LEARNING = "peer_learning", _("Peer-learning meeting")
        COACHING = "coaching", _("Coaching session")

    kind = models.CharField(max_length=15, choices=Kind.choices)
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True, help_text="A place or 'video call'.")
    cities = models.ManyToManyField(City, related_name="meetings")
    organizations = models.ManyToManyField(Organization, related_name="meetings", blank=True)
    topics = models.CharField(max_length=300, help_text="Comma-separated, e.g. ecosystem mapping, open data.")
    notes = models.TextField(blank=True, help_text="Shown to staff and to API clients allowed to read them.")
    resources = models.TextField(blank=True, help_text="Resources shared: one per line, a title and a link.")
    is_example = models.BooleanField(default=False, help_text="Sample data, not a real meeting.")

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"),
        ]
        permissions = [("view_meeting_notes", "Can read the notes of meetings")]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    @property
    def topic_list(self) -> list[str]:
        return [topic.strip() for topic in self.topics.split(",") if topic.strip()]

    @property
    def resource_list(self) -> list[str]:
        return [line.strip() for line in self.resources.splitlines() if line.strip()]


class ActionItemQuerySet(models.QuerySet["ActionItem"]):
    def open(self) -> ActionItemQuerySet:
        return self.filter(status=ActionItem.Status.OPEN)

    def overdue(self, *, on: date) -> ActionItemQuerySet:
        return self.open().filter(due_on__lt=on)


class ActionItem(models.Model):
    """Something a meeting agreed an organisation would do, by a date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="action_items")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.description} ({self.owner}, due {self.due_on:%Y-%m-%d})"


class Lesson(models.Model):
    """A lesson or case study staff write in Markdown, tagged by city, app and theme; its text
    is refused when it holds HTML the sanitiser would remove (a script, an event handler)."""

    class Theme(models.TextChoices):
        # The four themes of the collaborative's synthesis, "Collaborating for 21st Century Solutions".
        ENGAGING_RESIDENTS = "engaging_residents", _("Engaging low-income residents")
        COLLECTIVE_ACTION = "collective_action", _("Mobilising collective action")
        RESOURCING = "resourcing", _("Resourcing collaboratives")
        SUSTAINING = "sustaining", _("Sustaining the gain")

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.CharField(max_length=300)
    body = models.TextField(help_text="Markdown. HTML such as scripts is refused.")
    theme = models.CharField(max_length=20, choices=Theme.choices)
    cities = models.ManyToManyField(City, related_name="lessons", blank=True)
    app_label = models.CharField(
        max_length=40, blank=True, help_text="The portal app the lesson is about, e.g. housing; empty for none."
    )
    datasets = models.ManyToManyField(Dataset, related_name="lessons", blank=True, help_text="Datasets it cites.")
    figures_cited = models.TextField(blank=True, help_text="Figures it cites, one per line, each with its source.")
    is_example = models.BooleanField(default=False, help_text="Sample text, not a published lesson.")
    published_on = models.DateField()

    class Meta:
        ordering = ["-published_on", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("collaborative:lesson-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        try:
            markdown_render(self.body)
        except UnsafeMarkdown as error:
            raise ValidationError({"body": str(error)}) from None

    @property
    def figure_list(self) -> list[str]:
        return [line.strip() for line in self.figures_cited.splitlines() if line.strip()]
