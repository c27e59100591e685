import django.db.models.deletion
from django.db import migrations, models

import safehaven.keys.fields


class Migration(migrations.Migration):
    dependencies = [
        ("countries", "0002_load_shipped_facts"),
        ("intake", "0012_thread_record_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="helprequest",
            name="place_region",
            field=safehaven.keys.fields.SealedField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="helprequest",
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
            model_name="helprequest",
            index=models.Index(
                condition=models.Q(("crisis__isnull", False)),
                fields=["crisis"],
                name="intake_request_crisis",
            ),
        ),
    ]
