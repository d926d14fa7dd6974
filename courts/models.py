"""St. Louis County's municipal courts: who runs them, what residents owe them, and the
help the portal gives (lookups, reminders, stories).

Every court, municipality, judge, citation, violation, warrant and court date arrives
through the ingestion schemas of `courts.ingest` (or the seeded generator of
`courts.synthetic`, whose rows say so in `synthetic`). Source ids are kept as text, as the
machinery resolves references by text. Defendants' names, dates of birth, addresses and
licence numbers are personal data: the admin shows them only with
`courts.view_defendant_details`, and no public page or API answer shows them except to the
resident who proved them in a lookup (`courts.lookup`).
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedEmailField

from cities.models import MessageChannel, ingestion_run_field

COURT_TIME_ZONE = "America/Chicago"


class Municipality(models.Model):
    source_id = models.CharField("YourSTLCourts id", max_length=10, unique=True)
    name = models.CharField(max_length=100, unique=True)
    payment_url = models.URLField("ticket payment page", max_length=300, blank=True)
    population = models.PositiveIntegerField(
        null=True, blank=True, help_text="Residents, where a published count is known (none is ingested yet)."
    )
    courts: models.ManyToManyField[Court, MunicipalityCourt] = models.ManyToManyField(
        "Court", through="MunicipalityCourt", related_name="municipalities"
    )
    ingestion_run = ingestion_run_field()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "municipalities"

    def __str__(self) -> str:
        return self.name


class Court(models.Model):
    class RightsFormat(models.TextChoices):
        LINK = "LINK", "A web page"
        PDF = "PDF", "A PDF notice"

    source_id = models.CharField("YourSTLCourts id", max_length=10, unique=True)
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=110, unique=True)
    phone = models.CharField(max_length=20)
    phone_extension = models.CharField(max_length=10, blank=True)
    website = models.URLField(max_length=300, blank=True)
    payment_system = models.CharField(
        "online payment system", max_length=60, blank=True, help_text="Empty when the court takes no online payment."
    )
    address = models.CharField(max_length=200)
    city = models.CharField(max_length=60)
    state = models.CharField(max_length=2)
    zip_code = models.CharField("ZIP code", max_length=5)
    latitude = models.FloatField()
    longitude = models.FloatField()
    hours = models.CharField(
        max_length=200,
        blank=True,
        db_default="",
        help_text="Opening hours of the clerk's office; no published source has them yet.",
    )
    citation_expires_after_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Days after which the court's citations leave its online records; empty: never.",
    )
    rights_format = models.CharField("rights information", max_length=4, choices=RightsFormat.choices)
    rights_location = models.CharField(
        "rights information at",
        max_length=300,
        blank=True,
        help_text="The page's address, or the PDF's file name as YourSTLCourts published it.",
    )
    time_zone = models.CharField(max_length=40, default=COURT_TIME_ZONE)
    ingestion_run = ingestion_run_field()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(latitude__gte=-90) & Q(latitude__lte=90), name="court_latitude_range"),
            models.CheckConstraint(
                condition=Q(longitude__gte=-180) & Q(longitude__lte=180), name="court_longitude_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("courts:court", kwargs={"slug": self.slug})

    @property
    def phone_display(self) -> str:
        digits = self.phone.replace(".", "-")
        return f"{digits} ext. {self.phone_extension}" if self.phone_extension else digits

    @property
    def rights_url(self) -> str:
        """The rights page's address; a bare PDF name has none we could link to."""
        return self.rights_location if self.rights_location.startswith(("http://", "https://")) else ""


