"""Boston supervisors plan a season: they create one (copied from the last) and edit its
positions before its first approved run."""

from django.db import migrations

from cities.roles import RoleShare, roles_install

# The supervisors' share as it is from this migration on (migrations keep their own data).
SHARES = (
    RoleShare(
        "Boston summer jobs supervisors",
        "youthjobs",
        (
            "view_season",
            "view_applicant",
            "view_eligibility",
            "view_site",
            "view_position",
            "view_directhire",
            "view_matchrun",
            "view_placement",
            "view_placementevent",
            "view_applicantnote",
            "view_eligibilityfact",
            "add_matchrun",
            "change_placement",
            "add_applicantnote",
            "add_eligibilityfact",
            "approve_matchrun",
            "add_season",
            "change_position",
        ),
    ),
)


def install_roles(apps, schema_editor):
    roles_install(apps=apps, shares=SHARES)


class Migration(migrations.Migration):
    dependencies = [("youthjobs", "0005_applicant_person_id_and_what_if_runs")]

    operations = [migrations.RunPython(install_roles, migrations.RunPython.noop)]
