"""Boston's summer youth jobs: a season, its applicants (personal data), the sites and
positions employers offer, direct hires, match runs and the placements they propose, with
each placement's history.

Applicants, sites, positions and direct hires arrive through the ingestion schemas of
`youthjobs.ingest` (or the seeded generator `youthjobs.synthetic`); every CheckConstraint
here has a twin row rule there, so a file that would break one is refused by row. Rows
change afterwards only through `youthjobs.services` and `youthjobs.eligibility`.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedEmailField

from cities.models import ingestion_run_field

# The job categories of Boston's DYEE / SuccessLink position files (shared/data/boston), as
# those files spell them, so that a real file's categories are stored as written. "Programs
# Intern", used once in 2018, is not a category of work and is left out.
JOB_CATEGORIES = (
    "Administrative or Office Assistant",
    "Business or Entrepreneurship",
    "Camp Counselor/ Summer Program Staff Support",
    "Child Care/Day Care Facility",
    "Community Organizing",
    "Construction or Building Trades",
    "Digital Media, Communications or Film",
    "Education, Tutoring or Teacher's Assistant",
    "Environment, Natural Resources, and/or Agriculture",
    "Health Care",
    "Hospitality & Tourism",
    "Information Technology",
    "Law, Government, or Public Service",
    "Maintenance/Landscaping",
    "Peer Leadership",
    "Science, Technology, Engineering and/or Math",
    "Sports, Fitness and/or Recreation",
    "Veterinary or Marine Science",
    "Visual or Performing Arts",
)
CATEGORY_CHOICES = [(category, category) for category in JOB_CATEGORIES]

# Boston's 26 neighbourhoods as the City's boundary file names them (boston_neighborhoods.geojson).
NEIGHBOURHOODS = (
    "Allston",
    "Back Bay",
    "Bay Village",
    "Beacon Hill",
    "Brighton",
    "Charlestown",
    "Chinatown",
    "Dorchester",
    "Downtown",
    "East Boston",
    "Fenway",
    "Harbor Islands",
    "Hyde Park",
    "Jamaica Plain",
    "Leather District",
    "Longwood",
    "Mattapan",
    "Mission Hill",
    "North End",
    "Roslindale",
    "Roxbury",
    "South Boston",
    "South Boston Waterfront",
    "South End",
    "West End",
    "West Roxbury",
)
NEIGHBOURHOOD_CHOICES = [(name, name) for name in NEIGHBOURHOODS]

MINIMUM_AGE, MAXIMUM_AGE = 14, 24
# Massachusetts requires a work permit (youth employment permit) below this age.
WORK_PERMIT_BELOW_AGE = 18


class Season(models.Model):
    """One summer's programme: its dates bound eligibility (age on the start date) and offers."""

    # Text, as files write it: the ingestion machinery resolves references by their text.
    year = models.CharField(max_length=4, unique=True, help_text="e.g. 2026")
    starts_on = models.DateField("programme starts on")
    ends_on = models.DateField("programme ends on")
    offer_days = models.PositiveSmallIntegerField(
        "days to answer an offer", default=7, help_text="An offer not answered within these days expires."
    )
    ingestion_run = ingestion_run_field()

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="season_dates_ordered"),
            models.CheckConstraint(condition=Q(year__regex=r"^[0-9]{4}$"), name="season_year_four_digits"),
        ]

    def __str__(self) -> str:
        return f"Summer {self.year}"


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NONBINARY = "nonbinary", "Non-binary"
    UNDISCLOSED = "undisclosed", "Prefers not to say"


class ApplicantQuerySet(models.QuerySet["Applicant"]):
    def eligible(self) -> ApplicantQuerySet:
        return self.filter(eligibility__eligible=True)


