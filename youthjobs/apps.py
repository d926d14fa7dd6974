"""The Boston summer jobs app's configuration: registers its datasets, audit trail and demo loader
with the core."""

from django.apps import AppConfig


class YouthjobsConfig(AppConfig):
    name = "youthjobs"
    verbose_name = "Boston summer jobs"

    def ready(self) -> None:
        # Importing the schema module registers the summer jobs datasets with the ingestion machinery.
        from cities.audit import audit_register
        from cities.registry import city_app_register
        from cities.services import register_app_demo_loader
        from cities.staff_home import register_waiting_work
        from youthjobs import ingest  # noqa: F401
        from youthjobs.impact import youthjobs_impact
        from youthjobs.models import MatchRun, Placement
        from youthjobs.services import youthjobs_demo_data_load
        from youthjobs.waiting import WAITING_WORK

        register_app_demo_loader(self.label, youthjobs_demo_data_load)
        register_waiting_work(*WAITING_WORK)
        audit_register(MatchRun, exclude_fields=["progress", "timings", "summary", "input_checksum"])
        audit_register(Placement)
        city_app_register(
            app_label=self.label, city_slug="boston", home_url_name="youthjobs:home", impact=youthjobs_impact
        )
