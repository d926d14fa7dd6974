"""Reads of the summer jobs data that cross relations: a run's placements for staff and
their CSV export, two runs side by side, and the public programme figures (aggregates
only, small cells suppressed)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

import pandas as pd
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django_stubs_ext import WithAnnotations

from cities.csv_export import CSVExportWriter
from cities.models import SentMessage
from youthjobs import analytics
from youthjobs.eligibility import ages_on
from youthjobs.figures_version import figures_cached
from youthjobs.models import (
    SEAT_HOLDING_STATES,
    Applicant,
    ApplicantNote,
    Eligibility,
    EligibilityFact,
    MatchRun,
    Placement,
    PlacementEvent,
    PlacementState,
    Position,
    Season,
)
from youthjobs.offers import OFFER_PURPOSE, offer_link_url, offer_message_key_prefix

PLACEMENT_CSV_COLUMNS = (
    "applicant_id",
    "first_name",
    "last_name",
    "neighbourhood",
    "position_id",
    "position_title",
    "category",
    "site_id",
    "site_name",
    "state",
    "direct_hire",
    "commute_minutes",
    "by_transit",
    "travel_points",
    "interest_points",
    "score",
    "explanation",
    "offer_expires_at",
)


def run_placements(run: MatchRun) -> QuerySet[Placement]:
    """A run's placements with their applicant, position and site, in applicant order."""
    return run.placements.select_related("applicant", "position__site").order_by("applicant__applicant_id")


class SeatsLeft(TypedDict):
    """What `positions_with_seats_left` adds to each position."""

    seats_left: int


if TYPE_CHECKING:
    PositionWithSeats = WithAnnotations[Position, SeatsLeft]
else:  # run time knows no annotated model type; a form field's base class names one
    PositionWithSeats = Position


def positions_with_seats_left(*, run: MatchRun) -> QuerySet[PositionWithSeats]:
    """The season's positions with a seat not held by any placement nor proposed by this run,
    each annotated with `seats_left` (the same count as `placements.position_seats_left`)."""
    taken = Count(
        "placements",
        filter=Q(placements__state__in=SEAT_HOLDING_STATES)
        | Q(placements__run=run, placements__state=PlacementState.PROPOSED),
    )
    return (
        Position.objects.filter(season_id=run.season_id)
        .annotate(seats_left=F("seats") - taken)
        .filter(seats_left__gt=0)
        .select_related("site")
        .order_by("site__name", "title", "position_id")
    )


def run_placements_csv(run: MatchRun) -> str:
    """The run's placements as CSV for staff (personal data: names), one row per placement."""
    buffer = io.StringIO()
    writer = CSVExportWriter(buffer)
    writer.writerow(PLACEMENT_CSV_COLUMNS)
    for placement in run_placements(run):
        applicant, position = placement.applicant, placement.position
        writer.writerow(
            [
                applicant.applicant_id,
                applicant.first_name,
                applicant.last_name,
                applicant.neighbourhood,
                position.position_id,
                position.title,
                position.category,
                position.site.site_id,
                position.site.name,
                placement.state,
                "yes" if placement.is_direct_hire else "no",
                "" if placement.commute_minutes is None else placement.commute_minutes,
                "yes" if placement.by_transit else "no",
                placement.travel_points,
                placement.interest_points,
                placement.score,
                placement.explanation,
                placement.offer_expires_at.isoformat() if placement.offer_expires_at else "",
            ]
        )
    return buffer.getvalue()


# A run's parameters as staff read them, in this order; keys as `RunParameters.as_json` nests them.
RUN_PARAMETER_LABELS = (
    (("commute", "max_minutes"), "Maximum commute (minutes)"),
    (("weights", "travel_weight"), "Travel weight"),
    (("weights", "interest_weight"), "Interest weight"),
    (("candidates_per_youth",), "Positions considered per youth (0: all)"),
    (("commute", "walking_speed_kmh"), "Walking speed (km/h)"),
    (("commute", "transit_speed_kmh"), "Transit speed (km/h)"),
    (("commute", "transit_wait_minutes"), "Transit wait (minutes)"),
    (("commute", "walk_detour_factor"), "Walking detour factor"),
    (("commute", "transit_detour_factor"), "Transit detour factor"),
    (("commute", "max_walk_to_stop_m"), "Longest walk to a stop (m)"),
    (("weights", "first_choice_points"), "Points for a first-choice category"),
    (("weights", "second_choice_points"), "Points for a second-choice category"),
    (("weights", "third_choice_points"), "Points for a third-choice category"),
    (("weights", "other_interest_points"), "Points for another listed interest"),
    (("weights", "not_listed_points"), "Points for a category not listed"),
)
RUN_TIMING_LABELS = (
    ("build_s", "Building the problem (seconds)"),
    ("solve_s", "Solving (seconds)"),
    ("greedy_s", "Solving the greedy baseline (seconds)"),
    ("write_s", "Saving the placements (seconds)"),
)


