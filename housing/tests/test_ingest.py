"""The real DC files through the ingestion machinery: counts, known rows, every quirk, and
bad files that change nothing and name their rows."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import models

from cities import ingestion
from cities.ingestion import TEXT, ingest_path, registered_schemas
from cities.models import Dataset, IngestionRun
from cities.services import DemoDataError
from housing.ingest import period_of
from housing.models import InspectionScore, MarketIndicator, Parcel, Project, RealPropertyEvent, Subsidy
from housing.services import HOUSING_DEMO_FILES, housing_demo_data_load

# (rows read from the file, rows stored) of each real file.
REAL_FILE_COUNTS = {
    "housing.projects": (362, 362),
    "housing.subsidies": (731, 731),
    "housing.inspections": (493, 493),
    "housing.parcels": (905, 905),
    "housing.property_events": (1078, 1078),
    # 39 clusters and the "Non-cluster area", 86 indicator columns each; the files' last
    # row is commas only.
    "housing.cluster_indicators": (41, 40 * 86),
    "housing.tract_indicators": (180, 179 * 86),
    "housing.ward_boundaries": (8, 8),
    "housing.cluster_boundaries": (46, 46),
    "housing.tract_boundaries": (206, 206),
    # ZIP 20026 is published twice with one shape: one area.
    "housing.zip_boundaries": (171, 170),
}


def real_file(settings, schema: str) -> Path:
    relative = next(path for _, read_with, path in HOUSING_DEMO_FILES if read_with == schema)
    return settings.CIVIC_DATA_DIR / "dc" / relative


def load(settings, *schemas: str) -> None:
    """Only some of the real files, in the demo loader's order, to keep each test quick."""
    for slug, schema, _ in HOUSING_DEMO_FILES:
        if schema in schemas:
            run = ingest_path(dataset=Dataset.objects.get(slug=slug), path=real_file(settings, schema))
            assert run.status == IngestionRun.Status.SUCCEEDED, run.errors


@pytest.fixture
def dc_runs(demo_data, settings) -> dict[str, IngestionRun]:
    return {
        run.dataset.schema: run for run in housing_demo_data_load(data_dir=settings.CIVIC_DATA_DIR, with_profiles=False)
    }


@pytest.fixture
def projects(demo_data, settings) -> None:
    load(settings, "housing.projects")


@pytest.fixture
def subsidies(demo_data, settings) -> None:
    load(settings, "housing.projects", "housing.subsidies")


@pytest.fixture
def catalog(demo_data, settings) -> None:
    load(settings, *[schema for schema in REAL_FILE_COUNTS if not schema.endswith(("_indicators", "_boundaries"))])


@pytest.fixture
def indicators(demo_data, settings) -> None:
    load(settings, "housing.cluster_indicators", "housing.tract_indicators")


@pytest.fixture
def cluster_indicators(demo_data, settings) -> None:
    load(settings, "housing.cluster_indicators")


def offer(schema: str, content: bytes, tmp_path: Path, name: str = "offered.csv") -> IngestionRun:
    path = tmp_path / name
    path.write_bytes(content)
    slug = next(slug for slug, read_with, _ in HOUSING_DEMO_FILES if read_with == schema)
    return ingest_path(dataset=Dataset.objects.get(slug=slug), path=path)


def stored(model: type[models.Model]) -> list[dict]:
    return list(model.objects.order_by("pk").values())


def test_every_real_file_loads_completely(dc_runs):
    counts = {schema: (run.rows_read, run.rows_created) for schema, run in dc_runs.items()}

    assert counts == REAL_FILE_COUNTS
    assert all(run.status == IngestionRun.Status.SUCCEEDED and run.errors == [] for run in dc_runs.values())
    assert (Project.objects.count(), Subsidy.objects.count(), InspectionScore.objects.count()) == (362, 731, 493)
    assert (Parcel.objects.count(), RealPropertyEvent.objects.count(), MarketIndicator.objects.count()) == (
        905,
        1078,
        40 * 86 + 179 * 86,
    )


