"""The forms of referrals: recording a person's consent, and choosing what goes in a package,
in which form, and the archive's passphrase (never shown back)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.accounts.models import User
from safehaven.cases.models import Case, CasePerson
from safehaven.intake.submission.place_names import country_choices
from safehaven.travel.choices import ReferralRecipient
from safehaven.travel.documents.forms import PersonChoiceField
from safehaven.travel.referral_packages.archive import MAX_LENGTH, passphrase_problem
from safehaven.travel.referral_packages.contents import Piece
from safehaven.travel.referral_packages.package import PackageFormat

TEXT_LENGTH = 300
NOTE_LENGTH = 2000


class ConsentForm(forms.Form):
    person = PersonChoiceField(
        label=_("Who agreed"),
        queryset=CasePerson.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choose who agreed.")},
    )
    recipient_kind = forms.ChoiceField(
        label=_("To share with"),
        choices=ReferralRecipient.choices,
        error_messages={"required": _("Choose who the package goes to.")},
    )
    government_country = forms.ChoiceField(
        label=_("Government of"),
        required=False,
        help_text=_(
            "For a government only, and then required: the country whose government the person "
            "agreed to share with. Their consent lets them be named to that government alone."
        ),
    )
    recipient_name = forms.CharField(
        label=_("Recipient's name"),
        max_length=TEXT_LENGTH,
        help_text=_("The office, ministry or group, as the person agreed to it."),
        error_messages={"required": _("Give the recipient's name.")},
    )
    recipient_contact = forms.CharField(
        label=_("How the package reaches them"),
        max_length=TEXT_LENGTH,
        help_text=_("An address, a secure upload or a person to hand it to."),
        error_messages={"required": _("Say how the package reaches them.")},
    )
    how_given = forms.CharField(
        label=_("How the person agreed"),
        max_length=TEXT_LENGTH,
        help_text=_("In writing, on a call, in person: and when."),
        error_messages={"required": _("Say how the person gave their consent.")},
    )
    note = forms.CharField(
        label=_("Note"), max_length=NOTE_LENGTH, required=False, widget=forms.Textarea
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = case.people.order_by("-is_primary", "pk")  # type: ignore[attr-defined]
        self.fields["government_country"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *country_choices(),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, country = data.get("recipient_kind"), data.get("government_country")
        if kind == ReferralRecipient.GOVERNMENT and not country:
            self.add_error(
                "government_country",
                _("Choose the country whose government the person agreed to."),
            )
        elif kind and kind != ReferralRecipient.GOVERNMENT and country:
            self.add_error(
                "government_country",
                _("Only a consent to a government names a country: leave it empty."),
            )
        return data


class PackageForm(forms.Form):
    """Nothing is chosen until the caseworker ticks it."""

    pieces = forms.MultipleChoiceField(
        label=_("What goes in the package"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose what goes in the package.")},
    )
    package_format = forms.ChoiceField(
        label=_("Make it as"),
        choices=PackageFormat.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a printable page or an encrypted archive.")},
    )
    passphrase = forms.CharField(
        label=_("Passphrase for the archive"),
        required=False,
        strip=False,
        max_length=MAX_LENGTH,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "At least 20 characters or five random words. Give it to the recipient another "
            "way (a call, another messenger), never with the archive. It is not kept."
        ),
    )
    passphrase_again = forms.CharField(
        label=_("The passphrase again"),
        required=False,
        strip=False,
        max_length=MAX_LENGTH,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, pieces: list[Piece], actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        groups: dict[str, list[tuple[str, str]]] = {}
        for piece in pieces:
            groups.setdefault(piece.group, []).append((piece.key, piece.label))
        self.fields["pieces"].choices = list(groups.items())  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("package_format") != PackageFormat.ARCHIVE:
            return data
        passphrase = data.get("passphrase") or ""
        problem = passphrase_problem(passphrase, actor=self.actor)
        if problem:
            self.add_error("passphrase", problem)
        elif passphrase != data.get("passphrase_again"):
            self.add_error("passphrase_again", _("The two passphrases differ: type it again."))
        return data
