"""The safe ways to reach a person: fields shared by the help request form and the status
page's "change my contact details" form, with the same checks and messages in both."""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

from safehaven.intake.choices import ContactMethod, YesNo
from safehaven.intake.submission.fields import (
    CleanTextField,
    FieldsMadePerLanguage,
    PlainChoiceField,
    leave_no_form_history,
)

CONTACT_FIELDS = {
    ContactMethod.SIGNAL: "contact_signal",
    ContactMethod.WHATSAPP: "contact_whatsapp",
    ContactMethod.TELEGRAM: "contact_telegram",
    ContactMethod.EMAIL: "contact_email",
    ContactMethod.PHONE: "contact_phone",
    ContactMethod.OTHER: "contact_other",
}
_PHONE_PUNCTUATION = re.compile(r"[\s\-().\u00a0\u2010-\u2015]")
_SIGNAL_USERNAME = re.compile(r"@?[A-Za-z0-9_]{3,32}\.[0-9]{2,9}")
_TELEGRAM_USERNAME = re.compile(r"@?[A-Za-z][A-Za-z0-9_]{4,31}")
PHONE_HINT = _("Please give the number with its country code, for example +44 7700 900123.")


def is_phone_number(value: str) -> bool:
    # Digits of any script count: Arabic and Persian keyboards type their own.
    digits = _PHONE_PUNCTUATION.sub("", value).removeprefix("+")
    return digits.isdecimal() and 6 <= len(digits) <= 20


def optional_text(
    label: Any, max_length: int, help_text: Any = "", widget: forms.Widget | None = None
) -> CleanTextField:
    return CleanTextField(
        label=label, max_length=max_length, required=False, help_text=help_text, widget=widget
    )


class ContactFieldsForm(FieldsMadePerLanguage):
    contact_signal = optional_text(
        ContactMethod.SIGNAL.label, 100, _("Your number with its country code, or username.")
    )
    contact_whatsapp = optional_text(
        ContactMethod.WHATSAPP.label,
        40,
        _("Your number with its country code."),
        forms.TextInput(attrs={"type": "tel"}),
    )
    contact_telegram = optional_text(
        ContactMethod.TELEGRAM.label, 100, _("Your username (like @name) or number.")
    )
    contact_email = optional_text(ContactMethod.EMAIL.label, 254, widget=forms.EmailInput())
    contact_phone = optional_text(
        ContactMethod.PHONE.label,
        40,
        _("Your number with its country code."),
        forms.TextInput(attrs={"type": "tel"}),
    )
    contact_other = optional_text(
        ContactMethod.OTHER.label, 200, _("Say which one and how to reach you there.")
    )
    contact_times = optional_text(
        _("When is it safe to contact you?"),
        300,
        _("For example: weekdays after 6 pm. Please say which time zone or city."),
    )
    may_leave_message = PlainChoiceField(
        label=_("If you do not answer, may we leave a message?"),
        choices=YesNo.choices,
        widget=forms.RadioSelect,
    )

    @classmethod
    def prepare_fields(cls, fields: dict[str, forms.Field]) -> None:
        super().prepare_fields(fields)
        for method, name in CONTACT_FIELDS.items():
            # Numbers, handles and addresses read left to right even on Arabic and Persian
            # pages; "another way" is free text in the person's own script.
            direction = "auto" if method == ContactMethod.OTHER else "ltr"
            fields[name].widget.attrs.update({"spellcheck": "false", "dir": direction})
        fields["contact_times"].widget.attrs.setdefault("dir", "auto")
        # Every field of the forms built on this one (the request form's too): a browser must
        # not keep what a person typed on these public pages.
        leave_no_form_history(fields.values())

    def clean_contact_signal(self) -> str:
        value: str = self.cleaned_data["contact_signal"]
        if value and not (is_phone_number(value) or _SIGNAL_USERNAME.fullmatch(value)):
            raise ValidationError(
                _("Please give your Signal number with its country code, or your username.")
            )
        return value

    def clean_contact_whatsapp(self) -> str:
        return self._clean_phone("contact_whatsapp")

    def clean_contact_phone(self) -> str:
        return self._clean_phone("contact_phone")

    def _clean_phone(self, name: str) -> str:
        value: str = self.cleaned_data[name]
        if value and not is_phone_number(value):
            raise ValidationError(PHONE_HINT)
        return value

    def clean_contact_telegram(self) -> str:
        value: str = self.cleaned_data["contact_telegram"]
        if value and not (is_phone_number(value) or _TELEGRAM_USERNAME.fullmatch(value)):
            raise ValidationError(
                _("Please give your Telegram username (like @name) or your number.")
            )
        return value

    def clean_contact_email(self) -> str:
        value: str = self.cleaned_data["contact_email"]
        if value:
            EmailValidator(message=_("Please check this e-mail address."))(value)
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # A group of fields already marked wrong gets no second, vaguer message.
        contact_errors = any(name in self.errors for name in CONTACT_FIELDS.values())
        if not contact_errors and not any(cleaned.get(n) for n in CONTACT_FIELDS.values()):
            self.add_error(None, _("Please give at least one safe way to reach you."))
        return cleaned

    def contacts(self) -> dict[str, str]:
        """Method -> handle, for the ways given; call only after ``is_valid()``."""
        data = self.cleaned_data
        return {str(method): data[name] for method, name in CONTACT_FIELDS.items() if data[name]}

    def leave_message_allowed(self) -> bool:
        return bool(self.cleaned_data["may_leave_message"] == YesNo.YES)
