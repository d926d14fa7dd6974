"""The core app's configuration: on start-up it registers the core's datasets, checks and waiting work."""

from django.apps import AppConfig


class CitiesConfig(AppConfig):
    name = "cities"
    verbose_name = "Cities' collaborative"

    def ready(self) -> None:
        # Importing the schema module registers the core's datasets and their checks.
        from cities import checks, datasets  # noqa: F401
        from cities.staff_home import register_waiting_work
        from cities.waiting import WAITING_WORK

        register_waiting_work(*WAITING_WORK)

        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        from cities.audit import audit_register
        from cities.models import ApiToken, City, Dataset, Grant, IngestionRun, Organization, Partnership

        # The catalogue is ingested and kept by hand: an edit in the admin is recorded.
        for catalogue_model in (City, Organization, Partnership, Grant, Dataset):
            audit_register(catalogue_model)
        # The worker's progress on a run is its own; staff's part is offering the file.
        audit_register(IngestionRun, include_fields=["dataset", "file_name", "file_checksum", "requested_by", "status"])
        # Who was given which role, and by whom.
        audit_register(
            get_user_model(), exclude_fields=["password", "last_login"], m2m_fields={"groups", "user_permissions"}
        )
        audit_register(Group, m2m_fields={"permissions"})
        audit_register(ApiToken, exclude_fields=["digest"])