class Applicant(models.Model):
    """A young person who applied for a summer job. Personal data: name, date of birth, home
    location and contact details are shown only to staff with `youthjobs.view_applicant`."""

    season = models.ForeignKey(Season, on_delete=models.PROTECT, related_name="applicants")
    applicant_id = models.CharField("applicant id", max_length=20, unique=True, help_text="The programme's own id.")
    # One young person applies in several seasons under a new applicant id each time; this
    # id is theirs across seasons (a returning youth's seasons share it).
    person_id = models.CharField(
        "person id", max_length=20, db_index=True, help_text="The same young person's id in every season."
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=12, choices=Gender.choices)
    # Contact details are encrypted at rest (keys from SECRET_KEY, settings.SALT_KEY); they can
    # be read, never searched or filtered in the database. Empty is stored as NULL.
    email = EncryptedEmailField(blank=True, null=True)
    phone = EncryptedCharField(max_length=20, blank=True, null=True)
    home_zip = models.CharField("home ZIP code", max_length=5)
    home_latitude = models.FloatField()
    home_longitude = models.FloatField()
    neighbourhood = models.CharField(
        max_length=30,
        choices=NEIGHBOURHOOD_CHOICES,
        blank=True,
        help_text="Where the home lies; empty when it lies outside Boston.",
    )
    has_transit_pass = models.BooleanField("has a transit pass")
    has_work_permit = models.BooleanField("has a work permit", help_text="Required below age 18.")
    first_interest = models.CharField(max_length=60, choices=CATEGORY_CHOICES)
    second_interest = models.CharField(max_length=60, choices=CATEGORY_CHOICES, blank=True)
    third_interest = models.CharField(max_length=60, choices=CATEGORY_CHOICES, blank=True)
    is_synthetic = models.BooleanField(
        default=False, help_text="Made by the seeded generator for demonstration: not a real person."
    )
    objects = ApplicantQuerySet.as_manager()
    ingestion_run = ingestion_run_field()

    class Meta:
        ordering = ["applicant_id"]
        constraints = [
            models.UniqueConstraint(fields=["season", "person_id"], name="applicant_one_application_per_season"),
            models.CheckConstraint(
                condition=Q(home_latitude__gte=-90, home_latitude__lte=90), name="applicant_latitude_range"
            ),
            models.CheckConstraint(
                condition=Q(home_longitude__gte=-180, home_longitude__lte=180), name="applicant_longitude_range"
            ),
            models.CheckConstraint(
                condition=~Q(second_interest=F("first_interest")) | Q(second_interest=""),
                name="applicant_second_interest_differs",
            ),
            models.CheckConstraint(
                condition=(~Q(third_interest=F("first_interest")) & ~Q(third_interest=F("second_interest")))
                | Q(third_interest=""),
                name="applicant_third_interest_differs",
            ),
        ]

    def __str__(self) -> str:
        return self.applicant_id

    @property
    def ranked_interests(self) -> list[str]:
        """The applicant's categories, first choice first."""
        return [c for c in (self.first_interest, self.second_interest, self.third_interest) if c]


class Eligibility(models.Model):
    """Whether an applicant may be matched this season and, if not, every reason why.
    Recomputed by `youthjobs.eligibility` after each ingestion; an ineligible applicant
    is kept, with the reasons staff tell them."""

    applicant = models.OneToOneField(Applicant, on_delete=models.CASCADE, related_name="eligibility")
    eligible = models.BooleanField()
    reasons = models.JSONField(default=list, blank=True, help_text="Why not, in words staff can tell the youth.")
    age_on_start = models.PositiveSmallIntegerField("age on the programme's first day")
    checked_at = models.DateTimeField()

    class Meta:
        ordering = ["applicant"]
        verbose_name_plural = "eligibility"
        indexes = [models.Index(fields=["eligible"], name="eligibility_eligible")]
        constraints = [
            models.CheckConstraint(
                condition=Q(eligible=True, reasons=[]) | Q(eligible=False) & ~Q(reasons=[]),
                name="eligibility_reasons_iff_ineligible",
            ),
        ]

    def __str__(self) -> str:
        return "eligible" if self.eligible else "not eligible: " + "; ".join(self.reasons)


class Site(models.Model):
    """A place where youth work: a community organisation's or employer's work site."""

    site_id = models.CharField("site id", max_length=20, unique=True)
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=200, blank=True)
    neighbourhood = models.CharField(max_length=30, choices=NEIGHBOURHOOD_CHOICES, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    is_synthetic = models.BooleanField(
        default=False, help_text="A copy of a real site made by the seeded generator, under a new id."
    )
    ingestion_run = ingestion_run_field()

    class Meta:
        ordering = ["name", "site_id"]
        constraints = [
            models.CheckConstraint(condition=Q(latitude__gte=-90, latitude__lte=90), name="site_latitude_range"),
            models.CheckConstraint(condition=Q(longitude__gte=-180, longitude__lte=180), name="site_longitude_range"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.site_id})"


class Position(models.Model):
    """A job at a site with a number of seats, open to youth at least `minimum_age` old."""

    season = models.ForeignKey(Season, on_delete=models.PROTECT, related_name="positions")
    position_id = models.CharField("position id", max_length=20, unique=True)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="positions")
    title = models.CharField(max_length=200)
    category = models.CharField(max_length=60, choices=CATEGORY_CHOICES)
    seats = models.PositiveSmallIntegerField()
    minimum_age = models.PositiveSmallIntegerField(default=MINIMUM_AGE)
    hours_per_week = models.PositiveSmallIntegerField(default=25)
    starts_on = models.DateField()
    ends_on = models.DateField()
    is_synthetic = models.BooleanField(default=False)
    ingestion_run = ingestion_run_field()

    class Meta:
        ordering = ["position_id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="position_dates_ordered"),
            models.CheckConstraint(
                condition=Q(minimum_age__gte=MINIMUM_AGE, minimum_age__lte=MAXIMUM_AGE),
                name="position_minimum_age_range",
            ),
            models.CheckConstraint(condition=Q(hours_per_week__lte=40), name="position_hours_at_most_40"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.position_id})"


