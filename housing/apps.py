from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "housing"
    verbose_name = "Washington DC affordable housing"

    def ready(self) -> None:
        # Importing the schema module registers the DC datasets with the ingestion machinery.
        from cities.services import register_app_demo_loader
        from housing import ingest  # noqa: F401
        from housing.services import housing_demo_data_load

        register_app_demo_loader(self.label, housing_demo_data_load)

        from cities.staff_home import register_waiting_work
        from housing.waiting import WAITING_WORK

        register_waiting_work(*WAITING_WORK)

        from cities.audit import audit_register
        from housing.models import Meeting, ProjectNote, WatchlistEntry

        audit_register(ProjectNote)
        audit_register(WatchlistEntry)
        audit_register(Meeting)
