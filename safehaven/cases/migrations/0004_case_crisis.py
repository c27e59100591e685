import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_contact_and_support_log"),
        ("countries", "0002_load_shipped_facts"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="crisis",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="countries.crisis",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("crisis__isnull", False)),
                fields=["crisis"],
                name="cases_crisis",
            ),
        ),
    ]
