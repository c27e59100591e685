"""Tag every team key wrap (keys/wrap_tags.py): the rows that exist are tagged as they are now,
under a key derived from ``SAFEHAVEN_PUBLIC_KEY_TAG_KEY``; from here on a wrap without its tag
does not count as holding its version (a rotation does not hand the next one to its user)."""

from typing import Any

from django.db import migrations, models

from safehaven.keys.wrap_tags import team_key_wrap_tag

BATCH_SIZE = 500


def tag_existing_wraps(apps: Any, schema_editor: Any) -> None:
    using = schema_editor.connection.alias
    model = apps.get_model("keys", "teamkeywrap")
    rows = model.objects.using(using).only("pk", "team_key", "user", "escrow", "wrapped")
    batch = []
    for row in rows.order_by("pk").iterator(chunk_size=BATCH_SIZE):
        row.tag = team_key_wrap_tag(
            row.team_key_id, user_id=row.user_id, escrow_id=row.escrow_id, wrapped=row.wrapped
        )
        batch.append(row)
        if len(batch) == BATCH_SIZE:
            model.objects.using(using).bulk_update(batch, ["tag"])
            batch = []
    model.objects.using(using).bulk_update(batch, ["tag"])


class Migration(migrations.Migration):
    dependencies = [
        ("keys", "0007_bind_team_kind_into_team_key_tag"),
    ]

    operations = [
        migrations.AddField(
            model_name="teamkeywrap",
            name="tag",
            field=models.BinaryField(default=b"", max_length=32),
        ),
        migrations.RunPython(tag_existing_wraps, migrations.RunPython.noop, elidable=False),
    ]