def test_loading_the_real_files_again_changes_nothing(dc_runs, settings):
    before = [stored(model) for model in (Project, Subsidy, Parcel, RealPropertyEvent)]

    again = housing_demo_data_load(data_dir=settings.CIVIC_DATA_DIR, with_profiles=False)

    assert [(run.rows_created, run.rows_updated) for run in again] == [(0, 0)] * len(again)
    assert [run.rows_unchanged for run in again] == [stored for _, stored in REAL_FILE_COUNTS.values()]
    assert [stored(model) for model in (Project, Subsidy, Parcel, RealPropertyEvent)] == before


def test_the_embedded_writer_also_finds_the_real_files_unchanged(dc_runs, settings):
    """SQLite (the embedded mode) compares rows in Python: SAS datetimes, US dates and
    decimals must come out as the ORM hands them back."""
    for schema_slug in REAL_FILE_COUNTS:
        schema = registered_schemas()[schema_slug]()
        path = real_file(settings, schema_slug)
        frame = ingestion._read_frame(io.BytesIO(path.read_bytes()), schema, path.stat().st_size)

        counts = ingestion._write_with_orm(ingestion.validate_frame(frame, schema).frame, schema)

        assert (counts.created, counts.updated) == (0, 0), schema_slug


def test_a_project_is_stored_as_the_catalog_publishes_it(projects):
    project = Project.objects.get(nlihc_id="NL000001")

    assert (project.name, project.address, project.zip_code) == (
        "1330 7th St Apts (Immaculate Conception)",
        "1330 7th Street NW",
        "20001",
    )
    assert (project.status, project.subsidized, project.building_count) == (Project.Status.ACTIVE, True, 1)
    assert (project.units_total, project.units_assisted_min, project.units_assisted_max) == (137, 136, 137)
    assert (project.owner_name, project.owner_type) == ("1330 7th Street Limited Partnership", "Limited dividend")
    assert (project.manager_name, project.manager_type) == ("Edgewood Management Corporation", "Profit motivated")
    assert (project.ward, project.anc, project.psa, project.census_tract) == (
        "Ward 6",
        "ANC 6E",
        "PSA 308",
        "Tract 49.02",
    )
    assert (project.cluster_code, project.cluster_name) == ("Cluster 7", "Shaw, Logan Circle")
    assert (project.latitude, project.longitude) == (38.90811789, -77.0221966)
    assert project.category_code == Project.Category.OTHER
    flags = (project.expiring, project.failing_inspection, project.at_risk, project.more_info_needed, project.lost)
    assert flags == (True, False, False, False, False)
    assert project.source_updated_on == date(2016, 3, 1)  # from the SAS datetime 01MAR16:15:34:26


def test_the_catalogs_placeholders_become_empty_values(projects):
    lost = Project.objects.get(nlihc_id="NL000035")  # assisted units written "N"
    unnamed = Project.objects.get(nlihc_id="NL000004")  # no manager, typed "Individual"

    assert (lost.units_assisted_min, lost.units_assisted_max, lost.lost) == (None, None, True)
    assert (unnamed.manager_name, unnamed.manager_type) == ("", "")
    assert not Project.objects.filter(models.Q(owner_type="Individual") | models.Q(manager_type="Individual")).exists()


def test_the_repeated_project_id_column_must_agree_with_itself(projects, settings, tmp_path):
    before = stored(Project)
    lines = real_file(settings, "housing.projects").read_bytes().split(b"\n")
    # The second copy of Nlihc_id is column 42; NL000006 is on row 4.
    lines[3] = lines[3].replace(b",NL000006,5 - Other", b",NL000007,5 - Other")
    lines[1] = lines[1].replace(b"1330 7th St Apts", b"Renamed")

    run = offer("housing.projects", b"\n".join(lines), tmp_path)

    assert run.status == IngestionRun.Status.FAILED
    assert run.errors == [{"row": 4, "column": "Nlihc_id", "message": "the copies of the Nlihc_id column differ"}]
    assert stored(Project) == before


