"""Clearly synthetic St. Louis citations for the demo and the benchmark.

The published sample has about 1,000 citations; a real county has hundreds of thousands.
`court_data_generate` makes as many as asked, on the real courts and the municipalities they
serve, with the real violation descriptions and the published fine schedule, in proportions
close to the sample's (statuses, warrants, online payment). Nobody in them exists and every
row says so: `synthetic` is true, citation numbers start with "SYN", warrant numbers with
"SW", first names are "Sample" and last names "Synthetic" followed by a number.

Seeded: the same seed, count and `as_of` day make the same rows. Citations are upserted by
number (their ids stay, for the reminders that name them); their court dates, violations and
warrants are replaced, so a run with another count leaves nothing of an earlier one behind.
Vectorised with numpy and written with COPY (`cities.ingestion.copy_upsert`; PostgreSQL
only): 500,000 citations take well under a minute.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
from django.db import connection, models, transaction
from django.utils import timezone

from cities.enqueue import enqueue_on_commit
from cities.ingestion import arrow_csv, copy_upsert
from courts.models import Citation, CourtDate, FineScheduleEntry, MunicipalityCourt, Violation, Warrant

CITATION_PREFIX = "SYN"
WARRANT_PREFIX = "SW"
LAST_NAMES = 20_000
COURT_COST = Decimal("24.50")
# The sample's mix of statuses (985 violations): closed 49%, warrant 24%, waiting for payment
# 24%, dismissed 3%.
STATUS_SHARES = (
    (Violation.Status.CLOSED, 0.49),
    (Violation.Status.WARRANT_ISSUED, 0.24),
    (Violation.Status.CONTINUED_FOR_PAYMENT, 0.24),
    (Violation.Status.DISMISSED, 0.03),
)
LICENCE_STATES = (("MO", 0.9), ("IL", 0.1))

# Named, not imported: tasks call services, never the reverse (`cities.enqueue`).
DASHBOARD_REFRESH_TASK = "courts.tasks.dashboard_refresh_task"


class SyntheticDataError(RuntimeError):
    pass


@dataclass(frozen=True)
class SyntheticCounts:
    citations: int
    violations: int
    warrants: int
    court_dates: int


def _prefix(seed: int) -> str:
    return f"{CITATION_PREFIX}{seed % 1000:03d}"


def _write(model: type[models.Model], frame: pd.DataFrame, key: list[str], stage: str) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for position, column in enumerate(table.schema):
        if pa.types.is_timestamp(column.type):
            table = table.set_column(position, column.name, table.column(position).cast(pa.date32()))
    copy_upsert(model=model, fields=list(frame.columns), key=key, rows_csv=arrow_csv(table), stage_name=stage)


def _ids(model: type[models.Model], field: str, prefix: str) -> dict[str, int]:
    rows = model._default_manager.filter(**{f"{field}__startswith": prefix, "synthetic": True}).values_list(field, "pk")
    return dict(rows.iterator(chunk_size=50_000))


def _dependents_delete(prefix: str) -> None:
    """Delete the court dates, violations and warrants of this seed's synthetic citations."""
    pattern = prefix + "%"
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM courts_warrant w USING courts_violation v WHERE w.violation_id = v.id AND v.source_id LIKE %s",
            [pattern],
        )
        cursor.execute("DELETE FROM courts_violation WHERE source_id LIKE %s", [pattern])
        cursor.execute(
            "DELETE FROM courts_courtdate d USING courts_citation c "
            "WHERE d.citation_id = c.id AND c.citation_number LIKE %s",
            [pattern],
        )


def _violation_catalogue() -> tuple[list[str], np.ndarray]:
    """The descriptions violations get and their fine (NaN where no fine is published): the
    published fine schedule and every description of the ingested violations."""
    fines = {entry.violation: entry.fine for entry in FineScheduleEntry.objects.all()}
    described = Violation.objects.filter(synthetic=False).values_list("description", flat=True).distinct()
    names = sorted(set(fines) | set(described))
    if not names:
        raise SyntheticDataError("no fine schedule or violations are loaded; load the St. Louis data first")
    amounts = np.array([np.nan if (fine := fines.get(name)) is None else float(fine) for name in names])
    return names, amounts


