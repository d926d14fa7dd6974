"""The DC housing app's configuration: registers its datasets, audit trail and demo loader with
the core."""

from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "housing"
    verbose_name = "Washington DC affordable housing"

    def ready(self) -> None:
        # Importing the schema module registers the DC datasets with the ingestion machinery.
        from cities.audit import audit_register
        from cities.registry import city_app_register
        from cities.services import register_app_demo_loader
        from cities.staff_home import register_waiting_work
        from housing import ingest  # noqa: F401
        from housing.impact import housing_impact
        from housing.models import Meeting, ProjectNote, WatchlistEntry
        from housing.services import housing_demo_data_load
        from housing.waiting import WAITING_WORK

        register_app_demo_loader(self.label, housing_demo_data_load)
        register_waiting_work(*WAITING_WORK)
        audit_register(ProjectNote)
        audit_register(WatchlistEntry)
        audit_register(Meeting)
        city_app_register(
            app_label=self.label, city_slug="washington-dc", home_url_name="housing:home", impact=housing_impact
        )