def test_subsidies_keep_each_date_form_and_drop_sas_missing_values(subsidies):
    subsidy = Subsidy.objects.get(project__nlihc_id="NL000001", subsidy_id=2)
    sas_missing = Subsidy.objects.get(project__nlihc_id="NL000133", subsidy_id=3)

    assert (subsidy.poa_start, subsidy.poa_end, subsidy.poa_start_orig) == (
        date(2004, 11, 1),
        date(2024, 10, 31),
        date(2004, 10, 1),
    )
    assert (subsidy.poa_end_prev, subsidy.info_source_date) == (date(2024, 9, 30), date(2017, 2, 27))
    assert subsidy.source_updated_on == date(2017, 3, 6)
    assert (subsidy.contract_number, subsidy.units_assisted, subsidy.active) == ("DC39L000008", 50, True)
    assert (subsidy.program, subsidy.portfolio) == ("Sec 8 loan management set-aside", "Project-based section 8")
    assert (sas_missing.contract_number, sas_missing.rent_to_fmr_description, sas_missing.info_source_id) == (
        "",
        "",
        "",
    )


def test_actual_end_markers_become_empty_dates_and_active_keeps_their_meaning(subsidies):
    ended = Subsidy.objects.filter(poa_end_actual__isnull=False)

    assert ended.count() == 56
    assert not ended.filter(active=True).exists()
    # "U" (ended, day unknown): inactive without a date; "N" (not ended): active.
    assert Subsidy.objects.filter(active=False, poa_end_actual__isnull=True).count() == 29
    assert Subsidy.objects.get(project__nlihc_id="NL000001", subsidy_id=1).poa_end_actual is None


def test_the_published_1939_end_date_is_stored_as_unknown(subsidies):
    bond = Subsidy.objects.get(project__nlihc_id="NL000315", subsidy_id=1)
    tax_credit = Subsidy.objects.get(project__nlihc_id="NL000315", subsidy_id=2)

    assert (bond.poa_start, bond.poa_end, bond.compl_end) == (date(2009, 12, 1), None, None)
    assert tax_credit.poa_end == date(2039, 12, 1)


def test_subsidy_querysets_find_active_subsidies_ending_soon(subsidies):
    ending = Subsidy.objects.active().ending_within(years=1, as_of=date(2024, 1, 1))

    assert Subsidy.objects.active().count() == 646
    assert ending.filter(project__nlihc_id="NL000001", subsidy_id=3).exists()  # ends 2024-09-30
    assert all(date(2024, 1, 1) <= subsidy.poa_end <= date(2025, 1, 1) for subsidy in ending)
    assert not ending.filter(active=False).exists()


def test_inspection_scores_split_the_published_score(catalog):
    starred = InspectionScore.objects.get(project__nlihc_id="NL000001", inspected_on=date(2012, 7, 18))
    odd = InspectionScore.objects.get(project__nlihc_id="NL000371", inspected_on=date(2001, 6, 21))

    assert (starred.score, starred.letter, starred.smoke_detector_deficiency, starred.raw_score) == (
        68,
        "b",
        True,
        "68b*",
    )
    assert (odd.score, odd.letter, odd.raw_score) == (1, "c", "1.c*")
    assert InspectionScore.objects.filter(smoke_detector_deficiency=True).count() == 158


def test_parcels_are_keyed_by_project_and_ssl_because_projects_share_parcels(catalog):
    shared = Parcel.objects.filter(ssl="1020    0085").order_by("project__nlihc_id")

    assert [parcel.project.nlihc_id for parcel in shared] == ["NL000244", "NL000245"]
    assert Parcel.objects.values("ssl").distinct().count() == 893


def test_parcel_placeholders_and_codes(catalog):
    first = Parcel.objects.get(project__nlihc_id="NL000001")
    condo_units = Parcel.objects.filter(project__nlihc_id="NL000414")
    public_housing = Parcel.objects.get(project__nlihc_id="NL000153")

    assert (first.state_plane_x, first.state_plane_y, first.owner_since) == (398070.0, 137764.0, date(2004, 1, 30))
    assert condo_units.filter(state_plane_x__isnull=True, state_plane_y__isnull=True).count() == 30
    assert (public_housing.owner_type_code, public_housing.owner_since) == ("040", None)


def test_two_foreclosure_notices_on_one_day_are_both_kept(catalog):
    notices = RealPropertyEvent.objects.filter(
        project__nlihc_id="NL001022", event_date=date(2009, 3, 27), event_type="Foreclosure notice"
    )

    assert notices.count() == 2
    assert len({notice.description_digest for notice in notices}) == 2


