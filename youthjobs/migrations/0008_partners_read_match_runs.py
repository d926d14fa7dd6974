"""Partners read Boston's match runs through the API: their parameters and aggregate figures
(small cells suppressed), no personal data; partners' tokens see aggregates."""

from django.db import migrations

from cities.roles import RoleShare, roles_install

# The partners' share as it is from this migration on (migrations keep their own data).
SHARES = (
    RoleShare(
        "Partners (API reads)",
        "youthjobs",
        ("view_season", "view_site", "view_position", "view_matchrun"),
    ),
)


def install_roles(apps, schema_editor):
    roles_install(apps=apps, shares=SHARES)


class Migration(migrations.Migration):
    dependencies = [("youthjobs", "0007_records_know_their_ingestion_run")]

    operations = [migrations.RunPython(install_roles, migrations.RunPython.noop)]
