"""From now on an audit row's id is its sequence number (``core/audit.py``: the row hash covers
the id, and knowing it before the insert lets the row be written once). Rows written before
got ids from the database; on SQLite they equal their sequence, on PostgreSQL a rolled-back
insert leaves a gap. A database where they differ would see new rows collide with old ids,
so it is refused here, with the reason, instead of failing on some later change."""

from django.db import migrations
from django.db.models import F


def check_ids(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    differing = AuditEvent.objects.using(schema_editor.connection.alias).exclude(id=F("sequence"))
    if differing.exists():
        raise RuntimeError(
            f"{differing.count()} audit rows have an id other than their sequence number. This "
            "version numbers audit rows by sequence; move the existing log aside (export it and "
            "its anchors, then start a new chain) before upgrading."
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(check_ids, migrations.RunPython.noop)]