class MunicipalityCourt(models.Model):
    """A court that serves a municipality (a court may serve several, and St. Louis County's
    own court serves the unincorporated county in four divisions)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="court_links")
    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="municipality_links")
    ingestion_run = ingestion_run_field()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "court"], name="municipality_court_once")]

    def __str__(self) -> str:
        return f"{self.court} serves {self.municipality}"


class Judge(models.Model):
    source_id = models.CharField("YourSTLCourts id", max_length=10, unique=True)
    name = models.CharField(max_length=100)
    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="judges")
    ingestion_run = ingestion_run_field()

    class Meta:
        ordering = ["court__name", "name"]

    def __str__(self) -> str:
        return f"Judge {self.name} ({self.court})"


class CourtSurvey(models.Model):
    """GlobalHack V's 2015 survey of what each municipality publishes about its court. A
    measure is True ("yes"), False ("no", "not listed") or unknown (left blank)."""

    surveyed_name = models.CharField("municipality as surveyed", max_length=100, unique=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.SET_NULL, null=True, blank=True, related_name="surveys"
    )
    court_note = models.CharField("court", max_length=40, blank=True, help_text="X: has its own court.")
    municipal_website = models.CharField(max_length=200, blank=True)
    court_website = models.CharField(max_length=200, blank=True)
    docket_listed = models.BooleanField("docket time and place published", null=True)
    docket_note = models.CharField(max_length=200, blank=True)
    clerk_phone_listed = models.BooleanField("clerk's phone published", null=True)
    payment_provider = models.CharField("online payment provider", max_length=100, blank=True)
    dress_code_mentioned = models.BooleanField("dress code published", null=True)
    fine_schedule_listed = models.BooleanField("fine schedule published", null=True)
    municipal_codes = models.CharField(max_length=200, blank=True)
    order_of_cases = models.CharField(max_length=200, blank=True)
    directions_listed = models.BooleanField("directions published", null=True)
    ingestion_run = ingestion_run_field()

    class Meta:
        ordering = ["surveyed_name"]
        verbose_name = "court information survey answer"

    def __str__(self) -> str:
        return self.surveyed_name


class FineScheduleEntry(models.Model):
    violation = models.CharField(max_length=100, unique=True)
    fine = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    court_cost = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    ingestion_run = ingestion_run_field()

    class Meta:
        ordering = ["violation"]
        verbose_name_plural = "fine schedule"

    def __str__(self) -> str:
        return self.violation


class Citation(models.Model):
    """A ticket. Each `*_key` column holds its field normalised for lookups (upper case,
    letters and digits only), so that an index answers a resident's typing exactly."""

    citation_number = models.CharField(max_length=20, unique=True)
    citation_date = models.DateField(null=True, blank=True)
    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60)
    last_name_key = models.CharField(max_length=60)
    date_of_birth = models.DateField(null=True, blank=True)
    address = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=60, blank=True)
    state = models.CharField(max_length=2, blank=True)
    licence_number = models.CharField("driver's licence number", max_length=20, blank=True)
    licence_number_key = models.CharField(max_length=20, blank=True)
    licence_state = models.CharField("driver's licence state", max_length=2, blank=True)
    court = models.ForeignKey(Court, on_delete=models.PROTECT, null=True, blank=True, related_name="citations")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="citations"
    )
    synthetic = models.BooleanField(db_default=False, default=False, help_text="Made by generate_court_data.")
    ingestion_run = ingestion_run_field()

    class Meta:
        ordering = ["citation_number"]
        permissions = [("view_defendant_details", "Can see defendants' names, birth dates, addresses, licences")]
        indexes = [
            # Each of the three lookups is one index scan (see courts.lookup).
            models.Index(
                fields=["licence_number_key", "licence_state", "date_of_birth"], name="citation_licence_lookup"
            ),
            models.Index(fields=["last_name_key", "date_of_birth", "municipality"], name="citation_name_lookup"),
            # The staff API's date filters and ordering: a page of the latest citations reads
            # 50 index entries, not a sort of every citation.
            models.Index(fields=["citation_date"], name="citation_issued_on"),
        ]

    def __str__(self) -> str:
        return f"Citation {self.citation_number}"


