from typing import Any

from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce


def totals_from_the_projects(apps: Any, schema_editor: Any) -> None:
    """The owners already derived get the totals the next refresh would give them."""
    owner_model = apps.get_model("housing", "Owner")
    project_model = apps.get_model("housing", "Project")
    portfolio = project_model.objects.filter(owner=OuterRef("pk")).order_by().values("owner")
    owner_model.objects.update(
        project_count=Coalesce(Subquery(portfolio.annotate(total=Count("pk")).values("total")), 0),
        assisted_units=Subquery(portfolio.annotate(total=Sum("units_assisted_max")).values("total")),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("housing", "0010_records_know_their_ingestion_run"),
    ]

    operations = [
        migrations.AddField(
            model_name="owner",
            name="assisted_units",
            field=models.PositiveIntegerField(
                blank=True,
                editable=False,
                help_text="The most units assisted, summed over its projects; none when none records a number.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="owner",
            name="project_count",
            field=models.PositiveIntegerField(default=0, editable=False, help_text="How many projects it owns."),
        ),
        migrations.RunPython(totals_from_the_projects, migrations.RunPython.noop),
    ]
