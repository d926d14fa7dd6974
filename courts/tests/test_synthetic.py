"""The seeded generator of synthetic citations, on the real courts and fine schedule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from courts.dashboard import dashboard_cached
from courts.models import (
    Citation,
    CourtDate,
    DashboardSnapshot,
    FineScheduleEntry,
    MunicipalityCourt,
    Violation,
    Warrant,
)
from courts.services import courts_demo_data_load
from courts.synthetic import court_data_generate

AS_OF = date(2026, 11, 25)


@pytest.fixture
def stl_data(demo_data, settings) -> None:
    courts_demo_data_load(data_dir=settings.CIVIC_DATA_DIR)


def rows(model) -> list[tuple]:
    return sorted(
        model.objects.filter(synthetic=True).values_list(
            *[f.attname for f in model._meta.fields if f.attname != "id" and not f.attname.endswith("_id")]
        )
    )


def test_the_same_seed_writes_the_same_rows_and_again_changes_nothing(stl_data):
    court_data_generate(citations=200, seed=5, as_of=AS_OF)
    first = [rows(model) for model in (Citation, Violation, Warrant, CourtDate)]
    court_data_generate(citations=200, seed=5, as_of=AS_OF)

    assert [rows(model) for model in (Citation, Violation, Warrant, CourtDate)] == first
    assert Citation.objects.filter(synthetic=True).count() == 200


def test_synthetic_rows_say_so_and_use_the_real_courts_and_fines(stl_data):
    counts = court_data_generate(citations=300, seed=9, as_of=AS_OF)

    synthetic = Citation.objects.filter(synthetic=True)
    assert synthetic.count() == counts.citations == 300
    assert not synthetic.exclude(citation_number__startswith="SYN009").exists()
    assert set(synthetic.values_list("first_name", flat=True)) == {"Sample"}
    assert not synthetic.exclude(last_name__startswith="Synthetic").exists()
    links = set(MunicipalityCourt.objects.values_list("municipality_id", "court_id"))
    assert set(synthetic.values_list("municipality_id", "court_id")) <= links

    violations = Violation.objects.filter(synthetic=True)
    assert violations.count() == counts.violations and 300 <= counts.violations <= 900
    assert not violations.filter(citation__synthetic=False).exists()
    passing = violations.filter(description="Improper Passing", fine_amount__isnull=False).first()
    schedule = FineScheduleEntry.objects.get(violation="Improper Passing").fine
    assert passing is None or passing.fine_amount == schedule
    assert (
        Warrant.objects.filter(synthetic=True).count()
        == violations.filter(status=Violation.Status.WARRANT_ISSUED).count()
        == counts.warrants
    )
    assert not violations.filter(can_pay_online=True, fine_amount__isnull=True).exists()
    assert set(violations.filter(can_pay_online=True).values_list("court_cost", flat=True)) == {Decimal("24.50")}
    assert Citation.objects.filter(synthetic=False).count() == 989


def test_a_smaller_run_leaves_nothing_of_a_larger_one_behind(stl_data):
    court_data_generate(citations=120, seed=4, as_of=AS_OF)
    counts = court_data_generate(citations=80, seed=4, as_of=AS_OF)

    assert Citation.objects.filter(synthetic=True).count() == 80
    assert Violation.objects.filter(synthetic=True).count() == counts.violations
    assert Warrant.objects.filter(synthetic=True).count() == counts.warrants
    assert CourtDate.objects.filter(synthetic=True).count() == counts.court_dates


def test_different_seeds_make_different_citations(stl_data):
    court_data_generate(citations=50, seed=1, as_of=AS_OF)
    court_data_generate(citations=50, seed=2, as_of=AS_OF)

    assert Citation.objects.filter(synthetic=True).count() == 100


def test_the_command_refuses_without_the_real_data(db):
    with pytest.raises(CommandError, match=r"load the St\. Louis data first$"):
        call_command("generate_court_data", citations=10, seed=1)


def test_the_dashboard_counts_the_synthetic_rows_once_they_are_committed(stl_data, django_capture_on_commit_callbacks):
    before = dashboard_cached().citations

    with django_capture_on_commit_callbacks(execute=True):
        court_data_generate(citations=40, seed=3, as_of=AS_OF)

    assert DashboardSnapshot.objects.get().figures["citations"] == before + 40
    assert dashboard_cached().citations == before + 40