class Violation(models.Model):
    class Status(models.TextChoices):
        # The courts' own words, as the published data writes them.
        CLOSED = "CLOSED", _("Closed")
        WARRANT_ISSUED = "FTA WARRANT ISSUED", _("Warrant issued for failure to appear")
        CONTINUED_FOR_PAYMENT = "CONT FOR PAYMENT", _("Waiting for payment")
        DISMISSED = "DISMISS WITHOUT COSTS", _("Dismissed without costs")

    source_id = models.CharField("record id", max_length=20, unique=True)
    citation = models.ForeignKey(Citation, on_delete=models.CASCADE, related_name="violations")
    violation_number = models.CharField(max_length=20)
    description = models.CharField(max_length=100)
    status = models.CharField(max_length=30, choices=Status.choices)
    status_date = models.DateField()
    fine_amount = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    court_cost = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    can_pay_online = models.BooleanField()
    synthetic = models.BooleanField(db_default=False, default=False)
    ingestion_run = ingestion_run_field()

    class Meta:
        ordering = ["citation", "violation_number", "source_id"]
        indexes = [models.Index(fields=["citation", "violation_number"], name="violation_citation")]
        constraints = [
            models.CheckConstraint(condition=Q(fine_amount__gte=0), name="violation_fine_not_negative"),
            models.CheckConstraint(condition=Q(court_cost__gte=0), name="violation_court_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.violation_number}: {self.description}"

    @property
    def amount_owed(self) -> Decimal:
        if self.status not in (self.Status.CONTINUED_FOR_PAYMENT, self.Status.WARRANT_ISSUED):
            return Decimal("0.00")
        return (self.fine_amount or Decimal("0.00")) + (self.court_cost or Decimal("0.00"))

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.CONTINUED_FOR_PAYMENT, self.Status.WARRANT_ISSUED)


class Warrant(models.Model):
    """A warrant of the published data: a violation whose warrant_status is 1, with its number.
    Every such violation's status is FTA WARRANT ISSUED (243 of 243): the warrant is for
    failure to appear and outstanding until the data says otherwise."""

    class Status(models.TextChoices):
        OUTSTANDING = "outstanding", "Outstanding"
        RECALLED = "recalled", "Recalled"

    warrant_number = models.CharField(max_length=20, unique=True)
    violation = models.OneToOneField(Violation, on_delete=models.CASCADE, related_name="warrant")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OUTSTANDING)
    synthetic = models.BooleanField(db_default=False, default=False)
    ingestion_run = ingestion_run_field()

    class Meta:
        ordering = ["warrant_number"]

    def __str__(self) -> str:
        return f"Warrant {self.warrant_number} ({self.get_status_display().lower()})"


