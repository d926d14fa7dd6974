"""Boston's share of the portal's roles (see cities/roles.py): staff run matching and review
placements; only supervisors approve a run, which turns its proposals into offers."""

from __future__ import annotations

from cities.roles import CITY_DATA_STEWARD_UPLOADS, PARTNERS, RoleShare, upload_codenames, view_codenames

BOSTON_STAFF = "Boston summer jobs staff"
BOSTON_SUPERVISORS = "Boston summer jobs supervisors"
BOSTON_DATA_STEWARDS = "Boston data stewards"

_STAFF_WORK = (
    *view_codenames(
        "season",
        "applicant",
        "eligibility",
        "site",
        "position",
        "directhire",
        "matchrun",
        "placement",
        "placementevent",
        "applicantnote",
        "eligibilityfact",
    ),
    "add_matchrun",
    "change_placement",
    "add_applicantnote",
    "add_eligibilityfact",
)

ROLE_SHARES = (
    RoleShare(BOSTON_STAFF, "youthjobs", _STAFF_WORK),
    # Planning a season (a new one copied from the last, its positions edited) is a supervisor's.
    RoleShare(BOSTON_SUPERVISORS, "youthjobs", (*_STAFF_WORK, "approve_matchrun", "add_season", "change_position")),
    # Partners' tokens see aggregates: a run's parameters and figures (small cells suppressed), not
    # its placements.
    RoleShare(PARTNERS, "youthjobs", view_codenames("season", "site", "position", "matchrun")),
    RoleShare(
        BOSTON_DATA_STEWARDS,
        "youthjobs",
        upload_codenames("season", "site", "position", "applicant", "directhire"),
    ),
    RoleShare(BOSTON_DATA_STEWARDS, "cities", CITY_DATA_STEWARD_UPLOADS),
)
