"""Blank the address and browser allauth kept for existing staff sessions (new sessions keep
none: ``accounts.signals.keep_no_address_for_a_session``)."""

from typing import Any

from django.db import migrations


def forget_session_addresses(apps: Any, schema_editor: Any) -> None:
    user_session = apps.get_model("usersessions", "UserSession")
    user_session.objects.using(schema_editor.connection.alias).update(ip="::", user_agent="")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_invite_code_and_forced_password_change"),
        ("usersessions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forget_session_addresses, migrations.RunPython.noop, elidable=True),
    ]
