"""Re-seal every stored TOTP secret and recovery-code seed bound to its row's user
(safehaven/accounts/mfa_secrets.py): a value copied to another user's row no longer opens.
Reversible: back to the unbound v1 form."""

import base64

from django.conf import settings
from django.db import migrations

from safehaven.core.crypto import decrypt_with_key, derive_key, encrypt_with_key
from safehaven.keys.wrapping import binding

UNBOUND_AAD = b"totp-secret"


def _key():
    return derive_key(settings.SECRET_KEY.encode(), "safehaven totp secrets v1")


def _to_bound(value, user_id):
    if not isinstance(value, str) or not value.startswith("v1:"):
        return value
    text = decrypt_with_key(_key(), base64.b64decode(value[3:]), UNBOUND_AAD)
    blob = encrypt_with_key(_key(), text, binding("mfa-secret", user_id))
    return f"v2:{int(user_id)}:{base64.b64encode(blob).decode()}"


def _to_unbound(value, user_id):
    if not isinstance(value, str) or not value.startswith(f"v2:{int(user_id)}:"):
        return value
    blob = base64.b64decode(value.rsplit(":", 1)[1])
    text = decrypt_with_key(_key(), blob, binding("mfa-secret", user_id))
    return "v1:" + base64.b64encode(encrypt_with_key(_key(), text, UNBOUND_AAD)).decode()


def _convert(apps, convert):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.all().iterator():
        data = authenticator.data
        if not isinstance(data, dict):
            continue
        for name in ("secret", "seed"):
            if name in data:
                data[name] = convert(data[name], authenticator.user_id)
        if isinstance(data.get("migrated_codes"), list):
            data["migrated_codes"] = [
                convert(code, authenticator.user_id) for code in data["migrated_codes"]
            ]
        Authenticator.objects.filter(pk=authenticator.pk).update(data=data)


def bind(apps, schema_editor):
    _convert(apps, _to_bound)


def unbind(apps, schema_editor):
    _convert(apps, _to_unbound)


class Migration(migrations.Migration):
    dependencies = [
        ("keys", "0005_record_key_times_to_the_hour"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(bind, unbind)]
