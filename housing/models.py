"""Washington DC's subsidised housing: the Preservation Catalog's projects, their subsidies,
inspections, parcels and property events, and NeighborhoodInfo DC's market indicators.

Every row arrives through the ingestion schemas of `housing.ingest`; the fields keep the
sources' meaning, and each CheckConstraint here has a twin row rule there, so a file that
would break one is refused with row-numbered errors instead of failing at the write.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import ingestion_run_field

WARDS = tuple(f"Ward {number}" for number in range(1, 9))


class Owner(models.Model):
    """An owner of subsidised projects as HUD records it: the Catalog's owner name and type on
    each project, one row per name, so one owner's whole portfolio shows at once.

    Derived from the projects after each ingestion (`housing.owners.owners_refresh`), never
    edited. HUD's owner type "Individual" means a person: owners are shown only to staff and
    tokens with `housing.view_owner`, never on public pages or to anonymous API clients."""

    name_key = models.CharField(max_length=200, unique=True, help_text="The name in lower case, trimmed.")
    name = models.CharField(max_length=200)
    owner_type = models.CharField("owner type (HUD)", max_length=40, blank=True)
    # The portfolio's totals, kept with the owner by the same refresh: summing 200,000 projects
    # on every page of the owners' list would cost a scan of them all.
    project_count = models.PositiveIntegerField(default=0, editable=False, help_text="How many projects it owns.")
    assisted_units = models.PositiveIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="The most units assisted, summed over its projects; none when none records a number.",
    )
    # Its projects' ids too: a large landlord holds thousands of the 200,000 projects, and
    # fetching them as rows for every page of owners cost half a second.
    project_ids = models.JSONField(default=list, editable=False, help_text="The NLIHC ids of its projects, in order.")

    class Meta:
        ordering = ["name_key"]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    """A subsidised rental property in the DC Preservation Catalog."""

    class Status(models.TextChoices):
        # The Catalog's own words, so that its files are stored as written.
        ACTIVE = "Active", _("Active")
        INACTIVE = "Inactive", _("Inactive")

    class Category(models.TextChoices):
        AT_RISK = "1 - At-Risk or Flagged for Follow-up", _("1 - At risk or flagged for follow-up")
        EXPIRING = "2 - Expiring Subsidy", _("2 - Expiring subsidy")
        FAILING_INSPECTION = "3 - Recent Failing REAC Score", _("3 - Recent failing REAC score")
        MORE_INFO = "4 - More Info Needed", _("4 - More information needed")
        OTHER = "5 - Other Subsidized Property", _("5 - Other subsidised property")
        LOST = "6 - Lost Rental", _("6 - Lost rental")

    nlihc_id = models.CharField("NLIHC id", max_length=16, unique=True, help_text="The Catalog's id, e.g. NL000001.")
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=200)
    zip_code = models.CharField("ZIP code", max_length=5)
    status = models.CharField(max_length=8, choices=Status.choices)
    subsidized = models.BooleanField("subsidised")
    units_total = models.PositiveIntegerField("units", null=True, blank=True)
    units_assisted_min = models.PositiveIntegerField("assisted units (fewest)", null=True, blank=True)
    units_assisted_max = models.PositiveIntegerField("assisted units (most)", null=True, blank=True)
    owner_name = models.CharField("owner (HUD)", max_length=200, blank=True)
    owner_type = models.CharField("owner type (HUD)", max_length=40, blank=True)
    owner = models.ForeignKey(
        Owner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        help_text="Derived from the owner name after each ingestion.",
    )
    manager_name = models.CharField("manager (HUD)", max_length=200, blank=True)
    manager_type = models.CharField("manager type (HUD)", max_length=40, blank=True)
    ward = models.CharField(max_length=6, choices=[(ward, ward) for ward in WARDS], help_text="2012 wards.")
    anc = models.CharField("ANC", max_length=8, help_text="Advisory Neighborhood Commission (2012), e.g. ANC 6E.")
    psa = models.CharField("PSA", max_length=8, help_text="Police Service Area (2012), e.g. PSA 308.")
    census_tract = models.CharField("census tract (2010)", max_length=16, help_text="As the Catalog names it.")
    cluster_code = models.CharField("neighbourhood cluster", max_length=20, help_text="2000 clusters, e.g. Cluster 7.")
    cluster_name = models.CharField("neighbourhood cluster name", max_length=200)
    latitude = models.FloatField(null=True, blank=True, validators=[MinValueValidator(-90.0), MaxValueValidator(90.0)])
    longitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-180.0), MaxValueValidator(180.0)]
    )
    building_count = models.PositiveSmallIntegerField("buildings")
    category_code = models.CharField("category", max_length=40, choices=Category.choices)
    expiring = models.BooleanField("expiring subsidy")
    failing_inspection = models.BooleanField("recent failing inspection")
    at_risk = models.BooleanField("at risk")
    more_info_needed = models.BooleanField("more information needed")
    lost = models.BooleanField("lost rental")
    replaced = models.BooleanField("replaced")
    source_updated_on = models.DateField("updated in the Catalog on")
    ingestion_run = ingestion_run_field()

    class Meta:
        ordering = ["nlihc_id"]
        verbose_name = "subsidised housing project"
        constraints = [
            models.CheckConstraint(condition=Q(latitude__gte=-90) & Q(latitude__lte=90), name="project_latitude_range"),
            models.CheckConstraint(
                condition=Q(longitude__gte=-180) & Q(longitude__lte=180), name="project_longitude_range"
            ),
            models.CheckConstraint(
                condition=Q(units_assisted_min__lte=F("units_assisted_max"))
                | Q(units_assisted_min__isnull=True)
                | Q(units_assisted_max__isnull=True),
                name="project_assisted_units_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.nlihc_id})"


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


class SubsidyQuerySet(models.QuerySet["Subsidy"]):
    def active(self) -> SubsidyQuerySet:
        return self.filter(active=True)

    def ending_within(self, *, years: int, as_of: date | None = None) -> SubsidyQuerySet:
        """Subsidies whose period of affordability ends from `as_of` (default: today) up to
        and including the same day `years` later. A subsidy without an end date is not
        ending; one that has already ended is not either."""
        start = as_of or timezone.localdate()
        return self.filter(poa_end__gte=start, poa_end__lte=_years_after(start, years))


class Subsidy(models.Model):
    """One subsidy of a project: programme, units and period of affordability (POA)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="subsidies")
    subsidy_id = models.PositiveSmallIntegerField("subsidy number", help_text="Numbered within the project.")
    units_assisted = models.PositiveIntegerField(null=True, blank=True)
    poa_start = models.DateField("affordable from", null=True, blank=True)
    poa_end = models.DateField("affordable until", null=True, blank=True)
    poa_start_orig = models.DateField(
        "originally affordable from", null=True, blank=True, help_text="Renewals keep the first start here."
    )
    poa_end_prev = models.DateField("previously affordable until", null=True, blank=True)
    poa_end_actual = models.DateField(
        "actually ended on",
        null=True,
        blank=True,
        help_text="Empty while the subsidy runs, and for ended subsidies whose date is unknown.",
    )
    compl_end = models.DateField("compliance ends on", null=True, blank=True)
    contract_number = models.CharField(max_length=20, blank=True)
    rent_to_fmr_description = models.CharField("rent to fair market rent", max_length=40, blank=True)
    active = models.BooleanField()
    program = models.CharField("programme", max_length=100)
    portfolio = models.CharField(max_length=60)
    agency = models.CharField(max_length=120, blank=True)
    info_source = models.CharField("information source", max_length=100)
    info_source_id = models.CharField("id in the information source", max_length=40, blank=True)
    info_source_date = models.DateField("information source date", null=True, blank=True)
    source_updated_on = models.DateField("updated in the Catalog on")
    ingestion_run = ingestion_run_field()

    objects = SubsidyQuerySet.as_manager()

    class Meta:
        ordering = ["project__nlihc_id", "subsidy_id"]
        verbose_name_plural = "subsidies"
        # The dashboard's programme filter and its list of programmes read active subsidies only.
        indexes = [
            models.Index(fields=["program", "project"], condition=Q(active=True), name="subsidy_active_program"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["project", "subsidy_id"], name="subsidy_one_number_per_project"),
            models.CheckConstraint(
                condition=Q(poa_end__gte=F("poa_start")) | Q(poa_end__isnull=True) | Q(poa_start__isnull=True),
                name="subsidy_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} (subsidy {self.subsidy_id})"


class InspectionScore(models.Model):
    """A HUD physical inspection (REAC) of a project, published as e.g. "68b*": the score
    (0-100), a letter for the worst health and safety deficiency, a star for smoke detectors."""

    class Letter(models.TextChoices):
        A = "a", _("a - no health and safety deficiencies")
        B = "b", _("b - non-life-threatening health and safety deficiencies")
        C = "c", _("c - at least one life-threatening health and safety deficiency")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="inspection_scores")
    inspected_on = models.DateField()
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    letter = models.CharField(max_length=1, choices=Letter.choices)
    smoke_detector_deficiency = models.BooleanField(
        "smoke detectors missing or inoperable (*)",
        help_text="REAC's star (24 CFR 902.3); it does not lower the score but is a fire safety hazard.",
    )
    raw_score = models.CharField("score as published", max_length=8)
    ingestion_run = ingestion_run_field()

    class Meta:
        ordering = ["project__nlihc_id", "-inspected_on"]
        verbose_name = "inspection score"
        constraints = [
            models.UniqueConstraint(fields=["project", "inspected_on"], name="inspection_one_per_project_and_day"),
            models.CheckConstraint(condition=Q(score__lte=100), name="inspection_score_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"REAC {self.raw_score} on {self.inspected_on:%Y-%m-%d}"


class Parcel(models.Model):
    """A tax parcel (square, suffix and lot: SSL) of a project, with its recorded owner.

    One parcel can hold several Catalog projects, so a parcel row belongs to a project and
    the SSL is unique only within it. The owner may be a person: see the admin's rule."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="parcels")
    ssl = models.CharField("SSL", max_length=20, help_text="Square, suffix and lot, spaced as the tax roll writes it.")
    owner_name = models.CharField(max_length=200, blank=True)
    owner_type_code = models.CharField("owner type", max_length=3, blank=True, help_text="OTR code, e.g. 040.")
    owner_since = models.DateField(null=True, blank=True)
    info_source_date = models.DateField("information source date")
    state_plane_x = models.FloatField("x (Maryland State Plane, metres)", null=True, blank=True)
    state_plane_y = models.FloatField("y (Maryland State Plane, metres)", null=True, blank=True)
    ingestion_run = ingestion_run_field()

    class Meta:
        ordering = ["project__nlihc_id", "ssl"]
        constraints = [models.UniqueConstraint(fields=["project", "ssl"], name="parcel_one_per_project_and_ssl")]

    def __str__(self) -> str:
        return f"Parcel {self.ssl}"


class RealPropertyEvent(models.Model):
    """A sale, foreclosure notice or other recorded event on a project's parcel.

    The source has no event id, and two foreclosure notices can share project, parcel, date
    and type; only the description tells them apart. The key therefore ends with a SHA-256
    of the description, which may name a buyer and is shown only to permitted staff."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="property_events")
    ssl = models.CharField("SSL", max_length=20)
    event_date = models.DateField()
    event_type = models.CharField(max_length=40)
    description = models.TextField()
    description_digest = models.CharField(max_length=64, help_text="SHA-256 of the description, in hexadecimal.")
    ingestion_run = ingestion_run_field()

    class Meta:
        ordering = ["project__nlihc_id", "-event_date"]
        verbose_name = "real property event"
        constraints = [
            models.UniqueConstraint(
                fields=["project", "ssl", "event_date", "event_type", "description_digest"],
                name="property_event_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_type} on {self.event_date:%Y-%m-%d}"


class MarketIndicator(models.Model):
    """One NeighborhoodInfo DC indicator for one geography and period.

    A suppressed ("s") or insufficient ("i") figure is kept as such, with no value."""

    class GeographyType(models.TextChoices):
        WARD = "ward", "Ward"
        CLUSTER = "cluster", "Neighbourhood cluster"
        TRACT = "tract", "Census tract (2010)"

    class Suppression(models.TextChoices):
        NONE = "", _("Published")
        SUPPRESSED = "s", _("Suppressed")
        INSUFFICIENT = "i", _("Insufficient data")

    geography_type = models.CharField(max_length=8, choices=GeographyType.choices)
    geography_code = models.CharField(max_length=40, help_text="As the source names it, e.g. Cluster 7, Tract 49.02.")
    indicator = models.CharField(max_length=60, help_text="The source's name, e.g. r_mprice_sf.")
    period = models.CharField(max_length=9, help_text="A year (2014) or a span (2010_14, 1980_1990).")
    year = models.PositiveSmallIntegerField(help_text="The period's last year.")
    value = models.DecimalField(max_digits=16, decimal_places=1, null=True, blank=True)
    suppression = models.CharField(max_length=1, choices=Suppression.choices, blank=True)
    ingestion_run = ingestion_run_field()

    class Meta:
        ordering = ["geography_type", "geography_code", "indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["geography_type", "geography_code", "indicator", "period"], name="market_indicator_unique"
            ),
            models.CheckConstraint(
                condition=Q(geography_type__in=["ward", "cluster", "tract"]), name="market_indicator_geography_known"
            ),
            models.CheckConstraint(
                condition=Q(suppression="", value__isnull=False) | Q(suppression__in=["s", "i"], value__isnull=True),
                name="market_indicator_value_or_suppression",
            ),
        ]

    def __str__(self) -> str:
        shown = self.get_suppression_display().lower() if self.suppression else f"{self.value}"
        return f"{self.indicator} {self.period}, {self.geography_code}: {shown}"


class RiskAssessmentQuerySet(models.QuerySet["RiskAssessment"]):
    def changed_since(self, moment: datetime) -> RiskAssessmentQuerySet:
        """Assessments whose level changed after `moment` (what the monthly meeting reviews)."""
        return self.filter(level_changed_at__gt=moment)


class RiskAssessment(models.Model):
    """A project's current preservation risk, as `housing.risk` last computed it from the
    rules of `housing.risk_rules`, with every flag's rule and evidence.

    A refresh rewrites an assessment only when what it says changes, so `assessed_at` and
    `as_of` tell since when it holds; when the city was last checked is `RiskRefresh`'s."""

    class Level(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="risk_assessment")
    level = models.CharField(max_length=6, choices=Level.choices, db_index=True)
    as_of = models.DateField(help_text="The day the rules counted from when they first gave this assessment.")
    assessed_at = models.DateTimeField(help_text="When a refresh first gave this assessment: it holds since then.")
    flags = models.JSONField(
        default=list,
        blank=True,
        help_text="Each flag: code, label, rule, severity and evidence (record, source, source_date).",
    )
    previous_level = models.CharField(max_length=6, choices=Level.choices, blank=True)
    level_changed_at = models.DateTimeField(null=True, blank=True)
    # Kept with the assessment so the expiry timeline is one indexed GROUP BY, not a pass
    # over every subsidy; both come from `housing.expiry.affordability_status`.
    affordability_ends_on = models.DateField(
        null=True, blank=True, help_text="The last known end among the project's active subsidies."
    )
    assisted_units_at_risk = models.PositiveIntegerField(
        null=True, blank=True, help_text="The project's assisted units, else its largest active subsidy's."
    )
    # A refresh compares this one number, not the flags' JSON, to find what changed.
    content_digest = models.BigIntegerField(
        null=True,
        editable=False,
        help_text="A 64-bit digest of the level, flags, end and units (`housing.risk.content_digests`).",
    )

    objects = RiskAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["project__nlihc_id"]
        # The expiry timeline reads only these three columns of the projects ending in its
        # window: an index-only scan, not a visit to every row's page (1.7 s at 200,000 projects).
        indexes = [
            models.Index(
                fields=["affordability_ends_on"],
                include=["project", "assisted_units_at_risk"],
                name="risk_ends_on_covering",
            )
        ]
        constraints = [
            models.CheckConstraint(condition=Q(level__in=["high", "medium", "low"]), name="risk_level_known"),
        ]

    def __str__(self) -> str:
        return f"{self.project.nlihc_id}: {self.level}"


class RiskRefreshQuerySet(models.QuerySet["RiskRefresh"]):
    def latest_finished(self) -> RiskRefresh | None:
        """The last refresh: when, and as of which day, every assessment was last checked."""
        return self.order_by("-finished_at").first()


class RiskRefresh(models.Model):
    """One run of `housing.risk.risk_assessment_refresh` over the whole city: as of which day
    and when it checked every project, what it changed and which ingested data it read.
    (A project removed from the data takes its assessment with it: nothing to count.)"""

    as_of = models.DateField(help_text="The day the rules counted from.")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    projects_assessed = models.PositiveIntegerField()
    assessments_created = models.PositiveIntegerField(help_text="Projects assessed for the first time.")
    assessments_changed = models.PositiveIntegerField(
        help_text="Assessments whose level, flags, affordability end or units at risk changed."
    )
    ingestion_runs = models.ManyToManyField(
        "cities.IngestionRun",
        related_name="+",
        blank=True,
        help_text="The latest successful ingestion of each dataset the rules read.",
    )

    objects = RiskRefreshQuerySet.as_manager()

    class Meta:
        ordering = ["-finished_at"]
        get_latest_by = "finished_at"
        verbose_name_plural = "risk refreshes"

    def __str__(self) -> str:
        return f"Risk refresh as of {self.as_of} ({timezone.localtime(self.finished_at):%Y-%m-%d %H:%M})"


class Meeting(models.Model):
    """A monthly review meeting of the preservation network; its agenda lists what changed
    since the meeting before it."""

    held_on = models.DateField(unique=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"Meeting of {self.held_on:%B %-d, %Y}"

    def previous(self) -> Meeting | None:
        return Meeting.objects.filter(held_on__lt=self.held_on).order_by("-held_on").first()


class WatchlistEntry(models.Model):
    """A project staff keep on the monthly agenda whatever its risk level."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="watchlist_entry")
    reason = models.CharField(max_length=300)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["project__nlihc_id"]
        verbose_name_plural = "watchlist"

    def __str__(self) -> str:
        return f"{self.project.nlihc_id} on the watchlist"


class ProjectNote(models.Model):
    """A staff note on a project. Notes are only ever added, so they are the history: a wrong
    one is marked "entered in error" (kept, shown struck through), never edited or deleted."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    text = models.TextField()
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-written_at"]

    def __str__(self) -> str:
        return f"Note on {self.project.nlihc_id} of {self.written_at:%Y-%m-%d}"
