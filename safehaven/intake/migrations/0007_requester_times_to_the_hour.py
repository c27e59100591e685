"""Messages and the times of a requester's actions on a request keep the hour only
(core.coarse_time); the rows written before are cut to the hour too (written out here: a
migration must not change with the code)."""

from datetime import UTC

from django.db import migrations, models

import safehaven.core.coarse_time


def _keep_only_the_hour(model, *field_names):
    changed = []
    for row in model._default_manager.only("pk", *field_names).iterator(chunk_size=500):
        values = {name: getattr(row, name) for name in field_names}
        coarse = {
            name: value.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
            for name, value in values.items()
            if value is not None
        }
        if any(values[name] != value for name, value in coarse.items()):
            for name, value in coarse.items():
                setattr(row, name, value)
            changed.append(row)
    model._default_manager.bulk_update(changed, field_names, batch_size=500)


def cut_stored_times_to_the_hour(apps, schema_editor):
    _keep_only_the_hour(apps.get_model("intake", "RequestMessage"), "created_at")
    _keep_only_the_hour(
        apps.get_model("intake", "HelpRequest"),
        "unread_since",
        "withdrawn_at",
        "shred_due_at",
        "shredded_at",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0006_check_in_acknowledgement"),
    ]

    operations = [
        migrations.AlterField(
            model_name="requestmessage",
            name="created_at",
            field=models.DateTimeField(default=safehaven.core.coarse_time.this_hour),
        ),
        migrations.RunPython(cut_stored_times_to_the_hour, migrations.RunPython.noop),
    ]
