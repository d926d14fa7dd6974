from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("housing", "0013_owners_keep_their_project_ids"),
    ]

    operations = [
        migrations.AddField(
            model_name="riskassessment",
            name="content_digest",
            field=models.BigIntegerField(
                editable=False,
                help_text="A 64-bit digest of the level, flags, end and units (`housing.risk.content_digests`).",
                null=True,
            ),
        ),
    ]
