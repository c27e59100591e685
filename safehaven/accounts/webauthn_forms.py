"""allauth's security key forms, reading the key's answer with a JSON field that refuses
every value ``json.loads`` cannot read.

Django's ``forms.JSONField`` catches only ``JSONDecodeError``: a 5,000-digit number
(``ValueError``, Python's limit on integer digits) or deep nesting (``RecursionError``) went
through as a server error to anyone on the page that adds a key. Used through ``MFA_FORMS``.
"""

from typing import Any

from allauth.mfa.webauthn import forms as allauth_forms
from django import forms
from django.forms.fields import InvalidJSONInput

# A security key's answer is a few kilobytes (attestation certificates included).
CREDENTIAL_MAX_LENGTH = 64 * 1024


class BoundedJSONField(forms.JSONField):
    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and len(value) > CREDENTIAL_MAX_LENGTH:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return super().to_python(value)
        except (ValueError, RecursionError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def bound_data(self, data: Any, initial: Any) -> Any:
        try:
            return super().bound_data(data, initial)
        except (ValueError, RecursionError):
            return InvalidJSONInput(data)


class AddWebAuthnForm(allauth_forms.AddWebAuthnForm):
    credential = BoundedJSONField(required=True, widget=forms.HiddenInput)


class ReauthenticateWebAuthnForm(allauth_forms.ReauthenticateWebAuthnForm):
    credential = BoundedJSONField(required=True, widget=forms.HiddenInput)


class LoginWebAuthnForm(allauth_forms.LoginWebAuthnForm):
    credential = BoundedJSONField(required=True, widget=forms.HiddenInput)
