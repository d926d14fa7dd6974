"""The core app's configuration: on start-up it registers the core's datasets, checks and waiting work."""

from django.apps import AppConfig


class CitiesConfig(AppConfig):
    name = "cities"
    verbose_name = "Cities' collaborative"

    def ready(self) -> None:
        # Importing the schema module registers the core's datasets and their checks.
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        from cities import checks, datasets  # noqa: F401
        from cities.models import ApiToken, City, Dataset, Grant, IngestionRun, Organization, Partnership
        from cities.registry import AuditedModel, PortalApp, portal_app_register
        from cities.roles import ROLE_SHARES
        from cities.waiting import WAITING_WORK

        # The core registers like any app, first (INSTALLED_APPS): its waiting work leads the staff home.
        portal_app_register(
            PortalApp(
                label=self.label,
                waiting_work=WAITING_WORK,
                audited=(
                    # The catalogue is ingested and kept by hand: an edit in the admin is recorded.
                    *(AuditedModel(model) for model in (City, Organization, Partnership, Grant, Dataset)),
                    # The worker's progress on a run is its own; staff's part is offering the file.
                    AuditedModel(
                        IngestionRun,
                        {"include_fields": ["dataset", "file_name", "file_checksum", "requested_by", "status"]},
                    ),
                    # Who was given which role, and by whom.
                    AuditedModel(
                        get_user_model(),
                        {"exclude_fields": ["password", "last_login"], "m2m_fields": {"groups", "user_permissions"}},
                    ),
                    AuditedModel(Group, {"m2m_fields": {"permissions"}}),
                    AuditedModel(ApiToken, {"exclude_fields": ["digest"]}),
                ),
                role_shares=ROLE_SHARES,
            )
        )
