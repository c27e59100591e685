"""What a partner tells us about a person it refers: one form for the portal, the API's JSON
body and each row of a batch file (the same field names everywhere, every value a string).

It checks what the public form checks (the same text, contact and number rules: the same
fields and sub-form) and hands the action a ``ReferralDraft``. Unlike the public form, a
contact is optional (the partner may be the way to reach the person), and the partner
attests that the person agreed to be referred (``consent`` = "yes").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pycountry
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from safehaven.countries.risk import public_form_regions
from safehaven.intake.choices import ContactMethod, PassportStatus, RiskIndicator, YesNo
from safehaven.intake.submission import place_names
from safehaven.intake.submission.contact_forms import CONTACT_FIELDS, ContactFieldsForm
from safehaven.intake.submission.fields import (
    CleanTextField,
    CopiedCheaply,
    FieldsMadePerLanguage,
    PlainChoiceField,
    WholeNumberField,
)
from safehaven.intake.submission.region_names import REGION_NAMES
from safehaven.intake.submission.request_draft import HelpRequestDraft

MAX_COMPANIONS = 20
CONSENT_GIVEN = "yes"
# A ticked checkbox posts "on" (or its value); a file or the API says "yes".
_TICKED = frozenset({"yes", "on", "true", "1"})
_SEPARATORS = re.compile(r"[\s,;]+")
# Countries by code: the public form's list (pycountry and Kosovo), whatever the page's language.
type Regions = dict[str, list[tuple[str, str]]]


@cache
def country_codes() -> frozenset[str]:
    return frozenset({country.alpha_2 for country in pycountry.countries}) | frozenset(
        place_names.EXTRA_COUNTRIES
    )


def _split(value: object) -> list[str]:
    """Codes from "a, b c" (a file, the API) or from a list of them (ticked boxes)."""
    parts = value if isinstance(value, list | tuple) else [value]
    return [code for part in parts for code in _SEPARATORS.split(str(part or "")) if code]


def _is_language_code(code: str) -> bool:
    if len(code) == 2:
        return pycountry.languages.get(alpha_2=code) is not None
    return len(code) == 3 and pycountry.languages.get(alpha_3=code) is not None


class CountryField(PlainChoiceField):
    """A country by its ISO code, in any case ("ru" or "RU"); its choices are named in the
    page's language, the codes are the same in every one."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).strip().upper()

    def valid_value(self, value: Any) -> bool:
        return value in country_codes()


class CodesField(CopiedCheaply, forms.Field):
    """Codes separated by spaces or commas, or a list of them; the cleaned value is a list."""

    def to_python(self, value: Any) -> list[str]:
        return [code.lower() for code in _split(value)]

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


class ConsentBox(forms.CheckboxInput):
    """A checkbox whose posted text reaches the field as it is: Django's own turns any text
    but "false" into True, so a file's "no" would read as consent."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, check_test=lambda value: str(value).lower() in _TICKED)

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)


class ConsentField(CopiedCheaply, forms.Field):
    """The partner's word that the person agreed: "yes" (a ticked box posts "on")."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(widget=ConsentBox, **kwargs)

    def to_python(self, value: Any) -> bool:
        return value is True or str(value or "").strip().lower() in _TICKED

    def validate(self, value: Any) -> None:
        if not value:
            raise ValidationError(self.error_messages["required"], code="required")


@dataclass(frozen=True, repr=False)
class ReferralDraft:
    """A referral as checked, before it is sealed: the request it becomes, and the name the
    person uses ("" when the partner gave none). Never shows its values in a repr."""

    request: HelpRequestDraft
    known_as: str

    def __repr__(self) -> str:
        return "ReferralDraft(<redacted>)"


