"""The public help request form: what a person in danger tells us, validated and normalised.

The form is rendered by the project's accessible renderer, sets no cookie and works without
JavaScript. Proof-of-work fields are not part of it: they are read by the view, and a fresh
challenge comes with every page.
"""

import re
from functools import cache, cached_property
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from safehaven.intake.choices import PassportStatus, RiskIndicator
from safehaven.intake.codename import normalise_words
from safehaven.intake.submission import place_names
from safehaven.intake.submission.contact_forms import (
    CONTACT_FIELDS,
    ContactFieldsForm,
    optional_text,
)
from safehaven.intake.submission.fields import (
    CleanTextField,
    PlainChoiceField,
    PlainMultipleChoiceField,
    TickBoxField,
    WholeNumberField,
)
from safehaven.intake.submission.region_names import offered_regions, region_choices
from safehaven.intake.submission.request_draft import HelpRequestDraft
from safehaven.intake.submission.widgets import CachedChoices, CachedSelect, SelectsToAddTo

MAX_COMPANIONS = 20
_REFERRAL_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{2,39}")


@cache
def _choices_in(language: str) -> tuple[CachedChoices, CachedChoices, CachedChoices]:
    """Country, citizenship and language choices, named in ``language`` (the active one)."""
    return (
        CachedChoices([("", _("Choose a country")), *place_names.country_choices()]),
        CachedChoices([("", _("Choose a country")), *place_names.citizenship_choices()]),
        CachedChoices(place_names.language_choices()),
    )


# What triage does not need to act: asked in a folded part of the page (issue 16).
OPTIONAL_PART = (
    "citizenships",
    "languages",
    "language_other",
    "companions",
    "passport",
    "visas",
    "referral_code",
)
PHRASES = ("checkin_phrase", "duress_phrase")


