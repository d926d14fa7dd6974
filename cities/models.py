"""The shared core: the collaborative's cities, partners, grants and published datasets."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TypedDict

from django.conf import settings
from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse


class GrantTotals(TypedDict):
    """What `CityQuerySet.with_grant_totals` adds to each city."""

    grant_total: Decimal
    grant_count: int


def ingestion_run_field() -> models.ForeignKey[IngestionRun | None, IngestionRun | None]:
    """The field every ingested model has, `ingestion_run`: the run that last wrote the record
    (created it or changed its values), set by the ingestion machinery in its bulk write.
    Empty for records written otherwise (the admin, a service); a removed run empties it."""
    return models.ForeignKey(
        "cities.IngestionRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The ingestion run that last wrote this record.",
    )


class CityQuerySet(models.QuerySet["City"]):
    def core(self) -> CityQuerySet:
        return self.filter(role=City.Role.CORE)

    def with_grant_totals(self) -> CityQuerySet:
        return self.annotate(
            grant_total=Coalesce(Sum("grants__amount"), Decimal("0.00"), output_field=models.DecimalField()),
            grant_count=Count("grants", distinct=True),
        )


class City(models.Model):
    class Role(models.TextChoices):
        CORE = "core", "Core city"
        LEARNING = "learning", "Learning partner"

    name = models.CharField(max_length=100)
    state = models.CharField(max_length=2, help_text="Two-letter postal code, e.g. MA.")
    slug = models.SlugField(max_length=60, unique=True)
    role = models.CharField(max_length=10, choices=Role.choices)
    focus = models.CharField(max_length=200, help_text="The problem the city works on, in a phrase.")
    description = models.TextField(blank=True)
    ingestion_run = ingestion_run_field()

    objects = CityQuerySet.as_manager()

    class Meta:
        ordering = ["role", "name"]
        verbose_name_plural = "cities"
        constraints = [
            models.CheckConstraint(condition=Q(role__in=["core", "learning"]), name="city_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.state}"

    def get_absolute_url(self) -> str:
        return reverse("cities:city-detail", kwargs={"slug": self.slug})


class Organization(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", "Government agency"
        CIVIC_TECH = "civic_tech", "Civic-tech group"
        DATA_INTERMEDIARY = "data_intermediary", "Data intermediary"
        UNIVERSITY = "university", "University"
        FUNDER = "funder", "Funder"
        COMMUNITY = "community", "Community organisation"
        PRIVATE = "private", "Private company"
        NATIONAL_PARTNER = "national_partner", "National partner"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    home_city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="home_organizations",
        help_text="Empty for national organisations.",
    )
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)
    ingestion_run = ingestion_run_field()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Partnership(models.Model):
    """An organisation's role in one city's collaborative."""

    class Role(models.TextChoices):
        LEAD = "lead", "Lead"
        FUNDER = "funder", "Funder"
        PROGRAM_OWNER = "program_owner", "Program owner"
        DATA_PARTNER = "data_partner", "Data partner"
        TECHNOLOGY_PARTNER = "technology_partner", "Technology partner"
        RESEARCH_PARTNER = "research_partner", "Research partner"
        COMMUNITY_PARTNER = "community_partner", "Community partner"
        ADVISER = "adviser", "National adviser"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="partnerships")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="partnerships")
    role = models.CharField(max_length=20, choices=Role.choices)
    contribution = models.CharField(max_length=300, blank=True, help_text="What the partner brings, in a phrase.")
    ingestion_run = ingestion_run_field()

    class Meta:
        ordering = ["city__name", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "city"], name="partnership_one_per_city"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} in {self.city.name} ({self.get_role_display()})"


class GrantQuerySet(models.QuerySet["Grant"]):
    def total(self) -> Decimal:
        return self.summary()[0]

    def summary(self) -> tuple[Decimal, int]:
        """The total amount and the number of grants, in one query."""
        figures = self.aggregate(
            total=Coalesce(Sum("amount"), Decimal("0.00"), output_field=models.DecimalField()), count=Count("pk")
        )
        return figures["total"], figures["count"]


class Grant(models.Model):
    reference = models.SlugField(max_length=60, unique=True, help_text="The funder's reference for the grant.")
    funder = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="grants_given")
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="grants")
    amount = models.DecimalField(max_digits=12, decimal_places=2, help_text="US dollars.")
    purpose = models.CharField(max_length=300)
    starts_on = models.DateField()
    ends_on = models.DateField()
    ingestion_run = ingestion_run_field()

    objects = GrantQuerySet.as_manager()

    class Meta:
        ordering = ["city__name", "starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_amount_positive"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="grant_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"${self.amount:,.0f} to {self.city.name} from {self.funder}"


class Dataset(models.Model):
    class Frequency(models.TextChoices):
        ONCE = "once", "Published once"
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        YEARLY = "yearly", "Yearly"
        IRREGULAR = "irregular", "Irregularly"

    city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="datasets",
        help_text="Empty for the collaborative's own datasets.",
    )
    publisher = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="datasets_published"
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=500, help_text="Where the data comes from: repository, file and version.")
    source_url = models.URLField(max_length=500, blank=True)
    licence = models.CharField(max_length=200, blank=True)
    update_frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.IRREGULAR)
    schema = models.CharField(
        max_length=100,
        blank=True,
        help_text="The ingestion schema files of this dataset are read with; empty when the "
        "portal only catalogues the dataset.",
    )
    contains_personal_data = models.BooleanField(default=False)
    ingestion_run = ingestion_run_field()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cities:dataset-detail", kwargs={"slug": self.slug})

    @property
    def is_ingestible(self) -> bool:
        return bool(self.schema)


class IngestionRunQuerySet(models.QuerySet["IngestionRun"]):
    def finished(self) -> IngestionRunQuerySet:
        return self.filter(status__in=[IngestionRun.Status.SUCCEEDED, IngestionRun.Status.FAILED])

    def versions(self) -> IngestionRunQuerySet:
        """The runs that are versions of their dataset: the successful ones, newest first. A
        failed or unfinished run never is one."""
        return self.filter(status=IngestionRun.Status.SUCCEEDED).order_by("-finished_at", "-id")


class IngestionRun(models.Model):
    """One file offered to one dataset, what became of its rows, and why rows were refused."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="ingestion_runs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to="ingestion/%Y/%m/", max_length=300)
    file_name = models.CharField(max_length=255, help_text="The name the file was offered under.")
    file_checksum = models.CharField(max_length=64, help_text="SHA-256 of the file's bytes.")
    file_size = models.PositiveBigIntegerField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(
        default=list,
        blank=True,
        help_text="The first errors found, each {row, column, message}; row 1 is the header.",
    )

    objects = IngestionRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["dataset", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.dataset.slug} run {self.pk} ({self.get_status_display().lower()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)


class MessageChannel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message (SMS)"


class SentMessage(models.Model):
    """One message the portal sent (or decided not to send) to a person, through `cities.messaging`.

    The address itself is never stored here: `recipient_digest` is a keyed hash of it, enough to
    honour opt-outs and to count messages per person, useless to anyone reading the table.
    """

    class Status(models.TextChoices):
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        OPTED_OUT = "opted_out", "Not sent: the person opted out"
        FAILED = "failed", "Failed"
        # Reported by the SMS provider's status callback.
        DELIVERED = "delivered", "Delivered"
        UNDELIVERED = "undelivered", "Not delivered"

    channel = models.CharField(max_length=5, choices=MessageChannel.choices)
    recipient_digest = models.CharField(max_length=64)
    purpose = models.CharField(max_length=60, help_text="Which feature sent it, e.g. courts.reminder.")
    idempotency_key = models.CharField(
        max_length=200, unique=True, help_text="The same key never sends twice: retried tasks and re-runs are safe."
    )
    subject = models.CharField(max_length=200)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SENDING)
    failure_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_message_id = models.CharField(
        max_length=64, blank=True, help_text="The SMS provider's id of the message, for its delivery reports."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["purpose", "-created_at"]),
            models.Index(fields=["provider_message_id"], name="sent_message_provider_id"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.purpose} ({self.get_status_display().lower()})"


