from django.apps import AppConfig


class CourtsConfig(AppConfig):
    name = "courts"
    verbose_name = "St. Louis municipal courts"

    def ready(self) -> None:
        # Importing the schema module registers the St. Louis datasets with the ingestion machinery.
        from cities.services import register_app_demo_loader
        from courts import ingest  # noqa: F401
        from courts.services import courts_demo_data_load

        register_app_demo_loader(self.label, courts_demo_data_load)

        from cities.staff_home import register_waiting_work
        from courts.waiting import WAITING_WORK

        register_waiting_work(*WAITING_WORK)

        from cities.audit import audit_register
        from courts.models import Story

        audit_register(Story)