@transaction.atomic
def court_data_generate(*, citations: int, seed: int, as_of: date | None = None) -> SyntheticCounts:
    """Write `citations` synthetic citations (seeded by `seed`), with one to three violations
    each, a warrant for each violation whose status is a warrant, and a court date for 92% of
    citations, from a year before `as_of` (today) to four months after it.

    Needs the real courts, municipalities and fine schedule (the demo data) first; raises
    SyntheticDataError otherwise. One transaction: all rows or none; once it is committed,
    the dashboard's figures are recomputed (by a worker)."""
    if connection.vendor != "postgresql":
        raise SyntheticDataError("synthetic data is written with PostgreSQL's COPY; set DATABASE_URL")
    if citations < 1:
        raise SyntheticDataError("ask for at least one citation")
    links = list(MunicipalityCourt.objects.values_list("municipality_id", "court_id"))
    if not links:
        raise SyntheticDataError("no courts and municipalities are loaded; load the St. Louis data first")
    as_of = as_of or timezone.localdate()
    rng = np.random.default_rng(seed)
    prefix = _prefix(seed)
    count = citations
    numbers = np.char.add(prefix, np.char.zfill(np.arange(1, count + 1).astype(str), 9))

    served = np.array(links)[rng.integers(0, len(links), count)]
    born = np.datetime64("1945-01-01") + rng.integers(0, 60 * 365, count).astype("timedelta64[D]")
    cited = np.datetime64(as_of) - rng.integers(0, 365, count).astype("timedelta64[D]")
    licence = np.char.add("S", np.char.zfill(rng.integers(0, 10**9, count).astype(str), 9))
    surname = np.char.add("Synthetic", rng.integers(0, LAST_NAMES, count).astype(str))
    citation_frame = pd.DataFrame(
        {
            "citation_number": numbers,
            "citation_date": cited,
            "first_name": "Sample",
            "last_name": surname,
            "last_name_key": np.char.upper(surname),
            "date_of_birth": born,
            "address": "",
            "city": "",
            "state": "MO",
            "licence_number": licence,
            "licence_number_key": licence,
            "licence_state": rng.choice(
                [state for state, _ in LICENCE_STATES], count, p=[share for _, share in LICENCE_STATES]
            ),
            "court_id": served[:, 1],
            "municipality_id": served[:, 0],
            "synthetic": True,
        }
    )
    _write(Citation, citation_frame, ["citation_number"], "synthetic_citations")
    # Citations keep their ids (reminders name them); what hangs off them is written afresh,
    # so that a run with another count leaves no row of an earlier run behind.
    Citation.objects.filter(
        synthetic=True, citation_number__startswith=prefix, citation_number__gt=numbers[-1]
    ).delete()
    _dependents_delete(prefix)
    citation_ids = _ids(Citation, "citation_number", prefix)
    citation_pk = np.array([citation_ids[number] for number in numbers.tolist()])

    with_date = rng.random(count) < 0.92
    court_days = cited + rng.integers(30, 120, count).astype("timedelta64[D]")
    court_date_frame = pd.DataFrame(
        {
            "citation_id": citation_pk[with_date],
            "day": court_days[with_date],
            "minute_of_day": rng.integers(9 * 4, 18 * 4, int(with_date.sum())) * 15,
            "synthetic": True,
        }
    )
    _write(CourtDate, court_date_frame, ["citation_id", "day"], "synthetic_court_dates")

    names, fines = _violation_catalogue()
    per_citation = rng.choice([1, 2, 3], count, p=[0.6, 0.3, 0.1])
    owner = np.repeat(np.arange(count), per_citation)
    place = _positions(per_citation)
    total = len(owner)
    kind = rng.integers(0, len(names), total)
    statuses = np.array([status.value for status, _ in STATUS_SHARES], dtype=object)
    status = rng.choice(statuses, total, p=[share for _, share in STATUS_SHARES])
    payable = (status == Violation.Status.CONTINUED_FOR_PAYMENT) | (
        (status == Violation.Status.CLOSED) & (rng.random(total) < 0.5)
    )
    scheduled = fines[kind]
    fine = np.where(np.isnan(scheduled), rng.uniform(20, 250, total), scheduled).round(2)
    violation_ids = np.char.add(prefix, np.char.zfill(np.arange(1, total + 1).astype(str), 10))
    violation_frame = pd.DataFrame(
        {
            "source_id": violation_ids,
            "citation_id": citation_pk[owner],
            "violation_number": np.char.add(np.char.add(numbers[owner], "-"), np.char.zfill(place.astype(str), 2)),
            "description": np.array(names, dtype=object)[kind],
            "status": status,
            "status_date": cited[owner] + rng.integers(1, 60, total).astype("timedelta64[D]"),
            "fine_amount": pd.array(np.where(payable, fine, np.nan)).astype("Float64"),
            "court_cost": pd.array(np.where(payable, float(COURT_COST), np.nan)).astype("Float64"),
            "can_pay_online": payable,
            "synthetic": True,
        }
    )
    _write(Violation, violation_frame, ["source_id"], "synthetic_violations")

    warranted = status == Violation.Status.WARRANT_ISSUED
    warrant_count = int(warranted.sum())
    if warrant_count:
        violation_pks = _ids(Violation, "source_id", prefix)
        warrant_frame = pd.DataFrame(
            {
                "warrant_number": np.char.add(
                    f"{WARRANT_PREFIX}{seed % 1000:03d}", np.char.zfill(np.arange(1, warrant_count + 1).astype(str), 9)
                ),
                "violation_id": [violation_pks[source] for source in violation_ids[warranted].tolist()],
                "status": Warrant.Status.OUTSTANDING.value,
                "synthetic": True,
            }
        )
        _write(Warrant, warrant_frame, ["warrant_number"], "synthetic_warrants")
    # The dashboard's figures count these rows too, as they count an ingestion's.
    enqueue_on_commit(DASHBOARD_REFRESH_TASK)
    return SyntheticCounts(citations=count, violations=total, warrants=warrant_count, court_dates=int(with_date.sum()))


