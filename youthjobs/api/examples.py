"""What the Boston summer jobs API answers, as examples in the OpenAPI schema: rows of the
demo data (`manage.py load_demo_data`), whose youth are clearly synthetic ("Synthetic Youth
00001"). A list's example is one of its rows, which drf-spectacular puts in the page shape
(`cities.api.pagination`); long lists inside a row are cut to their first few items."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample

POSITION = OpenApiExample(
    "A Dorchester recreation assistant",
    value={
        "position_id": "DYEE17-P001",
        "season": "2017",
        "title": "Walteer Denney Youth Center Recreation Assistant",
        "category": "Camp Counselor/ Summer Program Staff Support",
        "seats": 25,
        "minimum_age": 14,
        "hours_per_week": 25,
        "starts_on": "2017-07-10",
        "ends_on": "2017-08-18",
        "is_synthetic": False,
        "site": {
            "site_id": "DYEE17-S001",
            "name": "Boys & Girls Clubs of Dorchester",
            "address": "1135 Dorchester Avenue",
            "neighbourhood": "Dorchester",
            "latitude": 42.31195,
            "longitude": -71.05789,
            "is_synthetic": False,
        },
    },
)

APPLICANT = OpenApiExample(
    "A synthetic applicant",
    value={
        "applicant_id": "SYN-00001",
        "season": "2026",
        "first_name": "Synthetic",
        "last_name": "Youth 00001",
        "date_of_birth": "2009-07-23",
        "gender": "male",
        "email": "youth00001@example.org",
        "phone": None,
        "home_zip": "02210",
        "neighbourhood": "South Boston",
        "has_transit_pass": True,
        "has_work_permit": True,
        "interests": [
            "Camp Counselor/ Summer Program Staff Support",
            "Information Technology",
            "Education, Tutoring or Teacher's Assistant",
        ],
        "eligible": None,
        "ineligibility_reasons": [],
        "is_synthetic": True,
    },
)

PLACEMENT = OpenApiExample(
    "A completed placement of 2018",
    value={
        "run": 2,
        "applicant_id": "SYN18-00001",
        "position_id": "SL18-45",
        "site_id": "SL18-S012",
        "state": "completed",
        "is_direct_hire": False,
        "commute_minutes": 3.5,
        "by_transit": False,
        "interest_rank": 1,
        "travel_points": 4.6,
        "interest_points": 5.0,
        "score": 9.6,
        "explanation": "3 min walking (+4.6), first-choice category (+5)",
        "offer_expires_at": "2018-07-02T09:00:00-04:00",
    },
)

PROGRAMME_FIGURES = OpenApiExample(
    "The 2018 season",
    value={
        "season": "2018",
        "applicants": 650,
        "eligible": 637,
        "placed": 518,
        "placement_rate": 0.797,
        "seats": 813,
        "completion_rate": 0.809,
        "by_neighbourhood": [
            {"group": "Allston", "youth": "fewer than 10", "placed": "fewer than 10", "placement_rate": None},
            {"group": "Back Bay", "youth": "fewer than 10", "placed": "fewer than 10", "placement_rate": None},
            {"group": "Beacon Hill", "youth": "fewer than 10", "placed": "fewer than 10", "placement_rate": None},
        ],
        "by_age_band": [
            {"group": "14-15", "youth": 175, "placed": 136, "placement_rate": 0.777},
            {"group": "16-17", "youth": 203, "placed": 161, "placement_rate": 0.793},
            {"group": "18-20", "youth": 173, "placed": 141, "placement_rate": 0.815},
        ],
        "by_category": [
            {"group": "Administrative or Office Assistant", "placed": 24, "placement_rate": None},
            {"group": "Business or Entrepreneurship", "placed": "fewer than 10", "placement_rate": None},
            {"group": "Camp Counselor/ Summer Program Staff Support", "placed": 222, "placement_rate": None},
        ],
        "commute": [
            {"group": "0-10 min", "placed": 129, "placement_rate": None},
            {"group": "10-20 min", "placed": 177, "placement_rate": None},
            {"group": "20-30 min", "placed": 121, "placement_rate": None},
        ],
    },
)

SEASON_FIGURES = OpenApiExample(
    "The 2018 season",
    value={
        "season": "2018",
        "matched": True,
        "applicants": 650,
        "eligible": 637,
        "positions": 184,
        "sites": 115,
        "seats": 813,
        "placed": 518,
        "placement_rate": 0.797,
        "completed": 419,
        "completion_rate": 0.809,
        "mean_commute_minutes": 18.3,
        "by_neighbourhood": [
            {
                "group": "Allston",
                "youth": "fewer than 10",
                "placed": "fewer than 10",
                "placement_rate": None,
                "seats": 33,
                "seats_per_applicant": None,
            },
            {
                "group": "Back Bay",
                "youth": "fewer than 10",
                "placed": "fewer than 10",
                "placement_rate": None,
                "seats": 82,
                "seats_per_applicant": None,
            },
            {
                "group": "Beacon Hill",
                "youth": "fewer than 10",
                "placed": "fewer than 10",
                "placement_rate": None,
                "seats": 2,
                "seats_per_applicant": None,
            },
        ],
        "by_age_band": [
            {
                "group": "14-15",
                "youth": 175,
                "placed": 136,
                "placement_rate": 0.777,
                "seats": None,
                "seats_per_applicant": None,
            },
            {
                "group": "16-17",
                "youth": 203,
                "placed": 161,
                "placement_rate": 0.793,
                "seats": None,
                "seats_per_applicant": None,
            },
            {
                "group": "18-20",
                "youth": 173,
                "placed": 141,
                "placement_rate": 0.815,
                "seats": None,
                "seats_per_applicant": None,
            },
        ],
        "by_gender": [
            {
                "group": "female",
                "youth": 354,
                "placed": 269,
                "placement_rate": 0.76,
                "seats": None,
                "seats_per_applicant": None,
            },
            {
                "group": "male",
                "youth": 279,
                "placed": 236,
                "placement_rate": 0.846,
                "seats": None,
                "seats_per_applicant": None,
            },
            {
                "group": "nonbinary",
                "youth": "fewer than 10",
                "placed": "fewer than 10",
                "placement_rate": None,
                "seats": None,
                "seats_per_applicant": None,
            },
        ],
        "categories": [
            {"group": "Administrative or Office Assistant", "seats": 25, "first_choices": 46, "placed": 24},
            {"group": "Business or Entrepreneurship", "seats": 11, "first_choices": 12, "placed": "fewer than 10"},
            {
                "group": "Camp Counselor/ Summer Program Staff Support",
                "seats": 404,
                "first_choices": 174,
                "placed": 222,
            },
        ],
        "commute": [
            {"group": "0-10 min", "placed": 129, "placement_rate": None},
            {"group": "10-20 min", "placed": 177, "placement_rate": None},
            {"group": "20-30 min", "placed": 121, "placement_rate": None},
        ],
        "returning": {
            "returning": 195,
            "returning_placed": 156,
            "placed_both_seasons": 109,
            "same_employer": "fewer than 10",
            "different_category": 59,
            "completed_again": 74,
        },
    },
)


_PARAMETERS: dict[str, Any] = {
    "commute": {
        "max_minutes": 40.0,
        "walking_speed_kmh": 4.8,
        "transit_speed_kmh": 16.0,
        "transit_wait_minutes": 6.0,
        "walk_detour_factor": 1.3,
        "transit_detour_factor": 1.3,
        "max_walk_to_stop_m": 800.0,
    },
    "weights": {
        "travel_weight": 5.0,
        "interest_weight": 1.0,
        "first_choice_points": 5.0,
        "second_choice_points": 3.0,
        "third_choice_points": 2.0,
        "other_interest_points": 1.0,
        "not_listed_points": 0.0,
    },
    "candidates_per_youth": 0,
}

APPROVED_RUN: dict[str, Any] = {
    "id": 12,
    "season": "2026",
    "round": 1,
    "mechanism": "optimal",
    "parameters": _PARAMETERS,
    "seed": 1804289383,
    "input_checksum": "9f2c6d0a41b7e3c58d1f0a6b2e4c7d9f1a3b5c7e9d0f2a4b6c8e0d1f3a5b7c9e",
    "what_if": None,
    "status": "finished",
    "message": "",
    "created_at": "2026-05-04T14:02:11.512000Z",
    "started_at": "2026-05-04T14:02:12.031000Z",
    "finished_at": "2026-05-04T14:02:19.874000Z",
    "approved": True,
    "approved_at": "2026-05-05T09:15:40.220000Z",
    "superseded_by": None,
    "figures": {
        "youth_considered": 742,
        "eligible": 742,
        "direct_hires": 38,
        "direct_hires_not_placed": 2,
        "seats": 560,
        "seats_filled": 548,
        "placed": 548,
        "unplaced": 194,
        "placement_rate": 0.7385,
        "mean_commute_minutes": 21.4,
        "median_commute_minutes": 19.8,
        "p90_commute_minutes": 34.6,
        "total_score": 4489.2,
        "mean_score": 8.802,
        "candidate_pairs": 61873,
        "blocking_pairs": 41,
        "greedy_placed": 517,
        "greedy_total_score": 3921.7,
        "placed_over_greedy": 31,
        "total_score_over_greedy": 567.5,
        "by_neighbourhood": [
            {
                "group": "Dorchester",
                "youth": 168,
                "placed": 131,
                "placement_rate": 0.7798,
                "mean_score": 8.951,
                "mean_commute_minutes": 19.2,
                "median_commute_minutes": 17.9,
                "p90_commute_minutes": 31.0,
            },
            {
                "group": "Harbor Islands",
                "youth": "fewer than 10",
                "placed": "fewer than 10",
                "placement_rate": None,
                "mean_score": None,
                "mean_commute_minutes": None,
                "median_commute_minutes": None,
                "p90_commute_minutes": None,
            },
        ],
        "by_age_band": [
            {
                "group": "16-17",
                "youth": 301,
                "placed": 228,
                "placement_rate": 0.7575,
                "mean_score": 8.874,
                "mean_commute_minutes": 21.0,
                "median_commute_minutes": 19.5,
                "p90_commute_minutes": 33.9,
            }
        ],
        "by_gender": [
            {
                "group": "female",
                "youth": 389,
                "placed": 292,
                "placement_rate": 0.7506,
                "mean_score": 8.833,
                "mean_commute_minutes": 21.1,
                "median_commute_minutes": 19.6,
                "p90_commute_minutes": 34.2,
            }
        ],
    },
}

QUEUED_RUN: dict[str, Any] = {
    **APPROVED_RUN,
    "id": 14,
    "round": 2,
    "mechanism": "stable",
    "seed": 846930886,
    "input_checksum": "",
    "status": "queued",
    "created_at": "2026-05-19T10:30:02.114000Z",
    "started_at": None,
    "finished_at": None,
    "approved": False,
    "approved_at": None,
    "figures": None,
}

MATCH_RUN_LIST = [
    OpenApiExample(
        "An approved run",
        summary="A season's approved round-1 run with its figures",
        description="A page of runs; each group with fewer than 10 youth shows no figure derived from it.",
        value=APPROVED_RUN,
        response_only=True,
    )
]

MATCH_RUN_RETRIEVE = [
    OpenApiExample("An approved run", summary="A finished, approved run", value=APPROVED_RUN, response_only=True),
    OpenApiExample(
        "A queued run",
        summary="A run waiting for a worker: no figures yet",
        value=QUEUED_RUN,
        response_only=True,
    ),
]
