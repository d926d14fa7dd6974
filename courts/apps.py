"""The St. Louis courts app's configuration: registers its datasets, audit trail and demo loader
with the core."""

from django.apps import AppConfig


class CourtsConfig(AppConfig):
    name = "courts"
    verbose_name = "St. Louis municipal courts"

    def ready(self) -> None:
        # Importing the schema module registers the St. Louis datasets with the ingestion machinery.
        from cities.audit import audit_register
        from cities.registry import city_app_register
        from cities.services import register_app_demo_loader
        from cities.sms_inbound import register_sms_reply_handler
        from cities.staff_home import register_waiting_work
        from courts import ingest  # noqa: F401
        from courts.impact import courts_impact
        from courts.models import Story
        from courts.services import courts_demo_load
        from courts.sms import court_date_reply
        from courts.waiting import WAITING_WORK

        register_app_demo_loader(self.label, courts_demo_load)
        register_sms_reply_handler(court_date_reply)
        register_waiting_work(*WAITING_WORK)
        audit_register(Story)
        city_app_register(app_label=self.label, city_slug="st-louis", home_url_name="courts:home", impact=courts_impact)
