"""A suspension's reason becomes one of a fixed list. Free text written before is replaced by
"other" (its words are dropped: an unsealed column must hold nothing about a person)."""

from typing import Any

from django.db import migrations, models

KNOWN_REASONS = ["left", "security_concern", "lost_device", "on_leave", "other"]


def replace_free_text_with_other(apps: Any, schema_editor: Any) -> None:
    user = apps.get_model("accounts", "User")
    user.objects.using(schema_editor.connection.alias).exclude(suspension_reason="").exclude(
        suspension_reason__in=KNOWN_REASONS
    ).update(suspension_reason="other")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_forget_session_addresses"),
    ]

    operations = [
        # Before the column shrinks: PostgreSQL refuses to cut longer values short.
        migrations.RunPython(replace_free_text_with_other, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="suspension_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("left", "Left the organisation"),
                    ("security_concern", "Security concern"),
                    ("lost_device", "Lost or stolen device"),
                    ("on_leave", "On leave"),
                    ("other", "Other"),
                ],
                max_length=20,
            ),
        ),
    ]
