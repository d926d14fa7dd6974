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
