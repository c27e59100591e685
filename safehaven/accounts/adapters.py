"""allauth adapters: staff accounts exist only by invitation and always carry a second factor."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from safehaven.accounts.mfa_secrets import open_sealed, seal_unbound

SECOND_FACTOR_TYPES = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


class StaffAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def clean_password(self, password: str, user: Any = None) -> str:
        password = super().clean_password(password, user)
        if user is not None and user.pk is not None and _renewing_after_duress(user, password):
            # After a duress restore the coercer knows the old password and duress password.
            raise ValidationError(
                _("Choose a password you have not used before: the old one may be known.")
            )
        return password

    def send_password_reset_mail(self, *args: Any, **kwargs: Any) -> None:
        # Self-service reset would hand the account (and its keys) to whoever reads the
        # mailbox; an administrator resets passwords instead.
        raise PermissionError("Password reset by e-mail is disabled.")


class StaffMFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Refuse to remove the last second factor: the account would be one password away
        from every case it can read."""
        if authenticator.type not in SECOND_FACTOR_TYPES:
            return True
        remaining = Authenticator.objects.filter(
            user_id=authenticator.user_id, type__in=SECOND_FACTOR_TYPES
        ).exclude(pk=authenticator.pk)
        return remaining.exists()

    def encrypt(self, text: str) -> str:
        """TOTP secrets are stored encrypted (a copied database alone must not yield working
        second factors) and bound to their user when the row is saved (mfa_secrets.py)."""
        return seal_unbound(text)

    def decrypt(self, encrypted_text: str) -> str:
        return open_sealed(encrypted_text)

    def get_totp_label(self, user: Any) -> str:
        # Shown in an authenticator app on a phone that may be searched: no e-mail address.
        return str(user.username)


def _renewing_after_duress(user: Any, password: str) -> bool:
    """True when a restore asks ``user`` for a new password and ``password`` is the old one
    or the old duress password."""
    from safehaven.keys.actions.duress import equals_retired_duress_password, pending_renewal

    renewal = pending_renewal(user)
    if renewal is None or renewal.password_renewed:
        return False
    return bool(user.check_password(password)) or equals_retired_duress_password(user, password)


def has_second_factor(user: Any) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTOR_TYPES).exists()
