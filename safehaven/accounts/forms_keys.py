"""Forms whose work touches the user's key pair: password change, duress password."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import ChangePasswordForm
from allauth.core import context
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from safehaven.accounts.mfa_limits import code_step_paused, count_code_failure
from safehaven.accounts.models import User
from safehaven.core.crypto import unprotect_with_password
from safehaven.keys.actions.users import do_replace_user_keys, do_rewrap_user_key
from safehaven.keys.duress import matches_duress_password
from safehaven.keys.login_key import (
    is_duress_session,
    stash_unlocked_key,
    unlocked_private_key,
)

RELOGIN_MESSAGE = _("For your safety, log out and log in again before changing your password.")


def in_duress() -> bool:
    return is_duress_session(context.request)


class KeyedChangePasswordForm(ChangePasswordForm):
    """Changing the password re-protects the same private key, so access to cases is kept.
    The key must be open in this login: a stolen session cookie alone cannot change it.

    After an administrator reset, the first change makes a fresh key pair instead: the
    administrator knew the password that protected the old one. This login then holds the
    new private key (as a login would), not the interim one, so what is granted to the new
    pair opens at once.

    Under duress the form behaves as usual (the duress password counts as the current one)
    but changes nothing, so the coercer learns nothing and cannot lock the person out.
    """

    def clean_oldpassword(self) -> str:
        typed = str(self.cleaned_data.get("oldpassword", ""))
        if in_duress() and matches_duress_password(self.user, typed):
            return typed
        return str(super().clean_oldpassword())

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.errors or in_duress():
            return cleaned
        if matches_duress_password(self.user, cleaned.get("password1", "")):
            self.add_error("password1", _("Your password must differ from your duress password."))
        elif not self.user.must_change_password and unlocked_private_key(context.request) is None:
            raise ValidationError(RELOGIN_MESSAGE)
        return cleaned

    def save(self) -> None:
        if in_duress():
            return
        new_password = self.cleaned_data["password1"]
        if self.user.must_change_password:
            self._replace_interim_keys(new_password)
            return
        with transaction.atomic():
            private_key = unlocked_private_key(context.request)
            if private_key is None:
                raise ValidationError(RELOGIN_MESSAGE)
            super().save()
            do_rewrap_user_key(self.user, private_key, new_password, actor=self.user)

    def _replace_interim_keys(self, new_password: str) -> None:
        with transaction.atomic():
            super().save()
            self.user.must_change_password = False
            self.user.save(update_fields=["must_change_password"])
            key_pair = do_replace_user_keys(self.user, new_password, actor=self.user)
        # This login still holds the interim private key, which opens nothing granted from
        # now on: hand it the new one, as a login would (the middleware replaces the session
        # blob and the cookie's key). Unwrapped from what was saved, so it is the kept key.
        new_private_key = unprotect_with_password(
            bytes(key_pair.protected_private_key), new_password
        )
        stash_unlocked_key(context.request, self.user, new_private_key)


class DuressPasswordForm(forms.Form):
    """A second password for when someone forces you to log in (SECURITY.md, T4)."""

    current_password = forms.CharField(
        label=_("Your current password"),
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    duress_password = forms.CharField(
        label=_("Duress password"),
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 12 characters, different from your password. Logging in with it shows an "
            "empty workspace, quietly locks your keys and alerts the administrators."
        ),
    )
    duress_password_again = forms.CharField(
        label=_("Duress password again"),
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_current_password(self) -> str:
        password = str(self.cleaned_data["current_password"])
        if code_step_paused(self.user, "password"):
            raise ValidationError(_("Too many wrong passwords. Wait five minutes, then try again."))
        if in_duress() and matches_duress_password(self.user, password):
            return password
        if not self.user.check_password(password):
            count_code_failure(self.user, "password")
            raise ValidationError(_("This is not your current password."))
        return password

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        first, second = cleaned.get("duress_password"), cleaned.get("duress_password_again")
        if first and second and first != second:
            self.add_error("duress_password_again", _("The two duress passwords differ."))
        return cleaned
