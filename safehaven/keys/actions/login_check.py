"""What a login does when the password is right but the stored key pair is not the person's:
the key blob does not open with it, or the private key inside does not belong to the stored
public key. Then nothing more may be wrapped to that public key. Why: SECURITY.md, "A retired
key pair put back" (second review under "Outside review of the key layer").
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from safehaven.accounts.models import User
from safehaven.keys.models import UserKeyPair
from safehaven.keys.public_key_tags import raise_tamper_alarm

BLOB_DOES_NOT_OPEN = "does not open with the password that logged in"
KEY_DOES_NOT_MATCH = "does not match the private key that the password opened"


def do_suspend_keys_failing_login_check(user: User, *, reason: str) -> None:
    """Suspend the user's key pair, as a duress login does (nothing is wrapped to a suspended
    pair, and the user opens nothing with it), and raise the tamper alarm, which is the audit
    event (ids only). Lifting it: an administrator gives the person a fresh key pair (a
    password reset), and two administrators lift the suspension as after a duress login."""
    with transaction.atomic():
        pair = UserKeyPair.objects.select_for_update().filter(user=user).first()
        if pair is None:
            return
        if pair.suspended_at is None:
            UserKeyPair.objects.filter(pk=pair.pk).update(suspended_at=timezone.now())
        raise_tamper_alarm(pair, reason=reason)
