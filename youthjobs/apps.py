from django.apps import AppConfig


class YouthjobsConfig(AppConfig):
    name = "youthjobs"
    verbose_name = "Boston summer jobs"

    def ready(self) -> None:
        # Importing the schema module registers the summer jobs datasets with the ingestion machinery.
        from cities.registry import city_app_register
        from cities.services import register_app_demo_loader
        from youthjobs import ingest  # noqa: F401
        from youthjobs.impact import youthjobs_impact
        from youthjobs.services import youthjobs_demo_data_load

        register_app_demo_loader(self.label, youthjobs_demo_data_load)
        city_app_register(
            app_label=self.label, city_slug="boston", home_url_name="youthjobs:home", impact=youthjobs_impact
        )
