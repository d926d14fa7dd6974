"""A young person's id across seasons (existing applicants keep their applicant id as it),
one application per person and season, and what-if match runs that are never approved."""

from __future__ import annotations

from django.db import migrations, models
from django.db.models import F, Q


def person_ids_from_applicant_ids(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    apps.get_model("youthjobs", "Applicant").objects.update(person_id=F("applicant_id"))


class Migration(migrations.Migration):
    dependencies = [("youthjobs", "0004_staff_roles")]

    operations = [
        migrations.AddField(
            model_name="applicant",
            name="person_id",
            field=models.CharField(
                db_index=True,
                default="",
                help_text="The same young person's id in every season.",
                max_length=20,
                verbose_name="person id",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(person_ids_from_applicant_ids, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="applicant",
            constraint=models.UniqueConstraint(
                fields=("season", "person_id"), name="applicant_one_application_per_season"
            ),
        ),
        migrations.AddField(
            model_name="matchrun",
            name="what_if",
            field=models.JSONField(
                blank=True, default=dict, help_text="What a what-if run changed; empty for a run that may be approved."
            ),
        ),
        migrations.AddConstraint(
            model_name="matchrun",
            constraint=models.CheckConstraint(
                condition=Q(what_if={}) | Q(approved_at__isnull=True), name="match_run_what_if_never_approved"
            ),
        ),
    ]
