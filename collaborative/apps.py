"""The collaborative app's configuration: registers its datasets, audit trail and demo loader."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollaborativeConfig(AppConfig):
    name = "collaborative"
    verbose_name = _("The collaborative: ecosystems and learning")

    def ready(self) -> None:
        # Importing the schema module registers the ecosystem datasets with the ingestion machinery.
        from cities.registry import AppDemo, AuditedModel, CityLink, NavLink, PortalApp, portal_app_register
        from collaborative import ingest  # noqa: F401
        from collaborative.models import EcosystemMember, Relationship
        from collaborative.services import collaborative_demo_files, collaborative_examples_load

        # Not a city app: no city; it links its pages from the site's navigation and every city's page.
        portal_app_register(
            PortalApp(
                label=self.label,
                demo=AppDemo(order=10, files=collaborative_demo_files, after=collaborative_examples_load),
                # Staff edit the maps by hand as well as by file: each hand edit is kept in the audit trail.
                audited=(AuditedModel(EcosystemMember), AuditedModel(Relationship)),
                nav_links=(
                    NavLink(_("Impact"), "collaborative:impact"),
                    NavLink(_("Lessons"), "collaborative:lesson-list"),
                ),
                city_links=(
                    CityLink(_("{city}'s civic tech and data ecosystem map"), "collaborative:ecosystem"),
                    CityLink(_("{city}'s peer learning and open actions"), "collaborative:learning"),
                    CityLink(
                        _("What {city} can adopt from the core cities"),
                        "collaborative:adopt-list",
                        with_slug=False,
                        only_without_app=True,
                    ),
                    CityLink(_("What {city} achieved"), "collaborative:city-impact"),
                ),
            )
        )
