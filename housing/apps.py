from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "housing"
    verbose_name = "Washington DC affordable housing"

    def ready(self) -> None:
        # Importing the schema module registers the DC datasets with the ingestion machinery.
        from cities.registry import city_app_register
        from cities.services import register_app_demo_loader
        from housing import ingest  # noqa: F401
        from housing.impact import housing_impact
        from housing.services import housing_demo_data_load

        register_app_demo_loader(self.label, housing_demo_data_load)
        city_app_register(
            app_label=self.label, city_slug="washington-dc", home_url_name="housing:home", impact=housing_impact
        )
