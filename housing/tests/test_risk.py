"""Preservation risk on the real DC Catalog, computed after ingestion and stored with evidence."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pandas as pd
import pytest
from django.db import connection
from django.db.models import Count

from cities.data_cache import data_version
from cities.ingestion import ingest_path
from cities.models import Dataset
from housing import risk_rules
from housing.expiry import expiry_timeline, median_price_growth
from housing.filters import ProjectFilter
from housing.models import MarketIndicator, Project, RiskAssessment, RiskRefresh, Subsidy
from housing.risk import PRICE_INDICATOR, risk_assessment_refresh
from housing.selectors import expiry_timeline_for
from housing.services import HOUSING_DEMO_FILES

CATALOG_DAY = date(2016, 4, 1)


# Everything a refresh writes about a project but the moments.
STORED_CONTENT = ("project_id", "level", "flags", "affordability_ends_on", "assisted_units_at_risk", "content_digest")


def levels() -> dict[str, int]:
    return dict(RiskAssessment.objects.values_list("level").annotate(count=Count("pk")))


def test_ingesting_the_catalogue_assesses_every_project(dc_data):
    assert RiskAssessment.objects.count() == Project.objects.count() == 362
    assert set(levels()) <= {"high", "medium", "low"}


def test_levels_on_the_catalogues_own_day(dc_data):
    counts = risk_assessment_refresh(as_of=CATALOG_DAY)

    assert counts == {"high": 26, "medium": 65, "low": 271}
    assert levels() == counts


def test_every_flag_shows_its_rule_record_source_and_date(dc_data):
    risk_assessment_refresh(as_of=CATALOG_DAY)

    flags = [flag for assessment in RiskAssessment.objects.all() for flag in assessment.flags]

    assert len(flags) > 100
    for flag in flags:
        assert flag["rule"] and flag["label"] and flag["severity"] in {"high", "medium", "low"}
        assert flag["evidence"]["record"]
    subsidy_flags = [flag for flag in flags if flag["code"].startswith("expiry_")]
    assert all(flag["evidence"]["source"] for flag in subsidy_flags if "Subsidy" in flag["evidence"]["record"])
    price_flags = [flag for flag in flags if flag["code"] == "price_pressure"]
    assert price_flags[0]["evidence"]["source"] == "Housing market indicators by neighbourhood cluster"
    assert price_flags[0]["evidence"]["source_date"]


def test_evidence_never_quotes_who_bought_a_property(dc_data):
    risk_assessment_refresh(as_of=date(2013, 6, 1))

    every_flag = json.dumps([assessment.flags for assessment in RiskAssessment.objects.all()])

    assert "recent_sale_or_notice" in every_flag
    assert "Sold to" not in every_flag


def test_refreshing_again_keeps_when_each_level_last_changed(dc_data):
    risk_assessment_refresh(as_of=CATALOG_DAY)
    before = dict(RiskAssessment.objects.values_list("project_id", "level_changed_at"))

    risk_assessment_refresh(as_of=CATALOG_DAY)

    assert dict(RiskAssessment.objects.values_list("project_id", "level_changed_at")) == before


def test_a_subsidy_ending_sooner_raises_the_level_and_records_the_change(dc_data):
    risk_assessment_refresh(as_of=CATALOG_DAY)
    low = RiskAssessment.objects.filter(level="low", project__subsidies__active=True).first()
    # A project's end is its last active subsidy's: end them all within the year.
    Subsidy.objects.filter(project=low.project, active=True).update(
        poa_start=date(2000, 1, 1), poa_end=date(2016, 9, 30)
    )

    risk_assessment_refresh(as_of=CATALOG_DAY)

    low.refresh_from_db()
    assert low.level == "high"
    assert low.previous_level == "low"
    assert low.flags[0]["code"] == "expiry_imminent"
    assert RiskAssessment.objects.changed_since(low.assessed_at.replace(year=2000)).filter(pk=low.pk).exists()


def test_a_second_refresh_with_nothing_changed_writes_no_assessment(dc_data):
    risk_assessment_refresh(as_of=CATALOG_DAY)
    before = {row["project_id"]: row for row in RiskAssessment.objects.values()}
    first = RiskRefresh.objects.latest_finished()

    counts = risk_assessment_refresh(as_of=CATALOG_DAY)

    second = RiskRefresh.objects.latest_finished()
    assert second != first
    assert (second.as_of, second.projects_assessed) == (CATALOG_DAY, 362)
    assert (second.assessments_created, second.assessments_changed) == (0, 0)
    assert second.started_at <= second.finished_at
    assert {row["project_id"]: row for row in RiskAssessment.objects.values()} == before
    assert counts == levels()
    read = {run.dataset.schema for run in second.ingestion_runs.select_related("dataset")}
    assert read == {
        "housing.projects",
        "housing.subsidies",
        "housing.inspections",
        "housing.property_events",
        "housing.cluster_indicators",
    }


def test_a_changed_subsidy_rewrites_exactly_that_projects_assessment(dc_data):
    risk_assessment_refresh(as_of=CATALOG_DAY)
    before = {row["project_id"]: row for row in RiskAssessment.objects.values()}
    low = RiskAssessment.objects.filter(level="low", project__subsidies__active=True).first()
    Subsidy.objects.filter(project=low.project, active=True).update(
        poa_start=date(2000, 1, 1), poa_end=date(2016, 9, 30)
    )

    risk_assessment_refresh(as_of=CATALOG_DAY)

    refresh = RiskRefresh.objects.latest_finished()
    assert (refresh.assessments_created, refresh.assessments_changed) == (0, 1)
    after = {row["project_id"]: row for row in RiskAssessment.objects.values()}
    changed = after.pop(low.project_id)
    assert after == {project_id: row for project_id, row in before.items() if project_id != low.project_id}
    assert (changed["level"], changed["previous_level"]) == ("high", "low")
    assert changed["level_changed_at"] == changed["assessed_at"] == refresh.started_at
    assert changed["affordability_ends_on"] == date(2016, 9, 30)


def test_a_changed_flag_keeps_the_level_and_when_it_changed(dc_data):
    risk_assessment_refresh(as_of=CATALOG_DAY)
    # An imminent end moved within the same year: another record, the same level.
    imminent = RiskAssessment.objects.filter(flags__0__code="expiry_imminent").exclude(level="low").first()
    before = RiskAssessment.objects.get(pk=imminent.pk)
    Subsidy.objects.filter(project=imminent.project, active=True, poa_end=imminent.affordability_ends_on).update(
        poa_end=CATALOG_DAY
    )

    risk_assessment_refresh(as_of=CATALOG_DAY)

    after = RiskAssessment.objects.get(pk=imminent.pk)
    assert RiskRefresh.objects.latest_finished().assessments_changed == 1
    assert after.flags != before.flags and after.level == before.level
    assert (after.previous_level, after.level_changed_at) == (before.previous_level, before.level_changed_at)
    assert after.assessed_at > before.assessed_at


def test_a_change_in_a_flags_evidence_alone_rewrites_that_assessment(dc_data):
    risk_assessment_refresh(as_of=CATALOG_DAY)
    flagged = RiskAssessment.objects.filter(flags__0__code="expiry_imminent").first()
    before = RiskAssessment.objects.get(pk=flagged.pk)
    # The subsidy the evidence names gets another program: the same end, level and units.
    Subsidy.objects.filter(project=flagged.project, active=True, poa_end=flagged.affordability_ends_on).update(
        program="Renamed program"
    )

    risk_assessment_refresh(as_of=CATALOG_DAY)

    after = RiskAssessment.objects.get(pk=flagged.pk)
    assert RiskRefresh.objects.latest_finished().assessments_changed == 1
    assert "(Renamed program)" in after.flags[0]["evidence"]["record"]
    assert "(Renamed program)" not in before.flags[0]["evidence"]["record"]
    assert (after.level, after.affordability_ends_on) == (before.level, before.affordability_ends_on)
    assert after.content_digest != before.content_digest
    assert after.assessed_at > before.assessed_at


def test_a_change_in_a_rules_text_rewrites_exactly_the_assessments_it_flags(dc_data, settings):
    risk_assessment_refresh(as_of=date(2013, 6, 1))
    before = {row["project_id"]: row for row in RiskAssessment.objects.values()}
    with_the_rule = {
        project_id for project_id, row in before.items() if "recent_sale_or_notice" in json.dumps(row["flags"])
    }
    # The same event types in another order: every flag the same but for the rule's text.
    settings.HOUSING_RISK_THRESHOLDS = {
        "recent_event_types": ("Foreclosure notice", "Foreclosure outcome", "Property sale")
    }

    risk_assessment_refresh(as_of=date(2013, 6, 1))

    after = {row["project_id"]: row for row in RiskAssessment.objects.values()}
    assert RiskRefresh.objects.latest_finished().assessments_changed == len(with_the_rule) > 0
    rewritten = {project_id for project_id, row in after.items() if row != before[project_id]}
    assert rewritten == with_the_rule
    rule = next(flag["rule"] for flag in after[min(with_the_rule)]["flags"] if flag["code"] == "recent_sale_or_notice")
    assert rule.startswith("Foreclosure notice, Foreclosure outcome, Property sale within 2 years")


def test_a_later_days_refresh_rewrites_only_the_assessments_whose_flags_changed(dc_data):
    risk_assessment_refresh(as_of=CATALOG_DAY)
    before = {row["project_id"]: row for row in RiskAssessment.objects.values()}

    risk_assessment_refresh(as_of=CATALOG_DAY + timedelta(days=1))

    after = {row["project_id"]: row for row in RiskAssessment.objects.values()}
    rewritten = {project_id for project_id, row in after.items() if row != before[project_id]}
    assert RiskRefresh.objects.latest_finished().assessments_changed == len(rewritten)

    def flags_but_the_rules_words(row: dict) -> list[tuple]:
        return [(flag["code"], flag["label"], flag["severity"], flag["evidence"]) for flag in row["flags"]]

    # Each one rewritten says something new (a window crossed); the others keep the day they
    # were assessed and their rules' words, though the new day's words name other days.
    assert all(
        flags_but_the_rules_words(after[project_id]) != flags_but_the_rules_words(before[project_id])
        or after[project_id]["level"] != before[project_id]["level"]
        for project_id in rewritten
    )
    kept = [row for project_id, row in after.items() if project_id not in rewritten and row["flags"]]
    assert len(kept) > 50
    assert all(row["as_of"] == CATALOG_DAY for row in kept)
    a_year_on = CATALOG_DAY.replace(year=CATALOG_DAY.year + 1)
    assert any(f"(by {a_year_on})" in flag["rule"] for row in kept for flag in row["flags"])


def test_a_refresh_of_an_earlier_day_rewrites_every_assessment_of_a_later_one(dc_data):
    risk_assessment_refresh(as_of=CATALOG_DAY)
    of_that_day = {row.pop("project_id"): row for row in RiskAssessment.objects.values(*STORED_CONTENT)}
    risk_assessment_refresh(as_of=CATALOG_DAY + timedelta(days=400))
    of_the_later_day = RiskAssessment.objects.filter(as_of__gt=CATALOG_DAY).count()

    risk_assessment_refresh(as_of=CATALOG_DAY)

    assert RiskRefresh.objects.latest_finished().assessments_changed == of_the_later_day > 10
    assert set(RiskAssessment.objects.values_list("as_of", flat=True)) == {CATALOG_DAY}
    assert {row.pop("project_id"): row for row in RiskAssessment.objects.values(*STORED_CONTENT)} == of_that_day


def test_an_assessment_stored_without_a_digest_gets_one_and_is_not_rewritten(dc_data):
    risk_assessment_refresh(as_of=CATALOG_DAY)
    digests = dict(RiskAssessment.objects.values_list("project_id", "content_digest"))
    before = {row["project_id"]: row for row in RiskAssessment.objects.values()}
    RiskAssessment.objects.update(content_digest=None)

    risk_assessment_refresh(as_of=CATALOG_DAY)

    refresh = RiskRefresh.objects.latest_finished()
    assert (refresh.assessments_created, refresh.assessments_changed) == (0, 0)
    assert {row["project_id"]: row for row in RiskAssessment.objects.values()} == before
    assert dict(RiskAssessment.objects.values_list("project_id", "content_digest")) == digests


def test_the_embedded_database_stores_what_postgresql_stores(dc_data, monkeypatch):
    risk_assessment_refresh(as_of=CATALOG_DAY)
    stored = {row.pop("project_id"): row for row in RiskAssessment.objects.values(*STORED_CONTENT)}
    RiskAssessment.objects.all().delete()
    # The embedded SQLite's path (the ORM's reads and writes) on the same data.
    monkeypatch.setattr(connection, "vendor", "sqlite")

    risk_assessment_refresh(as_of=CATALOG_DAY)
    creating = RiskRefresh.objects.latest_finished()
    risk_assessment_refresh(as_of=CATALOG_DAY)

    assert {row.pop("project_id"): row for row in RiskAssessment.objects.values(*STORED_CONTENT)} == stored
    again = RiskRefresh.objects.latest_finished()
    assert creating.assessments_created == 362
    assert (again.assessments_created, again.assessments_changed) == (0, 0)


def test_a_project_without_an_assessment_gets_one_and_the_others_are_left_alone(dc_data):
    risk_assessment_refresh(as_of=CATALOG_DAY)
    RiskAssessment.objects.filter(project__nlihc_id="NL000001").delete()

    risk_assessment_refresh(as_of=CATALOG_DAY)

    refresh = RiskRefresh.objects.latest_finished()
    assert (refresh.assessments_created, refresh.assessments_changed) == (1, 0)
    assert RiskAssessment.objects.get(project__nlihc_id="NL000001").previous_level == ""


def test_thresholds_are_settings(dc_data, settings):
    risk_assessment_refresh(as_of=CATALOG_DAY)
    failing_at_80 = sum(
        1 for assessment in RiskAssessment.objects.all() for flag in assessment.flags if "inspection" in flag["code"]
    )

    settings.HOUSING_RISK_THRESHOLDS = {"inspection_failing_below": 95}
    risk_assessment_refresh(as_of=CATALOG_DAY)

    failing_at_95 = sum(
        1 for assessment in RiskAssessment.objects.all() for flag in assessment.flags if "inspection" in flag["code"]
    )
    assert failing_at_95 > failing_at_80


def test_an_unchanged_file_does_not_trigger_a_new_assessment(dc_data, settings, django_capture_on_commit_callbacks):
    slug, _, relative = HOUSING_DEMO_FILES[0]

    with django_capture_on_commit_callbacks() as callbacks:
        ingest_path(dataset=Dataset.objects.get(slug=slug), path=settings.CIVIC_DATA_DIR / "dc" / relative)

    assert callbacks == []


@pytest.mark.parametrize("as_of", [CATALOG_DAY, date(2025, 11, 25)])
def test_the_timeline_query_counts_exactly_as_the_reference_rule(dc_data, as_of):
    risk_assessment_refresh(as_of=as_of)
    projects = pd.DataFrame.from_records(
        list(Project.objects.values("nlihc_id", "units_assisted_max")), columns=["nlihc_id", "units_assisted_max"]
    ).rename(columns={"nlihc_id": "project_id", "units_assisted_max": "assisted_units"})
    subsidies = pd.DataFrame.from_records(
        list(Subsidy.objects.values("project__nlihc_id", "active", "poa_end", "units_assisted"))
    ).rename(
        columns={
            "project__nlihc_id": "project_id",
            "poa_end": "affordability_ends_on",
            "units_assisted": "assisted_units",
        }
    )

    from_database = expiry_timeline_for(Project.objects.all(), as_of=as_of)

    assert from_database == expiry_timeline(projects=projects, subsidies=subsidies, as_of=as_of)
    assert sum(year.projects for year in from_database) > 0


def test_the_timeline_follows_the_dashboard_filters(dc_data):
    risk_assessment_refresh(as_of=CATALOG_DAY)
    ward_8 = ProjectFilter({"ward": "Ward 8"}, queryset=Project.objects.all()).qs

    whole_city = expiry_timeline_for(Project.objects.all(), as_of=CATALOG_DAY)
    in_ward_8 = expiry_timeline_for(ward_8, as_of=CATALOG_DAY)

    assert 0 < sum(year.projects for year in in_ward_8) < sum(year.projects for year in whole_city)


@pytest.mark.parametrize(
    "query",
    [{"ward": "Ward 9"}, {"cluster": "Cluster 99"}, {"program": "Free money"}, {"expires_within_years": "soon"}],
)
def test_unknown_filter_values_make_the_filter_invalid(dc_data, query):
    project_filter = ProjectFilter(query, queryset=Project.objects.all())

    assert not project_filter.is_valid()
    assert set(project_filter.errors) == set(query)


def test_the_risk_refresh_starts_a_new_data_version_once_committed(dc_data, django_capture_on_commit_callbacks) -> None:
    before = data_version("housing")

    with django_capture_on_commit_callbacks() as callbacks:
        risk_assessment_refresh(as_of=date(2016, 4, 1))
        # Until the refresh commits, readers still read (and may cache) the old rows.
        assert data_version("housing") == before
    for callback in callbacks:
        callback()

    assert data_version("housing") != before


def flag_codes_one_by_one(project: Project, *, as_of: date, growth: dict[str, float | None]) -> list[str]:
    """The oracle: the rules of `housing.risk_rules`' docstring read for one project at a time,
    in their order, straight from its rows."""
    rules = risk_rules.DEFAULT_THRESHOLDS
    codes = []
    ends = [subsidy.poa_end for subsidy in project.subsidies.all() if subsidy.active and subsidy.poa_end]
    end = max(ends, default=None)
    if end is not None and end < as_of:
        codes.append("expiry_passed")
    elif end is not None:
        for code, years in (("expiry_imminent", 1), ("expiry_near", 3), ("expiry_watch", 5)):
            if end <= risk_rules._years_after(as_of, years):
                codes.append(code)
                break
    inspections = [inspection for inspection in project.inspection_scores.all() if inspection.inspected_on <= as_of]
    if inspections:
        latest_day = max(inspection.inspected_on for inspection in inspections)
        score = min(inspection.score for inspection in inspections if inspection.inspected_on == latest_day)
        if score < rules.inspection_severe_below:
            codes.append("inspection_severe")
        elif score < rules.inspection_failing_below:
            codes.append("inspection_failing")
    since = risk_rules._years_after(as_of, -rules.recent_event_years)
    counted = {event_type.casefold() for event_type in rules.recent_event_types}
    if any(
        event.event_type.strip().casefold() in counted and since <= event.event_date <= as_of
        for event in project.property_events.all()
    ):
        codes.append("recent_sale_or_notice")
    if project.owner_type.strip().casefold() in {owner.casefold() for owner in rules.for_profit_owner_types}:
        codes.append("for_profit_owner")
    known = sorted(value for value in growth.values() if value is not None)
    city = float(pd.Series(known).median())
    cluster_growth = growth.get(project.cluster_code)
    if cluster_growth is not None and cluster_growth > 0 and cluster_growth > city * rules.price_pressure_factor:
        codes.append("price_pressure")
    return codes


def level_of(codes: list[str]) -> str:
    signs = sum(code in codes for code in risk_rules.MARKET_AND_OWNERSHIP_CODES)
    others = signs + ("inspection_severe" in codes) + ("inspection_failing" in codes)
    if {"expiry_imminent", "inspection_severe"} & set(codes) or ("expiry_near" in codes and others):
        return "high"
    if {"expiry_near", "expiry_watch", "expiry_passed", "inspection_failing"} & set(codes) or signs >= 2:
        return "medium"
    return "low"


@pytest.mark.parametrize("as_of", [CATALOG_DAY, date(2013, 6, 1)])
def test_the_city_wide_refresh_equals_the_rules_read_one_project_at_a_time(dc_data, as_of):
    risk_assessment_refresh(as_of=as_of)
    prices = pd.DataFrame.from_records(
        list(
            MarketIndicator.objects.filter(geography_type="cluster", indicator=PRICE_INDICATOR).values_list(
                "geography_code", "year", "value"
            )
        ),
        columns=["cluster", "year", "median_price"],
    )
    growth = median_price_growth(prices).by_cluster
    projects = Project.objects.select_related("risk_assessment").prefetch_related(
        "subsidies", "inspection_scores", "property_events"
    )

    for project in projects:
        codes = flag_codes_one_by_one(project, as_of=as_of, growth=growth)
        stored = project.risk_assessment
        assert [flag["code"] for flag in stored.flags] == codes, project.nlihc_id
        assert stored.level == level_of(codes), project.nlihc_id
