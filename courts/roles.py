"""St. Louis's share of the portal's roles (see cities/roles.py): staff browse the court
data and moderate stories; only some of them see who a citation is about."""

from __future__ import annotations

from cities.roles import CITY_DATA_STEWARD_UPLOADS, PARTNERS, RoleShare, upload_codenames, view_codenames

ST_LOUIS_STAFF = "St. Louis courts staff"
ST_LOUIS_DEFENDANT_STAFF = "St. Louis courts staff with defendant details"
ST_LOUIS_DATA_STEWARDS = "St. Louis data stewards"

_PUBLIC_TABLES = (
    "municipality",
    "court",
    "municipalitycourt",
    "judge",
    "courtsurvey",
    "finescheduleentry",
    "courtquestion",
)
_STAFF_WORK = (
    *view_codenames(*_PUBLIC_TABLES, "citation", "violation", "warrant", "courtdate", "story", "remindersubscription"),
    "change_story",
)

ROLE_SHARES = (
    RoleShare(ST_LOUIS_STAFF, "courts", _STAFF_WORK),
    RoleShare(ST_LOUIS_DEFENDANT_STAFF, "courts", (*_STAFF_WORK, "view_defendant_details")),
    RoleShare(PARTNERS, "courts", view_codenames(*_PUBLIC_TABLES)),
    RoleShare(
        ST_LOUIS_DATA_STEWARDS,
        "courts",
        upload_codenames(*_PUBLIC_TABLES, "citation", "violation", "warrant", "courtdate"),
    ),
    RoleShare(ST_LOUIS_DATA_STEWARDS, "cities", CITY_DATA_STEWARD_UPLOADS),
)
