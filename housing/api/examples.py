"""What the DC housing API answers, as examples in the OpenAPI schema: rows of the demo data
(`manage.py load_demo_data`, its risk assessed). A list's example is one of its rows, which
drf-spectacular puts in the page shape (`cities.api.pagination`); long lists inside a row
(a project's subsidies, inspections) are cut to their first few items."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample

# The assessment of the project the examples show, as its detail and the assessments' list give it.
COLORADO_AVE_ASSESSMENT: dict[str, Any] = {
    "level": "high",
    "checked_as_of": "2026-12-07",
    "checked_at": "2026-12-07T07:14:16.512034-05:00",
    "as_of": "2026-12-07",
    "assessed_at": "2026-12-07T07:14:16.028270-05:00",
    "previous_level": None,
    "level_changed_at": "2026-12-07T07:14:15.288660-05:00",
    "affordability_ends_on": "2027-11-01",
    "assisted_units_at_risk": 36,
    "flags": [
        {
            "code": "expiry_imminent",
            "label": "Affordability ends within 1 year",
            "rule": "Affordability ends within 1 year (by 2027-12-07)",
            "severity": "high",
            "evidence": {
                "record": "Subsidy 3 (Sec 542(c) HFA Risk Sharing-Existing) "
                "ends 2027-11-01; 2 other active subsidies without a "
                "recorded end, not counted",
                "source": "HUD/Insured Multifamily Mortgages",
                "source_date": "2017-01-31",
            },
        },
        {
            "code": "price_pressure",
            "label": "Neighbourhood price pressure",
            "rule": "Cluster's median sale price growth 2010-2015 is positive and above "
            "the city's (+20.3%) times 1.25 = +25.4%",
            "severity": "low",
            "evidence": {
                "record": "Cluster 18: median sale price growth 2010-2015 +44.8%",
                "source": "Neighbourhood profiles by neighbourhood cluster",
                "source_date": "2026-12-07",
            },
        },
    ],
}


PROJECT = OpenApiExample(
    "1330 7th St Apts",
    value={
        "nlihc_id": "NL000001",
        "name": "1330 7th St Apts (Immaculate Conception)",
        "address": "1330 7th Street NW",
        "zip_code": "20001",
        "ward": "Ward 6",
        "anc": "ANC 6E",
        "census_tract": "Tract 49.02",
        "cluster_code": "Cluster 7",
        "cluster_name": "Shaw, Logan Circle",
        "latitude": 38.90811789,
        "longitude": -77.0221966,
        "status": "Active",
        "category_code": "5 - Other Subsidized Property",
        "subsidized": True,
        "units_total": 137,
        "units_assisted_min": 136,
        "units_assisted_max": 137,
        "owner_type": "Limited dividend",
        "risk_level": None,
        "affordability_ends_on": None,
        "assisted_units_at_risk": None,
        "source_updated_on": "2016-03-01",
    },
)

PROJECT_DETAIL = OpenApiExample(
    "Colorado Ave NW Cooperative, at high risk",
    value={
        "nlihc_id": "NL000076",
        "name": "Colorado Ave NW Cooperative",
        "address": "5746 Colorado Avenue NW",
        "zip_code": "20011",
        "ward": "Ward 4",
        "anc": "ANC 4A",
        "census_tract": "Tract 20.01",
        "cluster_code": "Cluster 18",
        "cluster_name": "Brightwood Park, Crestwood, Petworth",
        "latitude": 38.95982625,
        "longitude": -77.03063166,
        "status": "Active",
        "category_code": "5 - Other Subsidized Property",
        "subsidized": True,
        "units_total": 36,
        "units_assisted_min": 36,
        "units_assisted_max": 36,
        "owner_type": "",
        "risk_level": "high",
        "affordability_ends_on": "2027-11-01",
        "assisted_units_at_risk": 36,
        "source_updated_on": "2016-03-01",
        "risk_assessment": COLORADO_AVE_ASSESSMENT,
        "subsidies": [
            {
                "subsidy_id": 1,
                "program": "DC housing production trust fund",
                "portfolio": "DC housing production trust fund",
                "agency": "DC",
                "active": True,
                "units_assisted": 36,
                "poa_start": None,
                "poa_end": None,
                "poa_start_orig": None,
                "poa_end_prev": None,
                "poa_end_actual": None,
                "compl_end": None,
                "contract_number": "",
                "rent_to_fmr_description": "",
                "info_source": "DC/AFFPIPELINE",
                "info_source_date": "2008-02-01",
                "source_updated_on": "2015-09-04",
            },
            {
                "subsidy_id": 2,
                "program": "McKinney Vento Act loan",
                "portfolio": "McKinney Vento",
                "agency": "DC",
                "active": True,
                "units_assisted": None,
                "poa_start": None,
                "poa_end": None,
                "poa_start_orig": None,
                "poa_end_prev": None,
                "poa_end_actual": None,
                "compl_end": None,
                "contract_number": "",
                "rent_to_fmr_description": "",
                "info_source": "DC/AFFPIPELINE",
                "info_source_date": None,
                "source_updated_on": "2015-09-04",
            },
            {
                "subsidy_id": 3,
                "program": "Sec 542(c) HFA Risk Sharing-Existing",
                "portfolio": "HUD-insured mortgage",
                "agency": "US Dept of Housing and Urban Development",
                "active": True,
                "units_assisted": 36,
                "poa_start": "1997-11-01",
                "poa_end": "2027-11-01",
                "poa_start_orig": "1997-12-01",
                "poa_end_prev": None,
                "poa_end_actual": None,
                "compl_end": "2027-11-01",
                "contract_number": "",
                "rent_to_fmr_description": "",
                "info_source": "HUD/Insured Multifamily Mortgages",
                "info_source_date": "2017-01-31",
                "source_updated_on": "2017-03-06",
            },
        ],
        "inspections": [
            {
                "inspected_on": "2013-08-19",
                "score": 96,
                "letter": "c",
                "smoke_detector_deficiency": True,
                "raw_score": "96c*",
            },
            {
                "inspected_on": "2010-05-26",
                "score": 92,
                "letter": "c",
                "smoke_detector_deficiency": True,
                "raw_score": "92c*",
            },
            {
                "inspected_on": "2007-02-28",
                "score": 92,
                "letter": "b",
                "smoke_detector_deficiency": True,
                "raw_score": "92b*",
            },
        ],
        "parcels": [
            {
                "ssl": "2795    0029",
                "owner_type_code": "020",
                "owner_name": "Colorado Avenue Nw Cooperative",
                "owner_since": None,
            }
        ],
        "property_events": [
            {
                "event_date": "2001-01-01",
                "event_type": "Property sale",
                "ssl": "2795    0029",
                "description": "OTR: Sold to Colorado Avenue NW Cooperative.",
            }
        ],
    },
)

OWNER = OpenApiExample(
    "A limited partnership",
    value={
        "name": "1330 7th Street Limited Partnership",
        "owner_type": "Limited dividend",
        "project_count": 1,
        "assisted_units": 137,
        "projects": ["NL000001"],
    },
)

SUBSIDY = OpenApiExample(
    "A tax credit of 1330 7th St Apts",
    value={
        "project": "NL000001",
        "subsidy_id": 1,
        "program": "Low income housing tax credit",
        "portfolio": "LIHTC",
        "agency": "DC Dept of Housing and Community Development; DC Housing Finance Agency",
        "active": True,
        "units_assisted": 136,
        "poa_start": "2004-01-01",
        "poa_end": "2034-01-01",
        "poa_start_orig": "2004-01-01",
        "poa_end_prev": None,
        "poa_end_actual": None,
        "compl_end": "2019-01-01",
        "contract_number": "",
        "rent_to_fmr_description": "",
        "info_source": "HUD/LIHTC",
        "info_source_date": "2011-09-22",
        "source_updated_on": "2015-09-04",
    },
)

INSPECTION = OpenApiExample(
    "An inspection of 1330 7th St Apts",
    value={
        "project": "NL000001",
        "inspected_on": "2013-08-13",
        "score": 94,
        "letter": "b",
        "smoke_detector_deficiency": False,
        "raw_score": "94b",
    },
)

RISK_ASSESSMENT = OpenApiExample(
    "Colorado Ave NW Cooperative",
    value={
        "project": "NL000076",
        "project_name": "Colorado Ave NW Cooperative",
        **COLORADO_AVE_ASSESSMENT,
    },
)

MARKET_INDICATOR = OpenApiExample(
    "Average family income in Cluster 1",
    value={
        "geography_type": "cluster",
        "geography_code": "Cluster 1",
        "indicator": "AvgFamilyIncAdj",
        "period": "1980",
        "year": 1980,
        "value": "103602.0",
        "suppression": "",
    },
)

EXPIRY_YEAR = OpenApiExample(
    "2027",
    value={"year": 2027, "projects": 5, "assisted_units": 1255, "projects_without_units": 0},
)