class HelpRequestForm(ContactFieldsForm):
    # The contact fields are declared by the base class; keep the order the page shows.
    field_order = [
        "situation",
        "country",
        "place_region",
        "region",
        "citizenships",
        "languages",
        "language_other",
        *CONTACT_FIELDS.values(),
        "contact_times",
        "may_leave_message",
    ]

    situation = CleanTextField(
        label=_("What is happening, and what help do you need?"),
        help_text=_(
            "Write in any language, as much or as little as you feel safe to say. You do not "
            "need to give your name."
        ),
        multiline=True,
        max_length=5000,
        # Five lines show on a phone without pushing the rest of the form away; it grows.
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    country = PlainChoiceField(label=_("Which country are you in now?"), widget=CachedSelect)
    # Choices per form (``__init__``): the regions with facts of their own, grouped by country.
    place_region = PlainChoiceField(
        label=_("Are you in one of these regions?"),
        help_text=_(
            "Some regions are more dangerous than the rest of their country. If you are in one "
            "of them, choosing it helps us answer you sooner."
        ),
        required=False,
    )
    region = optional_text(
        _("Region or province"),
        200,
        _("Helpful for us to understand the danger where you are. You may leave it empty."),
    )
    # Plain selects, one per citizenship: a <select multiple> needs Ctrl or ⌘ (issue 16).
    citizenships = PlainMultipleChoiceField(
        label=_("Your citizenship"),
        help_text=_("If you have more than one, choose the next one in the box below."),
        required=False,
        widget=SelectsToAddTo(another_label=_("Another citizenship, if you have one")),
    )
    languages = PlainMultipleChoiceField(
        label=_("Languages you speak"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    language_other = optional_text(_("Other languages you speak"), 100)
    risk_indicators = PlainMultipleChoiceField(
        label=_("Tick everything that is true for you"),
        help_text=_("This helps us answer the most urgent requests first."),
        choices=RiskIndicator.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    companions = WholeNumberField(
        label=_("How many people would need to travel with you?"),
        help_text=_("A partner, children or others who depend on you. Leave empty if none."),
        required=False,
        min_value=0,
        max_value=MAX_COMPANIONS,
        error_messages={
            "invalid": format_lazy(_("Please write a number from 0 to {max}."), max=MAX_COMPANIONS),
            "min_value": format_lazy(
                _("Please write a number from 0 to {max}."), max=MAX_COMPANIONS
            ),
            "max_value": format_lazy(
                _(
                    "If more than {max} people would travel with you, write {max} and tell us more "
                    "above."
                ),
                max=MAX_COMPANIONS,
            ),
        },
    )
    passport = PlainChoiceField(
        label=_("Do you have a passport?"),
        choices=PassportStatus.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    visas = optional_text(
        _("Visas or residence permits you have"), 300, _("Which country, and until when.")
    )
    referral_code = optional_text(
        _("Referral code"), 40, _("Only if a group that works with us gave you one.")
    )
    checkin_phrase = CleanTextField(
        label=_("Check-in phrase"),
        help_text=_(
            "A few words only you know. When you look for our answer, typing them tells us it "
            "is really you and that you are safe."
        ),
        max_length=100,
        min_length=4,
        required=False,
    )
    duress_phrase = CleanTextField(
        label=_("Danger phrase"),
        help_text=_(
            "Different words. If someone ever forces you to check in, type these instead: the "
            "page will look normal, and we will know you are in danger."
        ),
        max_length=100,
        min_length=4,
        required=False,
    )
    consent = TickBoxField(
        label=_(
            "I agree that the people who answer requests may read what I wrote to help me. I "
            "can ask for it to be deleted at any time."
        ),
        error_messages={
            "required": _("Please tick this box to send your request. We cannot help without it.")
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["place_region"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - a programming error
        # Read when shown or checked, not before: a form only parsed asks the database nothing.
        field.choices = lambda: region_choices(self.offered_regions)

    @cached_property
    def offered_regions(self) -> dict[str, list[tuple[str, str]]]:
        return offered_regions()

    @classmethod
    def prepare_fields(cls, fields: dict[str, forms.Field]) -> None:
        super().prepare_fields(fields)
        # Named in the language being prepared (see FieldsMadePerLanguage).
        countries, citizenships, languages = _choices_in(get_language() or "en")
        for name, choices in (
            ("country", countries),
            ("citizenships", citizenships),
            ("languages", languages),
        ):
            field = fields[name]
            assert isinstance(field, forms.ChoiceField)  # noqa: S101 - a programming error
            field.choices = choices
        for name in ("checkin_phrase", "duress_phrase"):
            fields[name].widget.attrs.update({"spellcheck": "false"})

    def optional_part_open(self) -> bool:
        """Whether the folded part of the page comes back open: when it holds a problem, or
        something the person chose or typed (so that they see it was kept)."""
        return self._shown_open(OPTIONAL_PART)

    def phrases_open(self) -> bool:
        return self._shown_open(PHRASES)

    def _shown_open(self, names: tuple[str, ...]) -> bool:
        if not self.is_bound:
            return False
        return any(
            name in self.errors or self[name].value() not in (None, "", []) for name in names
        )

    def clean_citizenships(self) -> list[str]:
        chosen: list[str] = self.cleaned_data["citizenships"]
        if place_names.STATELESS in chosen and len(chosen) > 1:
            raise ValidationError(
                _("You chose “no citizenship” and a country. Please choose one or the other.")
            )
        return chosen

    def clean_referral_code(self) -> str:
        value = re.sub(r"\s+", "", self.cleaned_data["referral_code"]).upper()
        if value and not _REFERRAL_CODE.fullmatch(value):
            raise ValidationError(
                _("A referral code has only letters, numbers and dashes. Please check it.")
            )
        return value

    def clean_checkin_phrase(self) -> str:
        return self._phrase("checkin_phrase")

    def clean_duress_phrase(self) -> str:
        return self._phrase("duress_phrase")

    def _phrase(self, name: str) -> str:
        """The phrase as it will be compared: without case, dashes or extra spaces. A phrase
        that is only such marks would be no phrase at all, while the person thinks they have
        one: it is refused like one that is too short."""
        typed: str = self.cleaned_data[name]
        phrase = normalise_words(typed)
        field = self.fields[name]
        minimum = getattr(field, "min_length", None) or 0
        if typed and len(phrase) < minimum:
            raise ValidationError(
                field.error_messages["min_length"],
                code="min_length",
                params={"limit_value": minimum, "show_value": len(phrase)},
            )
        return phrase

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._check_region_in_country(cleaned)
        checkin, duress = cleaned.get("checkin_phrase"), cleaned.get("duress_phrase")
        if duress and checkin == duress:
            self.add_error(
                "duress_phrase",
                _("The danger phrase must be different from the check-in phrase."),
            )
        elif duress and not checkin and "checkin_phrase" not in self.errors:
            self.add_error(
                "checkin_phrase",
                _("Please choose a check-in phrase too: the danger phrase works only with one."),
            )
        return cleaned

    def _check_region_in_country(self, cleaned: dict[str, Any]) -> None:
        code, country = cleaned.get("place_region"), cleaned.get("country")
        if not code or not country or not self.offered_regions:
            return
        if code not in {region for region, _name in self.offered_regions.get(country, [])}:
            self.add_error(
                "place_region",
                _(
                    "The region you chose is not in the country you chose. Please choose a "
                    "region of that country, or “Not listed, or somewhere else”."
                ),
            )

    def to_draft(self) -> HelpRequestDraft:
        """The cleaned request; call only after ``is_valid()`` returned True."""
        data = self.cleaned_data
        return HelpRequestDraft(
            situation=data["situation"],
            country=data["country"],
            region=data["region"],
            citizenships=tuple(data["citizenships"]),
            languages=tuple(data["languages"]),
            language_other=data["language_other"],
            contacts=self.contacts(),
            contact_times=data["contact_times"],
            may_leave_message=self.leave_message_allowed(),
            risk_indicators=frozenset(data["risk_indicators"]),
            companions=data["companions"] or 0,
            passport=data["passport"] or PassportStatus.UNKNOWN,
            visas=data["visas"],
            referral_code=data["referral_code"],
            checkin_phrase=data["checkin_phrase"],
            duress_phrase=data["duress_phrase"],
            page_language=get_language() or "en",
            region_code=data["place_region"] or "",
        )
