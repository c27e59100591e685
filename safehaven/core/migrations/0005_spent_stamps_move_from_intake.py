"""The proof-of-work stamp model moves from intake to core (``core/public_forms``), keeping its
table: in Django's state only, nothing in the database changes. Intake's 0008 drops it from
intake's state after this one."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_audit_events_for_approvals_and_alarms"),
        # The table exists from here on, fresh database or old.
        ("intake", "0003_spentstamp"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SpentStamp",
                    fields=[
                        (
                            "nonce",
                            models.CharField(max_length=64, primary_key=True, serialize=False),
                        ),
                        ("expires_unix", models.BigIntegerField(db_index=True)),
                    ],
                    options={"db_table": "intake_spentstamp"},
                ),
            ],
            database_operations=[],
        ),
    ]