def test_indicators_are_made_long_with_their_periods(indicators):
    owners = MarketIndicator.objects.filter(geography_code="Cluster 7", indicator="PctOwnerOccupiedHsgUnits")

    assert list(owners.order_by("year").values_list("period", "year", "value", "suppression")) == [
        ("1980", 1980, Decimal("12.0"), ""),
        ("1990", 1990, Decimal("18.0"), ""),
        ("2000", 2000, Decimal("23.0"), ""),
        ("2010_14", 2014, Decimal("30.0"), ""),
    ]
    prices = MarketIndicator.objects.filter(
        geography_type="tract", geography_code="Tract 49.02", indicator="r_mprice_sf"
    )
    assert (prices.get(period="1999").value, prices.get(period="1999").suppression) == (Decimal("229000"), "")
    assert (prices.get(period="2015").value, prices.get(period="2015").suppression) == (None, "i")
    assert not MarketIndicator.objects.filter(indicator__startswith="PctAnnChgRMPriceSf").exists()
    assert not MarketIndicator.objects.filter(geography_code="").exists()


def test_suppressed_and_insufficient_figures_are_kept_without_a_value(indicators):
    suppressed = MarketIndicator.objects.get(
        geography_code="Tract 49.02", indicator="PctSameHouse5YearsAgo", period="1990"
    )

    assert (suppressed.value, suppressed.suppression) == (None, "s")
    assert MarketIndicator.objects.filter(suppression="s").count() == 895
    assert MarketIndicator.objects.filter(suppression="i", value__isnull=True).count() == 1600
    assert not MarketIndicator.objects.filter(suppression="", value__isnull=True).exists()


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("sales_sf_2014", ("sales_sf", "2014", 2014)),
        ("PctOwnerOccupiedHsgUnits_2010_14", ("PctOwnerOccupiedHsgUnits", "2010_14", 2014)),
        ("PctChgTotPop_1980_1990", ("PctChgTotPop", "1980_1990", 1990)),
        ("MedianMrtgInc1_4m_adj_1997", ("MedianMrtgInc1_4m_adj", "1997", 1997)),
        ("PctVacant_1999_01", ("PctVacant", "1999_01", 2001)),
        ("PctAnnChgRMPriceSf_5yr", None),
        ("GEO2010", None),
    ],
)
def test_the_period_is_read_from_the_column_name(column, expected):
    assert period_of(column) == expected


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"CLUSTER_TR2000,sales_sf_2014,Notes\nCluster 7,51,x\n",
            "these columns name no indicator and period (like sales_sf_2014 or "
            "PctOwnerOccupiedHsgUnits_2010_14): Notes",
        ),
        (b"CLUSTER_TR2000,sales_sf_2014,sales_sf_2015\n,,\n", "the file publishes no figures: every row is empty"),
    ],
    ids=["column-without-period", "only-empty-rows"],
)
def test_an_indicator_file_that_places_nothing_is_refused_whole(demo_data, tmp_path, content, message):
    run = offer("housing.cluster_indicators", content, tmp_path)

    assert run.status == IngestionRun.Status.FAILED
    assert run.errors == [{"row": None, "column": None, "message": message}]
    assert not MarketIndicator.objects.exists()


def test_catalog_files_are_read_as_windows_1252(catalog, tmp_path):
    """The Catalog's SAS exports are Windows text (0x92 is a right quotation mark there)."""
    content = (
        b"Nlihc_id,Ssl,Parcel_owner_date,Parcel_Info_Source_Date,Parcel_x,Parcel_y,Parcel_owner_name,Parcel_owner_type\n"
        b"NL000001,0423    0018,01/30/2004,01/25/2014,398070,137764,Caf\xe9 O\x92Brien LLC,111\n"
    )

    run = offer("housing.parcels", content, tmp_path)

    assert run.status == IngestionRun.Status.SUCCEEDED and run.rows_updated == 1
    assert Parcel.objects.get(project__nlihc_id="NL000001").owner_name == "Caf\u00e9 O\u2019Brien LLC"


def edited(path: Path, *replacements: tuple[bytes, bytes], extra: bytes = b"") -> bytes:
    """The real file with some values replaced (each must be there) and rows added."""
    content = path.read_bytes()
    for old, new in replacements:
        assert old in content, old
        content = content.replace(old, new, 1)
    return content + extra