class CourtDate(models.Model):
    """When a citation's case is heard. The data gives the local time of day (the courts'
    zone), kept as minutes after midnight; a citation may be heard more than once."""

    citation = models.ForeignKey(Citation, on_delete=models.CASCADE, related_name="court_dates")
    day = models.DateField()
    minute_of_day = models.PositiveSmallIntegerField(null=True, blank=True)
    synthetic = models.BooleanField(db_default=False, default=False)
    ingestion_run = ingestion_run_field()

    class Meta:
        ordering = ["day", "minute_of_day"]
        constraints = [
            models.UniqueConstraint(fields=["citation", "day"], name="court_date_once_a_day"),
            models.CheckConstraint(condition=Q(minute_of_day__lt=24 * 60), name="court_date_minute_in_day"),
        ]
        indexes = [models.Index(fields=["day"], name="court_date_day")]

    def __str__(self) -> str:
        return f"{self.citation} on {self.day}"

    @property
    def time_of_day(self) -> time | None:
        if self.minute_of_day is None:
            return None
        return time(self.minute_of_day // 60, self.minute_of_day % 60)


class CourtQuestion(models.Model):
    """A question and answer of the YourSTLCourts FAQ, in plain text (the source's HTML links
    become their text followed by the address)."""

    class Topic(models.TextChoices):
        # In the order residents need them.
        TICKET = "ticket", "Tickets"
        PAYMENT = "payment", "Paying"
        COURTS = "courts", "Going to court"
        LEGAL = "legal", "Legal help"

    topic = models.CharField(max_length=10, choices=Topic.choices)
    position = models.PositiveSmallIntegerField()
    question = models.CharField(max_length=300)
    answer = models.TextField()
    ingestion_run = ingestion_run_field()

    class Meta:
        ordering = ["topic", "position"]
        constraints = [models.UniqueConstraint(fields=["topic", "position"], name="court_question_place")]

    def __str__(self) -> str:
        return self.question


class ReminderSubscription(models.Model):
    """A resident's request for text or email reminders before a court date. Either it names
    a citation the resident proved in a lookup, or it watches for a citation number (with its
    date of birth) not yet in the data until `watch_ends_on`. Contact details and watched
    identifiers are encrypted at rest; the row is deleted once its court date has passed or
    its watch ended (see `courts.reminders`). Asked for after the court date had passed, it
    waits for a new court date (`new_date_after`) instead of reminding of the passed one."""

    citation = models.ForeignKey(
        Citation, on_delete=models.CASCADE, null=True, blank=True, related_name="reminder_subscriptions"
    )
    # The encrypted fields store an empty value as NULL.
    watched_citation_number = EncryptedCharField(max_length=20, null=True, blank=True)
    watched_date_of_birth = EncryptedCharField(max_length=10, null=True, blank=True, help_text="ISO date.")
    channel = models.CharField(max_length=5, choices=MessageChannel.choices)
    phone_number = EncryptedCharField(max_length=20, null=True, blank=True, help_text="E.164.")
    email = EncryptedEmailField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    watch_ends_on = models.DateField(
        null=True, blank=True, help_text="Deleted after this day if no court date (or no citation) came."
    )
    new_date_after = models.DateField(
        null=True,
        blank=True,
        help_text="Asked after the court date had passed: waits for a court date after this day.",
    )
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        db_default="en",
        help_text="The language the resident asked in; their messages are written in it.",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(channel__in=MessageChannel.values), name="reminder_channel_known"),
        ]

    def __str__(self) -> str:
        return f"Reminder {self.pk} by {self.get_channel_display().lower()}"


class StoryQuerySet(models.QuerySet["Story"]):
    def published(self) -> StoryQuerySet:
        return self.filter(status=Story.Status.APPROVED)


class Story(models.Model):
    """A resident's account of the justice system, shown without any name once published.
    Staff may publish an edited text (a name or a detail taken out); the resident's own words
    stay in `body`, unchanged, for the audit."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        APPROVED = "approved", "Published"
        REJECTED = "rejected", "Not published"

    body = models.TextField()
    published_text = models.TextField(
        "text to publish",
        blank=True,
        help_text="Edit here to take out a name or a detail; left empty, the resident's own words are published.",
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.SET_NULL, null=True, blank=True, related_name="stories"
    )
    consent_given_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    submitted_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return f"Story {self.pk} ({self.get_status_display().lower()})"

    @property
    def public_text(self) -> str:
        return self.published_text or self.body


class DashboardSnapshot(models.Model):
    """The public dashboard's figures as last computed (`courts.dashboard`), kept so that a
    visit reads them instead of computing them: computed after each ingestion that changes
    St. Louis data. One row, replaced at each computation."""

    figures = models.JSONField(help_text="The dashboard's figures; courts and municipalities by id.")
    computed_at = models.DateTimeField()
    compute_seconds = models.FloatField(help_text="How long computing the figures took.")

    class Meta:
        get_latest_by = "computed_at"

    def __str__(self) -> str:
        return f"Dashboard figures of {self.computed_at:%Y-%m-%d %H:%M}"
