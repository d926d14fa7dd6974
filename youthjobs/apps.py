"""The Boston summer jobs app's configuration: its one registration with the core (`cities.registry`):
resident services, impact, waiting work, demo data, audit trail and roles."""

from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YouthjobsConfig(AppConfig):
    name = "youthjobs"
    verbose_name = _("Boston summer jobs")

    def ready(self) -> None:
        # Importing the schema module registers the summer jobs datasets with the ingestion machinery.
        from cities.registry import AppDemo, AuditedModel, PortalApp, ResidentService, portal_app_register
        from youthjobs import ingest, ingest_past_positions  # noqa: F401
        from youthjobs.demo import youthjobs_demo_after
        from youthjobs.figures_version import figures_watch
        from youthjobs.impact import youthjobs_impact
        from youthjobs.models import MatchRun, Placement, Position
        from youthjobs.roles import ROLE_SHARES
        from youthjobs.services import youthjobs_demo_files
        from youthjobs.views import privacy_section
        from youthjobs.waiting import WAITING_WORK

        figures_watch()
        portal_app_register(
            PortalApp(
                label=self.label,
                city_slug="boston",
                home_url_name="youthjobs:home",
                resident_services=(
                    ResidentService(
                        title=_("Boston summer jobs"),
                        summary=_(
                            "See the season's open summer jobs and how young people are placed, "
                            "and check your own offer."
                        ),
                        url_name="youthjobs:home",
                        order=30,
                    ),
                ),
                impact=youthjobs_impact,
                waiting_work=WAITING_WORK,
                demo=AppDemo(
                    order=40,
                    catalogue=Path(self.path) / "demo" / "datasets.csv",
                    files=youthjobs_demo_files,
                    after=youthjobs_demo_after,
                ),
                audited=(
                    AuditedModel(MatchRun, {"exclude_fields": ["progress", "timings", "summary", "input_checksum"]}),
                    AuditedModel(Placement),
                    # Staff edit a new season's positions in the admin: every edit is in the audit trail.
                    AuditedModel(Position),
                ),
                role_shares=ROLE_SHARES,
                privacy_section=privacy_section,
            )
        )