SUBSIDY_ROW = b"%s,9,10,%s,%s,,,Yes,,DC/AFFPIPELINE,,04SEP15:08:54:57,HOME,,,DC,,HOME,,N\n"
# A change that would be stored if the file were accepted: NL000001's subsidy 2 has 50 units.
GOOD_SUBSIDY_CHANGE = (b"NL000001,2,50,", b"NL000001,2,55,")


@pytest.mark.parametrize(
    ("schema", "data", "model", "content", "errors"),
    [
        pytest.param(
            "housing.subsidies",
            "subsidies",
            Subsidy,
            lambda path: edited(path, GOOD_SUBSIDY_CHANGE, extra=SUBSIDY_ROW % (b"NL999999", b"", b"")),
            {(733, "nlihc_id", "'NL999999' is not a known project")},
            id="unknown-project",
        ),
        pytest.param(
            "housing.subsidies",
            "subsidies",
            Subsidy,
            lambda path: edited(
                path, GOOD_SUBSIDY_CHANGE, extra=SUBSIDY_ROW % (b"NL000001", b"2020-01-01", b"2010-01-01")
            ),
            {(733, "poa_end", "the period of affordability ends before it starts")},
            id="end-before-start",
        ),
        pytest.param(
            "housing.subsidies",
            "subsidies",
            Subsidy,
            lambda path: edited(
                path,
                GOOD_SUBSIDY_CHANGE,
                extra=(SUBSIDY_ROW % (b"NL000001", b"", b"")).replace(b",HOME,,,DC,", b",Sec 999 Imaginary,,,DC,")
                + (SUBSIDY_ROW % (b"NL000001", b"", b"")).replace(b",9,", b",10,").replace(b",HOME,,N", b",LIHTC,,N"),
            ),
            {
                (733, "program", "'Sec 999 Imaginary' is not a known programme of the Catalog"),
                (734, "portfolio", "the Catalog files this programme under another portfolio"),
            },
            id="unknown-programme",
        ),
        pytest.param(
            "housing.projects",
            "projects",
            Project,
            lambda path: edited(
                path,
                (b"Parkfair Apts", b"Parkfair Apartments"),
                (b",38.90811789,-77.0221966,1,", b",95.5,-77.0221966,1,"),
                (b",38.93209086,-77.03705918,1,", b",north,-77.03705918,1,"),
            ),
            {
                (2, "Proj_lat", "the latitude must lie between -90 and 90"),
                (3, "Proj_lat", "'north' is not a number"),
            },
            id="bad-coordinates",
        ),
        pytest.param(
            "housing.cluster_indicators",
            "cluster_indicators",
            MarketIndicator,
            lambda path: edited(path, (b"Cluster 1,9942,", b"Cluster 1,9950,"), (b"Cluster 7,8743,", b"Cluster 7,x,")),
            {(8, "value", "'x' is not a number with at most 1 decimal places")},
            id="x-as-indicator-value",
        ),
    ],
)
def test_a_file_with_a_bad_row_changes_nothing_and_names_the_row(
    request, settings, tmp_path, schema, data, model, content, errors
):
    request.getfixturevalue(data)
    before = stored(model)

    run = offer(schema, content(real_file(settings, schema)), tmp_path)

    assert run.status == IngestionRun.Status.FAILED
    assert (run.rows_created, run.rows_updated, run.rows_rejected) == (0, 0, len(errors))
    assert {(error["row"], error["column"], error["message"]) for error in run.errors} == errors
    assert stored(model) == before


def test_every_text_column_fits_its_field():
    """A value the column accepts must never be too long for the database at the write."""
    for slug, schema in registered_schemas().items():
        if not slug.startswith("housing."):
            continue
        for column in schema.columns:
            field = schema.model._meta.get_field(column.model_field)
            if column.kind == TEXT and column.references is None and isinstance(field, models.CharField):
                longest = max(map(len, column.choices)) if column.choices else column.max_length
                assert longest is not None and longest <= field.max_length, (slug, column.name)


def test_the_demo_loader_raises_on_a_refused_file(demo_data, tmp_path):
    (tmp_path / "dc").mkdir()
    (tmp_path / "dc" / "prescat_project.csv").write_bytes(b"Nlihc_id,Status\nNL000001,Active\n")

    with pytest.raises(DemoDataError, match=r"prescat_project\.csv was refused"):
        housing_demo_data_load(data_dir=tmp_path)

    assert not Project.objects.exists()