class MessageOptOut(models.Model):
    """A person asked to get no more messages on a channel; keyed by the same digest as SentMessage."""

    channel = models.CharField(max_length=5, choices=MessageChannel.choices)
    recipient_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "recipient_digest"], name="one_opt_out_per_address")]

    def __str__(self) -> str:
        return f"Opt-out from {self.get_channel_display().lower()} since {self.created_at:%Y-%m-%d}"


class Boundary(models.Model):
    """A named area of a published boundary file (a ward, a neighbourhood cluster, a census
    tract, a municipality), for maps and for placing records in areas. `layer` names the set
    it belongs to, e.g. "dc-wards-2022"; each layer comes from one dataset."""

    layer = models.SlugField(max_length=60)
    code = models.CharField(max_length=60, help_text="The area's code in its layer, e.g. Ward 8 or Cluster 7.")
    name = models.CharField(max_length=200)
    detail = models.CharField(max_length=500, blank=True, help_text="E.g. the neighbourhoods of a cluster.")
    geometry = models.TextField(help_text="GeoJSON geometry, coordinates rounded to 6 decimals.")
    ingestion_run = ingestion_run_field()

    class Meta:
        ordering = ["layer", "code"]
        constraints = [models.UniqueConstraint(fields=["layer", "code"], name="one_boundary_per_code_in_layer")]

    def __str__(self) -> str:
        return f"{self.name} ({self.layer})"


