from django.apps import AppConfig


class CourtsConfig(AppConfig):
    name = "courts"
    verbose_name = "St. Louis municipal courts"

    def ready(self) -> None:
        # Importing the schema module registers the St. Louis datasets with the ingestion machinery.
        from cities.registry import city_app_register
        from cities.services import register_app_demo_loader
        from courts import ingest  # noqa: F401
        from courts.impact import courts_impact
        from courts.services import courts_demo_data_load

        register_app_demo_loader(self.label, courts_demo_data_load)
        city_app_register(app_label=self.label, city_slug="st-louis", home_url_name="courts:home", impact=courts_impact)
