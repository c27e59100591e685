"""TOTP secrets and recovery-code seeds: encrypted, and bound to the user whose row holds them.

Why: docs/keys.md, "Duress password (T4)". How, since allauth's MFA adapter is not told whose
secret it encrypts:

* the adapter's ``encrypt`` produces a transient, unbound "v1" value;
* before an ``Authenticator`` row is saved, every v1 value in it is re-sealed as "v2" bound to
  the row's ``user_id`` (``v2:<user id>:<AES-GCM blob>``, the user id also in the AAD);
* when a row is loaded, a v2 value whose user id is not the row's own (or any v1 value: the
  migration converted the old ones) is replaced by a marker that ``decrypt`` refuses, and an
  error is logged. Editing the user id inside the value breaks the AAD instead.

Rows made before this change are converted by migration ``keys/0006_bind_mfa_secrets_to_user``.
"""

from __future__ import annotations

import base64
import binascii
import logging
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db.models.signals import post_init, pre_save
from django.dispatch import receiver

from safehaven.core.crypto import SealError, decrypt_with_key, derive_key, encrypt_with_key
from safehaven.keys.wrapping import binding

logger = logging.getLogger(__name__)

UNBOUND = "v1:"
BOUND = "v2:"
REFUSED = "refused:"
_UNBOUND_AAD = b"totp-secret"


def _key() -> bytes:
    return derive_key(settings.SECRET_KEY.encode(), "safehaven totp secrets v1")


def _aad(user_id: int) -> bytes:
    return binding("mfa-secret", user_id)


def seal_unbound(text: str) -> str:
    """What the adapter's ``encrypt`` returns: bound to a user when its row is saved."""
    return (
        UNBOUND + base64.b64encode(encrypt_with_key(_key(), text.encode(), _UNBOUND_AAD)).decode()
    )


def _open_unbound(value: str) -> str:
    blob = base64.b64decode(value.removeprefix(UNBOUND))
    return decrypt_with_key(_key(), blob, _UNBOUND_AAD).decode()


def seal_for_user(text: str, user_id: int) -> str:
    blob = encrypt_with_key(_key(), text.encode(), _aad(user_id))
    return f"{BOUND}{int(user_id)}:{base64.b64encode(blob).decode()}"


def _bound_user_id(value: str) -> int | None:
    head, separator, _blob = value.removeprefix(BOUND).partition(":")
    if not value.startswith(BOUND) or not separator or not head.isdigit():
        return None
    return int(head)


def open_sealed(value: str) -> str:
    """The adapter's ``decrypt``: only a bound value opens (under the user id it names, which
    :func:`_refuse_foreign_secrets` has checked against the row)."""
    user_id = _bound_user_id(value)
    if user_id is None:
        raise ValueError("This second-factor secret is not bound to its user.")
    try:
        blob = base64.b64decode(value.rsplit(":", 1)[1], validate=True)
        return decrypt_with_key(_key(), blob, _aad(user_id)).decode()
    except (SealError, binascii.Error, ValueError) as error:
        raise ValueError("This second-factor secret does not open.") from error


def bind_to_user(value: str, user_id: int) -> str:
    """A value fit to store in ``user_id``'s row: an unbound one is re-sealed for them."""
    if value.startswith(UNBOUND):
        return seal_for_user(_open_unbound(value), user_id)
    if _bound_user_id(value) != user_id:
        raise ValueError("A second-factor secret may only be saved in its own user's row.")
    return value


def _secret_slots(data: dict[str, Any]) -> list[tuple[Any, Any]]:
    """(container, key) of every encrypted value allauth keeps in an authenticator's data."""
    slots: list[tuple[Any, Any]] = [(data, name) for name in ("secret", "seed") if name in data]
    migrated = data.get("migrated_codes")
    if isinstance(migrated, list):
        slots += [(migrated, index) for index in range(len(migrated))]
    return slots


@receiver(post_init, sender=Authenticator)
def _refuse_foreign_secrets(sender: type, instance: Authenticator, **kwargs: Any) -> None:
    fields = instance.__dict__
    data = fields.get("data")
    if instance.pk is None or not isinstance(data, dict):
        return  # a row being made: its values are bound when it is saved
    user_id = fields.get("user_id")
    for container, slot in _secret_slots(data):
        value = container[slot]
        if isinstance(value, str) and user_id is not None and _bound_user_id(value) == user_id:
            continue
        logger.error(
            "Second-factor data of authenticator #%s is not bound to its user #%s: refused.",
            instance.pk,
            user_id,
        )
        container[slot] = REFUSED


@receiver(pre_save, sender=Authenticator)
def _bind_secrets_to_their_user(sender: type, instance: Authenticator, **kwargs: Any) -> None:
    data = instance.data
    if not isinstance(data, dict):
        return
    for container, slot in _secret_slots(data):
        container[slot] = bind_to_user(str(container[slot]), instance.user_id)
