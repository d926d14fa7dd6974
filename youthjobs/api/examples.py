"""Examples of the Boston summer jobs API's answers, shown in its OpenAPI documentation.

Figures are consistent with each other (placed + unplaced = youth considered; a group with
fewer than 10 youth shows no rate), so a partner can read them as a real answer."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample

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

MATCH_RUN_LIST_EXAMPLES = [
    OpenApiExample(
        "An approved run",
        summary="A season's approved round-1 run with its figures",
        description="A page of runs; each group with fewer than 10 youth shows no figure derived from it.",
        value=APPROVED_RUN,
        response_only=True,
    )
]

MATCH_RUN_RETRIEVE_EXAMPLES = [
    OpenApiExample("An approved run", summary="A finished, approved run", value=APPROVED_RUN, response_only=True),
    OpenApiExample(
        "A queued run",
        summary="A run waiting for a worker: no figures yet",
        value=QUEUED_RUN,
        response_only=True,
    ),
]