class JobQuerySet(models.QuerySet["Job"]):
    def lease_expired(self, *, now: datetime) -> JobQuerySet:
        """Jobs no worker holds any more: taken by a worker that stopped renewing its lease, or
        sent again by the sweep and not yet taken."""
        return self.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING], lease_expires_at__lt=now)


class Job(models.Model):
    """One long Celery task (ingestion, a match run, offers, reminders, refreshes) as a worker
    runs it, keyed by the Celery task id, so a lost worker's work is found and resumed.

    A worker holds a lease on the job while it works and renews it; a job whose lease ran out
    is sent again by the beat sweep (`cities.jobs.jobs_resume`) under the same task id. A
    delivery of a finished job, or of one another worker holds, does nothing."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Sent again, waiting for a worker"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    task_id = models.CharField(max_length=255, unique=True)
    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    queue = models.CharField(max_length=200, blank=True, help_text="The queue it was sent to; it is sent there again.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    attempts = models.PositiveIntegerField(default=0, help_text="How many times a worker took it.")
    lease_holder = models.CharField(max_length=64, blank=True, help_text="Which attempt holds the lease.")
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True, help_text="The task's summary, answered again to a duplicate.")
    error = models.CharField(max_length=300, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "lease_expires_at"])]

    def __str__(self) -> str:
        return f"{self.task_name} {self.task_id} ({self.get_status_display().lower()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)


class ApiToken(models.Model):
    """A key a partner's (or staff's) program sends as `Authorization: Token <key>`. Only the
    key's SHA-256 digest is kept: the key is shown once, when the token is made
    (`cities.tokens.api_token_create`); afterwards its first characters identify it. A token
    past `expires_at` is refused, but kept, with its history."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=8, help_text="The key's first characters, to tell tokens apart.")
    digest = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True, help_text="What the token is for, e.g. the partner's system.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="After this moment the token is refused. Empty: it does not expire."
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"Token {self.prefix}… of {self.user}"

    def is_expired(self, *, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now
