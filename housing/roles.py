"""Washington DC's share of the portal's roles (see cities/roles.py): staff follow the
preservation risk, keep the watchlist and the project notes, and prepare the meetings."""

from __future__ import annotations

from cities.roles import CITY_DATA_STEWARD_UPLOADS, PARTNERS, RoleShare, upload_codenames, view_codenames

DC_STAFF = "DC housing staff"
DC_DATA_STEWARDS = "DC data stewards"

ROLE_SHARES = (
    RoleShare(
        DC_STAFF,
        "housing",
        (
            *view_codenames(
                "owner",
                "project",
                "subsidy",
                "inspectionscore",
                "parcel",
                "realpropertyevent",
                "marketindicator",
                "riskassessment",
                "riskrefresh",
                "meeting",
                "watchlistentry",
                "projectnote",
            ),
            "add_watchlistentry",
            "change_watchlistentry",
            "delete_watchlistentry",
            "add_projectnote",
            # Marking a note entered in error; its text never changes.
            "change_projectnote",
            "add_meeting",
            "change_meeting",
        ),
    ),
    # Owners and parcels may name people: partners read the projects, not who owns them.
    RoleShare(
        PARTNERS,
        "housing",
        view_codenames(
            "project", "subsidy", "inspectionscore", "realpropertyevent", "marketindicator", "riskassessment"
        ),
    ),
    RoleShare(
        DC_DATA_STEWARDS,
        "housing",
        upload_codenames("project", "subsidy", "inspectionscore", "parcel", "realpropertyevent", "marketindicator"),
    ),
    RoleShare(DC_DATA_STEWARDS, "cities", CITY_DATA_STEWARD_UPLOADS),
)
