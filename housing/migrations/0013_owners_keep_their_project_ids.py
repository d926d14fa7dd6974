from collections import defaultdict
from typing import Any

from django.db import migrations, models


def project_ids_from_the_projects(apps: Any, schema_editor: Any) -> None:
    """The owners already derived get the project ids the next refresh would give them."""
    owner_model = apps.get_model("housing", "Owner")
    project_model = apps.get_model("housing", "Project")
    project_ids: defaultdict[int, list[str]] = defaultdict(list)
    linked = project_model.objects.exclude(owner=None).order_by("nlihc_id").values_list("owner", "nlihc_id")
    for owner_id, nlihc_id in linked.iterator(chunk_size=5000):
        project_ids[owner_id].append(nlihc_id)
    owners = list(owner_model.objects.filter(pk__in=project_ids).only("pk"))
    for owner in owners:
        owner.project_ids = project_ids[owner.pk]
    owner_model.objects.bulk_update(owners, ["project_ids"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("housing", "0012_risk_refresh_record"),
    ]

    operations = [
        migrations.AddField(
            model_name="owner",
            name="project_ids",
            field=models.JSONField(default=list, editable=False, help_text="The NLIHC ids of its projects, in order."),
        ),
        migrations.RunPython(project_ids_from_the_projects, migrations.RunPython.noop),
    ]
