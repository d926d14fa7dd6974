"""The public St. Louis dashboard: real figures, small cells suppressed, nobody's details."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from courts import dashboard as dashboard_module
from courts.dashboard import dashboard, dashboard_cached, dashboard_refresh
from courts.models import DashboardSnapshot
from courts.services import courts_demo_data_load
from courts.tests.factories import CitationFactory, MunicipalityCourtFactory, ViolationFactory, WarrantFactory

pytestmark = pytest.mark.django_db
HOME = reverse("courts:home")


@pytest.fixture
def busy_and_quiet_courts():
    busy = MunicipalityCourtFactory(court__name="Busy Court", municipality__name="Busytown")
    quiet = MunicipalityCourtFactory(court__name="Quiet Court", municipality__name="Quietville")
    for _ in range(12):
        citation = CitationFactory(court=busy.court, municipality=busy.municipality, first_name="Quinta")
        ViolationFactory(citation=citation)
    WarrantFactory(violation__citation=citation)
    for _ in range(3):
        ViolationFactory(citation=CitationFactory(court=quiet.court, municipality=quiet.municipality))
    return busy.court, quiet.court


def test_figures_per_court_with_small_courts_suppressed(busy_and_quiet_courts):
    busy, quiet = busy_and_quiet_courts

    figures = dashboard()

    rows = {row.court: row for row in figures.courts}
    assert rows[busy].citations.value == 12 and rows[busy].violations.value == 13
    assert rows[busy].fines.value == Decimal("139.04") * 12
    assert rows[busy].warrants.value == 1
    assert rows[quiet].citations.suppressed and rows[quiet].fines.suppressed and rows[quiet].warrant_share is None
    assert (figures.citations, figures.violations, figures.warrants) == (15, 16, 1)


def test_the_dashboard_page_shows_tables_beside_its_charts_and_map(client, busy_and_quiet_courts):
    page = client.get(HOME).content.decode()

    assert 'data-chart-for="court-table"' in page and 'id="court-table"' in page
    assert 'id="municipality-map"' in page and '"BUSYTOWN": 12' in page and '"QUIETVILLE": null' in page
    assert "fewer than 10" in page
    assert "Busy Court" in page and reverse("courts:find-ticket") in page
    assert "Quinta" not in page


def test_the_survey_measures_count_yes_no_and_unknown(db):
    figures = dashboard()

    assert figures.surveyed == 0 and all(measure.yes == measure.no == 0 for measure in figures.survey)


def test_an_ingestion_that_changes_citations_refreshes_the_cached_figures(
    client, demo_data, settings, django_capture_on_commit_callbacks
):
    assert dashboard_cached().citations == 0

    with django_capture_on_commit_callbacks(execute=True):
        courts_demo_data_load(data_dir=settings.CIVIC_DATA_DIR)

    assert dashboard_cached().citations == 989


def test_a_visit_after_the_cache_is_cleared_reads_the_snapshot_and_computes_nothing(
    busy_and_quiet_courts, monkeypatch, django_assert_max_num_queries
):
    computed = dashboard_refresh()
    cache.clear()

    def computing_again():
        raise AssertionError("a visit computed the figures")

    monkeypatch.setattr(dashboard_module, "dashboard", computing_again)
    with django_assert_max_num_queries(3):  # the snapshot, its courts, its municipalities
        served = dashboard_cached()

    assert served == computed
    assert DashboardSnapshot.objects.count() == 1
    assert dashboard_cached() == computed  # back in the cache


def test_each_refresh_replaces_the_snapshot_with_the_current_figures(busy_and_quiet_courts):
    dashboard_refresh()
    busy, _ = busy_and_quiet_courts
    CitationFactory(court=busy)

    refreshed = dashboard_refresh()
    cache.clear()

    assert DashboardSnapshot.objects.count() == 1
    assert dashboard_cached().citations == refreshed.citations == 16


def test_without_a_reachable_cache_the_page_is_served_from_the_snapshot(
    client, busy_and_quiet_courts, redis_cache_down
):
    dashboard_refresh()  # computed without the lock, stored all the same

    page = client.get(HOME).content.decode()

    assert "Busy Court" in page and "fewer than 10" in page
    assert DashboardSnapshot.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_visits_that_find_no_figures_at_once_compute_them_only_once(busy_and_quiet_courts, monkeypatch):
    computations = []
    compute = dashboard_module.dashboard

    def slow_dashboard():
        computations.append(threading.current_thread().name)
        time.sleep(0.5)  # long enough that every visit arrives during the computation
        return compute()

    monkeypatch.setattr(dashboard_module, "dashboard", slow_dashboard)
    served = []

    def visit():
        try:
            served.append(dashboard_cached().citations)
        finally:
            connection.close()

    visits = [threading.Thread(target=visit, name=f"visit {number}") for number in range(6)]
    for thread in visits:
        thread.start()
    for thread in visits:
        thread.join()

    assert len(computations) == 1
    assert served == [15] * 6
