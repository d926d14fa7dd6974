"""The collaborative app's configuration: registers its datasets, audit trail and demo loader."""

from django.apps import AppConfig


class CollaborativeConfig(AppConfig):
    name = "collaborative"
    verbose_name = "The collaborative: ecosystems and learning"

    def ready(self) -> None:
        # Importing the schema module registers the ecosystem datasets with the ingestion machinery.
        from cities.audit import audit_register
        from cities.services import register_app_demo_loader
        from collaborative import ingest  # noqa: F401
        from collaborative.models import EcosystemMember, Relationship
        from collaborative.services import collaborative_demo_data_load

        register_app_demo_loader(self.label, collaborative_demo_data_load)
        # Staff edit the maps by hand as well as by file: each hand edit is kept in the audit trail.
        audit_register(EcosystemMember)
        audit_register(Relationship)