class ReferralForm(FieldsMadePerLanguage):
    """Made once per language and copied cheaply per form (``FieldsMadePerLanguage``): a batch
    file checks thousands."""

    known_as = CleanTextField(
        label=_("The name the person uses"),
        help_text=_("Only if they agreed to it. It is sealed: only the people who help read it."),
        max_length=100,
        required=False,
    )
    situation = CleanTextField(
        label=_("What is happening to the person, and what help do they need?"),
        multiline=True,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    country = CountryField(label=_("Which country is the person in now?"))
    region = CleanTextField(
        label=_("Region or province"),
        help_text=_("Where the danger is greater in one region, naming it helps us answer sooner."),
        max_length=200,
        required=False,
    )
    languages = CodesField(
        label=_("Languages the person speaks"),
        help_text=_("Language codes separated by spaces or commas, for example: ru, ce, en."),
        required=False,
    )
    contact_method = PlainChoiceField(
        label=_("How can we reach the person safely?"),
        choices=[("", _("Only through us (the partner)")), *ContactMethod.choices],
        required=False,
    )
    contact = CleanTextField(
        label=_("Their number, username or address there"), max_length=254, required=False
    )
    contact_times = CleanTextField(
        label=_("When is it safe to contact them?"), max_length=300, required=False
    )
    may_leave_message = PlainChoiceField(
        label=_("If they do not answer, may we leave a message?"),
        help_text=_("Without an answer, we leave none."),
        choices=YesNo.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    risk_indicators = CodesField(
        label=_("What is true for the person"),
        help_text=_("Separate several with commas."),
        required=False,
        widget=forms.CheckboxSelectMultiple(choices=RiskIndicator.choices),
    )
    companions = WholeNumberField(
        label=_("How many people would need to travel with them?"),
        required=False,
        min_value=0,
        max_value=MAX_COMPANIONS,
        error_messages={
            "invalid": format_lazy(_("Please write a number from 0 to {max}."), max=MAX_COMPANIONS),
            "min_value": format_lazy(
                _("Please write a number from 0 to {max}."), max=MAX_COMPANIONS
            ),
            "max_value": format_lazy(
                _("Please write a number from 0 to {max}."), max=MAX_COMPANIONS
            ),
        },
    )
    page_language = PlainChoiceField(
        label=_("Language we should write to them in"),
        help_text=_("English when not given."),
        choices=settings.LANGUAGES,
        required=False,
    )
    consent = ConsentField(
        label=_(
            "The person agreed to be referred, and that the people who help may read what you "
            "write here."
        ),
        error_messages={
            "required": _(
                "Please confirm that the person agreed to be referred (in a file: write yes)."
            )
        },
    )

    def __init__(self, *args: Any, regions: Regions | None = None, **kwargs: Any) -> None:
        """``regions``: the regions with facts of their own (``public_form_regions``), when
        the caller checks many forms at once and has read them already."""
        super().__init__(*args, **kwargs)
        self._regions = regions

    @classmethod
    def prepare_fields(cls, fields: dict[str, forms.Field]) -> None:
        super().prepare_fields(fields)
        field = fields["country"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - a programming error
        field.choices = [("", _("Choose a country")), *place_names.country_choices()]

    def regions(self) -> Regions:
        if self._regions is None:
            self._regions = public_form_regions()
        return self._regions

    def clean_languages(self) -> list[str]:
        codes: list[str] = self.cleaned_data["languages"]
        if not all(_is_language_code(code) for code in codes):
            raise ValidationError(
                _("Please give languages by their two-letter codes, for example: ru, ce, en.")
            )
        return list(dict.fromkeys(codes))

    def clean_risk_indicators(self) -> list[str]:
        keys: list[str] = self.cleaned_data["risk_indicators"]
        if not set(keys) <= set(RiskIndicator.values):
            raise ValidationError(
                format_lazy(
                    _("Please use only these words, separated by commas: {keys}."),
                    keys=", ".join(RiskIndicator.values),
                )
            )
        return sorted(set(keys))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._check_contact(cleaned)
        return cleaned

    def _check_contact(self, cleaned: dict[str, Any]) -> None:
        method, contact = cleaned.get("contact_method"), cleaned.get("contact")
        if "contact_method" in self.errors or "contact" in self.errors:
            return
        if not method:
            if contact:
                self.add_error(
                    "contact_method", _("Please say which way this contact detail is for.")
                )
            return
        if not contact:
            self.add_error("contact", _("Please give the contact detail for the way you chose."))
            return
        # The public form's own checks and messages for this way of contact.
        check = ContactFieldsForm({CONTACT_FIELDS[ContactMethod(method)]: contact})
        check.is_valid()
        for error in check.errors.get(CONTACT_FIELDS[ContactMethod(method)], []):
            self.add_error("contact", error)

    def region_code(self) -> str:
        """The coarse region (with facts of its own) that ``region`` names, by its code or
        its name in English or in the page's language, or ""."""
        typed = " ".join(self.cleaned_data.get("region", "").split()).casefold()
        if not typed:
            return ""
        for code, english in self.regions().get(self.cleaned_data["country"], []):
            names = {code.casefold(), english.casefold()}
            if code in REGION_NAMES:
                names.add(str(REGION_NAMES[code]).casefold())
            if typed in names:
                return code
        return ""

    def draft(self) -> ReferralDraft:
        """The checked referral; call only after ``is_valid()`` returned True."""
        data = self.cleaned_data
        method = data["contact_method"]
        curated, others = _curated_and_others(data["languages"])
        request = HelpRequestDraft(
            situation=data["situation"],
            country=data["country"],
            region=data["region"],
            citizenships=(),
            languages=tuple(curated),
            language_other=", ".join(others),
            contacts={str(method): data["contact"]} if method else {},
            contact_times=data["contact_times"],
            may_leave_message=data["may_leave_message"] == YesNo.YES,
            risk_indicators=frozenset(data["risk_indicators"]),
            companions=data["companions"] or 0,
            passport=PassportStatus.UNKNOWN,
            visas="",
            referral_code="",
            checkin_phrase="",
            duress_phrase="",
            page_language=data["page_language"] or "en",
            region_code=self.region_code(),
        )
        return ReferralDraft(request=request, known_as=data["known_as"])


def _curated_and_others(codes: Iterable[str]) -> tuple[list[str], list[str]]:
    """The form's curated languages are kept in clear (as the public form's); any other is
    sealed, as the public form seals "other languages"."""
    curated = [code for code in codes if code in place_names.CURATED_LANGUAGES]
    others = [code for code in codes if code not in place_names.CURATED_LANGUAGES]
    return curated, others
