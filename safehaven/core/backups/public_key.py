"""The organisation's backup public key, from the settings or the environment.

``SAFEHAVEN_BACKUP_PUBLIC_KEY`` (or ``SAFEHAVEN_BACKUP_PUBLIC_KEY_FILE``): the URL-safe base64
public key printed by ``manage.py make_backup_key``, read with the strict readers of
``safehaven/env.py``. A ``BACKUP_PUBLIC_KEY`` setting (32 bytes), if settings.py defines one,
comes first. Only the public key is ever on the server: the private key stays offline.
"""

from __future__ import annotations

from django.conf import settings

from safehaven.env import BadSetting, Env

ENV_NAME = "SAFEHAVEN_BACKUP_PUBLIC_KEY"


def configured_public_key(env: Env | None = None) -> bytes:
    configured = getattr(settings, "BACKUP_PUBLIC_KEY", None)
    if configured:
        if not isinstance(configured, bytes) or len(configured) != 32:
            raise BadSetting("BACKUP_PUBLIC_KEY must be 32 bytes.")
        return configured
    env = env or Env()
    if not (
        env.environ.get(ENV_NAME, "").strip() or env.environ.get(f"{ENV_NAME}_FILE", "").strip()
    ):
        raise BadSetting(
            f"{ENV_NAME} (or {ENV_NAME}_FILE) must be set to the backup public key that "
            "`manage.py make_backup_key` printed."
        )
    return env.key_material(ENV_NAME)