def _positions(per_citation: np.ndarray) -> np.ndarray:
    """1, 2, ... within each citation: [2, 1, 3] -> [1, 2, 1, 1, 2, 3]."""
    starts = np.repeat(np.cumsum(per_citation) - per_citation, per_citation)
    positions: np.ndarray = np.arange(int(per_citation.sum())) - starts + 1
    return positions


@dataclass(frozen=True)
class DemoTicket:
    """A synthetic ticket of the demo, for trying the lookup and the reminders by hand."""

    citation_number: str
    date_of_birth: date
    court_in_days: int
    charges: tuple[tuple[str, bool], ...]  # (status, can pay online)


# Court dates are counted from the day the demo is loaded (moved back to a weekday), so that a
# reminder falls due: the first ticket's court date is within the week-before window at once.
DEMO_TICKETS = (
    DemoTicket("SYNDEMO0001", date(1990, 5, 1), 6, ((Violation.Status.CONTINUED_FOR_PAYMENT, True),)),
    DemoTicket("SYNDEMO0002", date(1988, 3, 12), 20, ((Violation.Status.CONTINUED_FOR_PAYMENT, False),)),
    DemoTicket("SYNDEMO0003", date(1975, 11, 23), 10, ()),
)
DEMO_COURT_MINUTE = 9 * 60 + 30


def _weekday_on_or_before(day: date) -> date:
    # Courts sit on weekdays; earlier rather than later keeps the first ticket within a week.
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


@transaction.atomic
def demo_tickets_write(*, today: date) -> list[Citation]:
    """Write DEMO_TICKETS (numbers SYNDEMO..., person "Sample Synthetic", `synthetic` true)
    on the first real court and a municipality it serves, with court dates counted from
    `today` and charges from the published fine schedule. Any database (plain ORM writes, not
    the generator's COPY). Idempotent for a given day: citations are upserted by number and
    their court dates and charges replaced. Raises SyntheticDataError without the real data."""
    link = MunicipalityCourt.objects.select_related("court", "municipality").order_by("court__name").first()
    fine = FineScheduleEntry.objects.filter(fine__isnull=False).order_by("violation").first()
    if link is None or fine is None:
        raise SyntheticDataError("no courts or fine schedule are loaded; load the St. Louis data first")
    citations = []
    for ticket in DEMO_TICKETS:
        citation, _ = Citation.objects.update_or_create(
            citation_number=ticket.citation_number,
            defaults={
                "citation_date": today - timedelta(days=30),
                "first_name": "Sample",
                "last_name": "Synthetic",
                "last_name_key": "SYNTHETIC",
                "date_of_birth": ticket.date_of_birth,
                "state": "MO",
                "court": link.court,
                "municipality": link.municipality,
                "synthetic": True,
            },
        )
        citation.court_dates.all().delete()
        citation.violations.all().delete()
        CourtDate.objects.create(
            citation=citation,
            day=_weekday_on_or_before(today + timedelta(days=ticket.court_in_days)),
            minute_of_day=DEMO_COURT_MINUTE,
            synthetic=True,
        )
        for place, (status, can_pay_online) in enumerate(ticket.charges, start=1):
            Violation.objects.create(
                source_id=f"{ticket.citation_number}-{place:02d}",
                citation=citation,
                violation_number=f"{ticket.citation_number}-{place:02d}",
                description=fine.violation,
                status=status,
                status_date=today - timedelta(days=20),
                fine_amount=fine.fine,
                court_cost=COURT_COST,
                can_pay_online=can_pay_online,
                synthetic=True,
            )
        citations.append(citation)
    return citations
