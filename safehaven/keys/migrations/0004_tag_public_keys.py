"""Tag every stored public key (keys/public_key_tags.py): the rows that exist are tagged as
they are now, under ``SAFEHAVEN_PUBLIC_KEY_TAG_KEY``; from here on a key without its tag is
refused before anything is wrapped to it."""

from typing import Any

from django.db import migrations

import safehaven.keys.public_key_tags
from safehaven.keys.public_key_tags import PublicKeyKind, public_key_tag

BATCH_SIZE = 500

# (model, the field of its public key, its kind, the fields that name its owner)
TAGGED = [
    ("userkeypair", "public_key", PublicKeyKind.USER, ("user_id",)),
    ("escrowkey", "public_key", PublicKeyKind.ESCROW, ("organisation_id",)),
    ("teamkey", "public_key", PublicKeyKind.TEAM, ("team_id", "version")),
    ("recordkey", "inbox_public_key", PublicKeyKind.RECORD_INBOX, ("record_id", "key_id")),
]


def tag_existing_keys(apps: Any, schema_editor: Any) -> None:
    using = schema_editor.connection.alias
    for model_name, key_field, kind, owner_fields in TAGGED:
        model = apps.get_model("keys", model_name)
        rows = model.objects.using(using).only("pk", key_field, *owner_fields).order_by("pk")
        batch = []
        for row in rows.iterator(chunk_size=BATCH_SIZE):
            owner = [getattr(row, field) for field in owner_fields]
            row.public_key_tag = public_key_tag(kind, owner, bytes(getattr(row, key_field)))
            batch.append(row)
            if len(batch) == BATCH_SIZE:
                model.objects.using(using).bulk_update(batch, ["public_key_tag"])
                batch = []
        model.objects.using(using).bulk_update(batch, ["public_key_tag"])


class Migration(migrations.Migration):
    dependencies = [
        ("keys", "0003_duress_renewal"),
    ]

    operations = [
        migrations.AddField(
            model_name="escrowkey",
            name="public_key_tag",
            field=safehaven.keys.public_key_tags.PublicKeyTagField(
                default=b"", editable=False, max_length=32
            ),
        ),
        migrations.AddField(
            model_name="recordkey",
            name="public_key_tag",
            field=safehaven.keys.public_key_tags.PublicKeyTagField(
                default=b"", editable=False, max_length=32
            ),
        ),
        migrations.AddField(
            model_name="teamkey",
            name="public_key_tag",
            field=safehaven.keys.public_key_tags.PublicKeyTagField(
                default=b"", editable=False, max_length=32
            ),
        ),
        migrations.AddField(
            model_name="userkeypair",
            name="public_key_tag",
            field=safehaven.keys.public_key_tags.PublicKeyTagField(
                default=b"", editable=False, max_length=32
            ),
        ),
        migrations.RunPython(tag_existing_keys, migrations.RunPython.noop, elidable=False),
    ]
