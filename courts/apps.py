"""The St. Louis courts app's configuration: its one registration with the core (`cities.registry`):
resident services, impact, waiting work, demo data, audit trail and roles."""

from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CourtsConfig(AppConfig):
    name = "courts"
    verbose_name = _("St. Louis municipal courts")

    def ready(self) -> None:
        # Importing the schema module registers the St. Louis datasets with the ingestion machinery.
        from cities.registry import AppDemo, AuditedModel, PortalApp, ResidentService, portal_app_register
        from courts import ingest  # noqa: F401
        from courts.impact import courts_impact
        from courts.models import Story
        from courts.roles import ROLE_SHARES
        from courts.services import courts_demo_files, demo_tickets_write_today
        from courts.sms import court_date_reply
        from courts.views import privacy_section
        from courts.waiting import WAITING_WORK

        portal_app_register(
            PortalApp(
                label=self.label,
                city_slug="st-louis",
                home_url_name="courts:home",
                resident_services=(
                    ResidentService(
                        title=_("Find my ticket"),
                        summary=_(
                            "Look up a municipal court ticket, see what you owe and when your court date is, "
                            "and what to do next."
                        ),
                        url_name="courts:find-ticket",
                        order=10,
                    ),
                ),
                impact=courts_impact,
                waiting_work=WAITING_WORK,
                demo=AppDemo(
                    order=20,
                    catalogue=Path(self.path) / "demo" / "datasets.csv",
                    files=courts_demo_files,
                    after=demo_tickets_write_today,
                ),
                sms_reply_handler=court_date_reply,
                audited=(AuditedModel(Story),),
                role_shares=ROLE_SHARES,
                privacy_section=privacy_section,
            )
        )