class DirectHire(models.Model):
    """A youth placed before the lottery: an employer's own pick or a returning youth."""

    class Kind(models.TextChoices):
        EMPLOYER_PICK = "employer_pick", "Employer's pick"
        RETURNING = "returning", "Returning youth"

    applicant = models.OneToOneField(Applicant, on_delete=models.CASCADE, related_name="direct_hire")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="direct_hires")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    ingestion_run = ingestion_run_field()

    class Meta:
        ordering = ["position", "applicant"]

    def __str__(self) -> str:
        # No applicant id: staff who may see direct hires but not applicants read this title.
        return f"Direct hire at {self.position} ({self.get_kind_display()})"


class Mechanism(models.TextChoices):
    OPTIMAL = "optimal", "Optimal (largest total score)"
    STABLE = "stable", "Stable (youth-proposing deferred acceptance)"
    GREEDY = "greedy", "Greedy lottery (the former system)"


class MatchRun(models.Model):
    """One matching of a season's remaining youth to its remaining seats, reproducible from
    its mechanism, parameters, seed and input checksum."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    season = models.ForeignKey(Season, on_delete=models.PROTECT, related_name="match_runs")
    round = models.PositiveSmallIntegerField(default=1, help_text="2 and later match whoever earlier rounds left.")
    mechanism = models.CharField(max_length=10, choices=Mechanism.choices)
    parameters = models.JSONField(default=dict, help_text="Maximum commute, score weights, travel speeds.")
    seed = models.PositiveIntegerField(help_text="Seeds the lottery that breaks ties.")
    input_checksum = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the problem solved.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.CharField(max_length=200, blank=True, help_text="The step the run is at.")
    message = models.TextField(blank=True, help_text="Why a run placed nobody, or why it failed.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    timings = models.JSONField(default=dict, blank=True, help_text="Seconds spent building, solving and saving.")
    summary = models.JSONField(default=dict, blank=True, help_text="Figures of the result, overall and by group.")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A what-if run re-solves a season's whole problem with one thing changed (a longer
    # maximum commute, more seats in a category) to learn from it; it makes no offer.
    what_if = models.JSONField(
        default=dict, blank=True, help_text="What a what-if run changed; empty for a run that may be approved."
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "match run"
        # Approving makes offers to youth: a supervisor's decision, apart from starting runs.
        permissions = [("approve_matchrun", "Can approve a match run and make its offers")]
        constraints = [
            models.CheckConstraint(condition=Q(round__gte=1), name="match_run_round_positive"),
            models.CheckConstraint(
                condition=Q(what_if={}) | Q(approved_at__isnull=True), name="match_run_what_if_never_approved"
            ),
            # One approved run per season and round: approving turns proposals into offers once.
            models.UniqueConstraint(
                fields=["season", "round"], condition=Q(approved_at__isnull=False), name="match_run_one_approved"
            ),
        ]

    def __str__(self) -> str:
        return f"Run {self.pk} ({self.get_mechanism_display()}, round {self.round})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.FINISHED, self.Status.FAILED)

    @property
    def is_what_if(self) -> bool:
        return bool(self.what_if)


class PlacementState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Completed")
    ENDED_EARLY = "ended_early", _("Ended early")
    WITHDRAWN = "withdrawn", _("Withdrawn by staff")


# Where a placement may go from each state. A proposal becomes an offer when its run is
# approved; staff may withdraw a placement that has not started, with a reason.
PLACEMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    PlacementState.PROPOSED: frozenset({PlacementState.OFFERED, PlacementState.WITHDRAWN}),
    PlacementState.OFFERED: frozenset(
        {PlacementState.ACCEPTED, PlacementState.DECLINED, PlacementState.EXPIRED, PlacementState.WITHDRAWN}
    ),
    PlacementState.ACCEPTED: frozenset({PlacementState.STARTED, PlacementState.WITHDRAWN}),
    PlacementState.STARTED: frozenset({PlacementState.COMPLETED, PlacementState.ENDED_EARLY}),
    PlacementState.DECLINED: frozenset(),
    PlacementState.EXPIRED: frozenset(),
    PlacementState.COMPLETED: frozenset(),
    PlacementState.ENDED_EARLY: frozenset(),
    PlacementState.WITHDRAWN: frozenset(),
}
# States in which a placement holds its seat and its youth (beyond its own run's proposals).
SEAT_HOLDING_STATES = (
    PlacementState.OFFERED,
    PlacementState.ACCEPTED,
    PlacementState.STARTED,
    PlacementState.COMPLETED,
    PlacementState.ENDED_EARLY,
)


class PlacementQuerySet(models.QuerySet["Placement"]):
    def lapsed_offers(self, now: datetime | None = None) -> PlacementQuerySet:
        """Offers past their deadline that no scheduled expiry has closed yet: expired in all but name."""
        return self.filter(state=PlacementState.OFFERED, offer_expires_at__lt=now or timezone.now())

    def holding_seats(self, now: datetime | None = None) -> PlacementQuerySet:
        """Placements holding a seat now: a lapsed offer holds none, whether or not it was expired yet."""
        lapsed = self.lapsed_offers(now)
        return self.filter(state__in=SEAT_HOLDING_STATES).exclude(pk__in=lapsed.values("pk"))


class Placement(models.Model):
    """A youth's place in a position, proposed by a match run (or a direct hire carried into
    it), with the score's parts so staff can explain it."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="placements")
    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="placements")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="placements")
    state = models.CharField(max_length=12, choices=PlacementState.choices, default=PlacementState.PROPOSED)
    is_direct_hire = models.BooleanField(default=False)
    commute_minutes = models.FloatField(null=True, blank=True)
    by_transit = models.BooleanField(default=False)
    interest_rank = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1 when the position's category is the youth's first choice."
    )
    travel_points = models.FloatField(default=0.0)
    interest_points = models.FloatField(default=0.0)
    score = models.FloatField(default=0.0)
    explanation = models.CharField(max_length=200, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    state_changed_at = models.DateTimeField(auto_now_add=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["run", "applicant"]
        indexes = [models.Index(fields=["run", "state"], name="placement_run_state")]
        constraints = [
            # A retried run cannot place anyone twice.
            models.UniqueConstraint(fields=["run", "applicant"], name="placement_one_per_run_and_applicant"),
            # Nor can two approved rounds: one seat-holding placement per youth.
            models.UniqueConstraint(
                fields=["applicant"],
                condition=Q(state__in=[state.value for state in SEAT_HOLDING_STATES]),
                name="placement_one_held_per_applicant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.position} ({self.get_state_display()})"

    def can_become(self, state: str) -> bool:
        return state in PLACEMENT_TRANSITIONS[self.state]

    @property
    def is_lapsed(self) -> bool:
        """An offer past its deadline: expired, even where no scheduler has recorded it yet."""
        return (
            self.state == PlacementState.OFFERED
            and self.offer_expires_at is not None
            and self.offer_expires_at < timezone.now()
        )

    @property
    def shown_state(self) -> str:
        """The state as staff and youth should read it now (a lapsed offer reads expired)."""
        return str(PlacementState.EXPIRED.label) if self.is_lapsed else self.get_state_display()

    def get_additional_data(self) -> dict[str, str]:
        """Why the placement last changed, for its audit entry: the services record the event
        (with staff's reason) before they save the placement."""
        reason = self.events.order_by("-changed_at", "-pk").values_list("reason", flat=True).first()
        return {"why": reason} if reason else {}


class PlacementEvent(models.Model):
    """One change of a placement: the states, who made it (empty for the system or the
    youth's own answer), when and why. Append-only."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=12, choices=PlacementState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=PlacementState.choices)
    from_position = models.ForeignKey(Position, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()

    class Meta:
        ordering = ["placement", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state or '—'} → {self.to_state}"


class EligibilityFact(models.Model):
    """A fact staff verified that the applicants file does not (yet) say, e.g. a work permit
    the youth brought in after applying. Eligibility counts it as the file's own value; a newer
    file does not undo it. Append-only, with who, when and why."""

    class Fact(models.TextChoices):
        WORK_PERMIT = "work_permit", "Has a work permit"
        BOSTON_RESIDENT = "boston_resident", "Lives in Boston (address verified)"

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="eligibility_facts")
    fact = models.CharField(max_length=20, choices=Fact.choices)
    reason = models.TextField(help_text="How staff know it, e.g. the permit number seen.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["applicant", "recorded_at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="eligibility_fact_has_reason")]

    def __str__(self) -> str:
        return self.get_fact_display()


class ApplicantNote(models.Model):
    """A staff note on a youth's case. Append-only: a note is corrected by a later note."""

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["applicant", "written_at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="applicant_note_has_text")]

    def __str__(self) -> str:
        return f"Note of {self.written_at:%Y-%m-%d %H:%M}"
