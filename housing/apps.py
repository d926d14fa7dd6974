"""The DC housing app's configuration: its one registration with the core (`cities.registry`):
resident services, impact, waiting work, demo data, audit trail and roles."""

from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousingConfig(AppConfig):
    name = "housing"
    verbose_name = _("Washington DC affordable housing")

    def ready(self) -> None:
        # Importing the schema module registers the DC datasets with the ingestion machinery.
        from cities.registry import AppDemo, AuditedModel, PortalApp, ResidentService, portal_app_register
        from housing import ingest  # noqa: F401
        from housing.impact import housing_impact
        from housing.models import Meeting, ProjectNote, WatchlistEntry
        from housing.roles import ROLE_SHARES
        from housing.services import housing_demo_files
        from housing.waiting import WAITING_WORK

        portal_app_register(
            PortalApp(
                label=self.label,
                city_slug="washington-dc",
                home_url_name="housing:home",
                resident_services=(
                    ResidentService(
                        title=_("DC affordable housing"),
                        summary=_(
                            "See which subsidised homes may stop being affordable, where, and when their subsidies end."
                        ),
                        url_name="housing:home",
                        order=20,
                    ),
                ),
                impact=housing_impact,
                waiting_work=WAITING_WORK,
                demo=AppDemo(order=30, catalogue=Path(self.path) / "demo" / "datasets.csv", files=housing_demo_files),
                audited=(AuditedModel(ProjectNote), AuditedModel(WatchlistEntry), AuditedModel(Meeting)),
                role_shares=ROLE_SHARES,
            )
        )