def _nested(values: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        values = values.get(key, {}) if isinstance(values, dict) else {}
    return None if values == {} else values


def run_parameters_shown(run: MatchRun) -> list[tuple[str, Any]]:
    """The run's parameters as (label, value) rows, in the order staff set them."""
    return [(label, _nested(run.parameters, keys)) for keys, label in RUN_PARAMETER_LABELS]


def run_timings_shown(run: MatchRun) -> list[tuple[str, Any]]:
    """The seconds each step of the run took, as (label, value) rows (steps not run left out)."""
    return [(label, run.timings[key]) for key, label in RUN_TIMING_LABELS if key in run.timings]


def superseding_run_pk() -> Subquery:
    """For each run of a queryset: the pk of the approved run of its season and round when
    that is another run (this one is then superseded and can no longer be approved), else null."""
    round_approved = MatchRun.objects.filter(
        season=OuterRef("season"), round=OuterRef("round"), approved_at__isnull=False
    ).exclude(pk=OuterRef("pk"))
    return Subquery(round_approved.values("pk")[:1])


def match_runs_published() -> QuerySet[MatchRun]:
    """Runs as the API lists them: with their season and `superseded_by_id`, one query for a
    page of runs (their figures are stored on each run when it finishes)."""
    return MatchRun.objects.select_related("season").annotate(superseded_by_id=superseding_run_pk())


def match_run_figures_published(run: MatchRun) -> dict[str, Any] | None:
    """A finished run's figures as a partner may read them: the overall figures, and each
    neighbourhood's, age band's and gender's with small cells suppressed. None for a run
    with no figures (queued, running, failed, or one that had nobody or no seat to match).
    Figures a run stored before they were recorded (the season's eligible youth, the median
    commute, the greedy baseline) are None."""
    overall = run.summary.get("overall")
    if not overall:
        return None
    greedy_placed, greedy_total = overall.get("greedy_placed"), overall.get("greedy_total_score")
    return {
        "youth_considered": overall["youth"],
        "eligible": overall.get("eligible"),
        "direct_hires": overall["direct_hires"],
        "direct_hires_not_placed": overall["direct_hires_not_placed"],
        "seats": overall["seats"],
        "seats_filled": overall["seats_filled"],
        "placed": overall["placed"],
        "unplaced": overall["youth"] - overall["placed"],
        "placement_rate": overall["placement_rate"],
        "mean_commute_minutes": overall["mean_commute_minutes"],
        "median_commute_minutes": overall.get("median_commute_minutes"),
        "p90_commute_minutes": overall["p90_commute_minutes"],
        "total_score": overall["total_score"],
        "mean_score": overall["mean_score"],
        "candidate_pairs": overall["candidate_pairs"],
        "blocking_pairs": overall["blocking_pairs"],
        "greedy_placed": greedy_placed,
        "greedy_total_score": greedy_total,
        "placed_over_greedy": None if greedy_placed is None else overall["placed"] - greedy_placed,
        "total_score_over_greedy": None if greedy_total is None else round(overall["total_score"] - greedy_total, 3),
        **{name: analytics.suppress_small_cells(run.summary.get(name, [])) for _, name in analytics.BREAKDOWNS},
    }


def round_approved_run(run: MatchRun) -> MatchRun | None:
    """The approved run of this run's season and round, when it is another run: this one is
    then superseded and can no longer be approved."""
    return (
        MatchRun.objects.filter(season_id=run.season_id, round=run.round, approved_at__isnull=False)
        .exclude(pk=run.pk)
        .first()
    )


@dataclass(frozen=True)
class RunComparison:
    first: MatchRun
    second: MatchRun
    parameters_differing: list[tuple[str, Any, Any]]
    figures: list[tuple[str, Any, Any]]
    same_placement: int
    different_placement: int
    placed_only_in_first: int
    placed_only_in_second: int
    breakdowns: list[tuple[str, list[tuple[str, Any, Any]]]]


COMPARED_FIGURES = (
    ("youth", "Youth to place"),
    ("placed", "Youth placed"),
    ("placement_rate", "Placement rate"),
    ("direct_hires", "Direct hires"),
    ("seats", "Seats"),
    ("seats_filled", "Seats filled"),
    ("total_score", "Total score"),
    ("mean_score", "Mean score"),
    ("mean_commute_minutes", "Mean commute (min)"),
    ("median_commute_minutes", "Median commute (min)"),
    ("p90_commute_minutes", "90th-percentile commute (min)"),
    ("blocking_pairs", "Blocking pairs"),
)
COMPARED_BREAKDOWNS = (
    ("by_neighbourhood", "Neighbourhood"),
    ("by_age_band", "Age band"),
    ("by_gender", "Gender"),
)


def _figure_shown(key: str, value: Any) -> Any:
    return analytics.rate_percent(value) if key == "placement_rate" else value


def match_runs_compare(*, first: MatchRun, second: MatchRun) -> RunComparison:
    """Two runs side by side: the parameters they differ in, their figures (rates as
    percentages), each neighbourhood's, age band's and gender's placement rate, and how
    many youth each places where."""
    placed_first = dict(first.placements.values_list("applicant", "position"))
    placed_second = dict(second.placements.values_list("applicant", "position"))
    both = placed_first.keys() & placed_second.keys()
    same = sum(placed_first[applicant] == placed_second[applicant] for applicant in both)
    overall_first, overall_second = first.summary.get("overall", {}), second.summary.get("overall", {})
    breakdowns = []
    for key, title in COMPARED_BREAKDOWNS:
        rates_first = {row["group"]: row["placement_rate"] for row in first.summary.get(key, [])}
        rates_second = {row["group"]: row["placement_rate"] for row in second.summary.get(key, [])}
        groups = sorted(rates_first | rates_second)
        rows = [
            (group, analytics.rate_percent(rates_first.get(group)), analytics.rate_percent(rates_second.get(group)))
            for group in groups
        ]
        breakdowns.append((title, rows))
    differing = [
        (label, first_value, second_value)
        for (label, first_value), (_, second_value) in zip(
            run_parameters_shown(first), run_parameters_shown(second), strict=True
        )
        if first_value != second_value
    ]
    if first.mechanism != second.mechanism:
        differing.insert(0, ("Mechanism", first.get_mechanism_display(), second.get_mechanism_display()))
    return RunComparison(
        first=first,
        second=second,
        parameters_differing=differing,
        figures=[
            (label, _figure_shown(key, overall_first.get(key)), _figure_shown(key, overall_second.get(key)))
            for key, label in COMPARED_FIGURES
        ],
        same_placement=same,
        different_placement=len(both) - same,
        placed_only_in_first=len(placed_first.keys() - placed_second.keys()),
        placed_only_in_second=len(placed_second.keys() - placed_first.keys()),
        breakdowns=breakdowns,
    )


# ---------------------------------------------------------------- a youth's case


@dataclass(frozen=True)
class CasePlacement:
    placement: Placement
    offer_link: str
    messages: list[SentMessage]


@dataclass(frozen=True)
class ApplicantCase:
    """Everything staff need on one youth's case page, read in a fixed number of queries."""

    eligibility: Eligibility | None
    facts: list[EligibilityFact]
    placements: list[CasePlacement]
    notes: list[ApplicantNote]


def applicant_case(applicant: Applicant) -> ApplicantCase:
    """A youth's case: eligibility with its reasons and the facts staff recorded, every
    placement (state as of now: a lapsed offer reads expired) with its history, its private
    offer link while the offer is open and the messages sent about it (no addresses: the
    records hold none), and the staff notes, oldest first."""
    placements = list(
        applicant.placements.select_related("position__site", "run")
        .prefetch_related(Prefetch("events", queryset=PlacementEvent.objects.select_related("changed_by")))
        .order_by("-run__created_at")
    )
    messages_query = Q(pk__in=[])
    for placement in placements:
        messages_query |= Q(idempotency_key__startswith=offer_message_key_prefix(placement))
    sent = list(SentMessage.objects.filter(messages_query, purpose=OFFER_PURPOSE).order_by("created_at", "pk"))
    return ApplicantCase(
        eligibility=Eligibility.objects.filter(applicant=applicant).first(),
        facts=list(applicant.eligibility_facts.select_related("recorded_by")),
        placements=[
            CasePlacement(
                placement=placement,
                offer_link=offer_link_url(placement)
                if placement.state == PlacementState.OFFERED and not placement.is_lapsed
                else "",
                messages=[
                    message
                    for message in sent
                    if message.idempotency_key.startswith(offer_message_key_prefix(placement))
                ],
            )
            for placement in placements
        ],
        notes=list(applicant.notes.select_related("written_by")),
    )


@dataclass(frozen=True)
class SeasonApplication:
    """One season a youth applied in, and the seats they held from its approved runs."""

    applicant: Applicant
    placements: list[Placement]


def applicant_seasons_history(applicant: Applicant) -> list[SeasonApplication]:
    """Every season the same young person (person id) applied in, newest first, each with
    the placements of its approved runs (position, site, how it ended)."""
    applications = list(
        Applicant.objects.filter(person_id=applicant.person_id)
        .select_related("season", "eligibility")
        .prefetch_related(
            Prefetch(
                "placements",
                queryset=Placement.objects.filter(run__approved_at__isnull=False)
                .select_related("position__site")
                .order_by("run__round"),
            )
        )
        .order_by("-season__year")
    )
    return [SeasonApplication(applicant=other, placements=list(other.placements.all())) for other in applications]


# ---------------------------------------------------------------- public figures


def current_season() -> Season | None:
    return Season.objects.order_by("-year").first()


def season_has_approved_run(season: Season) -> bool:
    """Whether staff approved a match run of the season: before that nobody is placed, and
    the dashboard's placement figures would only be empty."""
    return MatchRun.objects.filter(season=season, approved_at__isnull=False).exists()


def open_positions(season: Season) -> QuerySet[Position]:
    """The season's positions with a seat no approved offer holds yet, each annotated with
    `seats_open`, by the site's neighbourhood, category and title. Only what a young person
    needs to choose (the site, the job, the hours); the site's contacts are not read."""
    return (
        Position.objects.filter(season=season)
        .select_related("site")
        .only(
            "title",
            "category",
            "seats",
            "hours_per_week",
            "starts_on",
            "ends_on",
            "minimum_age",
            "site__name",
            "site__neighbourhood",
        )
        .annotate(seats_open=F("seats") - Count("placements", filter=Q(placements__state__in=SEAT_HOLDING_STATES)))
        .filter(seats_open__gt=0)
        .order_by("site__neighbourhood", "category", "title", "pk")
    )


def programme_figures(season: Season) -> dict[str, Any]:
    """The season's public figures, aggregates only with small cells suppressed:
    applicants and placements by neighbourhood, by age band and by category, the placement
    rate, the commute distribution of placed youth and the completion rate. Placements are
    the seats held (offered and later states) of approved runs. Read once per version of the
    summer jobs data (`youthjobs.figures_version`)."""
    return figures_cached(f"programme-figures:{season.pk}", lambda: _programme_figures_read(season))


def _programme_figures_read(season: Season) -> dict[str, Any]:
    applicants = pd.DataFrame.from_records(
        Applicant.objects.filter(season=season).values("pk", "neighbourhood", "date_of_birth", "eligibility__eligible"),
        columns=["pk", "neighbourhood", "date_of_birth", "eligibility__eligible"],
    )
    held = pd.DataFrame.from_records(
        Placement.objects.filter(applicant__season=season)
        .holding_seats()
        .values("applicant", "state", "commute_minutes", "position__category"),
        columns=["applicant", "state", "commute_minutes", "position__category"],
    )
    if applicants.empty:
        return {"season": season, "applicants": 0}
    applicants["age"] = ages_on(born=applicants["date_of_birth"], day=season.starts_on)
    applicants["age_band"] = analytics.age_bands(applicants["age"])
    applicants["neighbourhood"] = applicants["neighbourhood"].replace("", analytics.OUTSIDE_BOSTON)
    applicants["placed"] = applicants["pk"].isin(held["applicant"])

    def by(column: str) -> list[dict[str, Any]]:
        grouped = applicants.groupby(column, sort=True).agg(youth=("pk", "size"), placed=("placed", "sum"))
        rows = [
            {
                "group": str(group),
                "youth": int(row.youth),
                "placed": int(row.placed),
                "placement_rate": round(row.placed / row.youth, 3),
            }
            for group, row in grouped.iterrows()
        ]
        return analytics.suppress_small_cells(rows)

    categories = held.groupby("position__category").size().sort_index()
    finished = held[held["state"].isin([PlacementState.COMPLETED, PlacementState.ENDED_EARLY])]
    completed = int((finished["state"] == PlacementState.COMPLETED).sum())
    category_rows = [{"group": str(category), "placed": int(count)} for category, count in categories.items()]
    commute_rows = analytics.commute_distribution(held["commute_minutes"].dropna())
    return {
        "season": season,
        "applicants": len(applicants),
        "eligible": int(applicants["eligibility__eligible"].fillna(False).sum()),
        "placed": int(applicants["placed"].sum()),
        "placement_rate": round(float(applicants["placed"].mean()), 3),
        "seats": Position.objects.filter(season=season).aggregate(total=Sum("seats"))["total"] or 0,
        "by_neighbourhood": by("neighbourhood"),
        "by_age_band": by("age_band"),
        "by_category": analytics.suppress_small_cells(category_rows, count_fields=("placed",)),
        "commute": analytics.suppress_small_cells(commute_rows, count_fields=("placed",)),
        "finished": len(finished),
        "completion_rate": round(completed / len(finished), 3) if len(finished) >= analytics.SMALL_CELL else None,
    }
