"""Forms for staff administration and invitation acceptance."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from safehaven.accounts.models import (
    Organisation,
    OrganisationKind,
    Role,
    Scope,
    SuspensionReason,
    Team,
    TeamKind,
)

username_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9._-]{1,29}$",
    _("Use 2 to 30 lower-case letters, digits, dots, dashes or underscores."),
)


class AcceptInviteForm(forms.Form):
    acceptance_code = forms.CharField(
        label=_("Acceptance code"),
        max_length=20,
        help_text=_("The person who invited you gives you this code in person or by phone."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    username = forms.CharField(
        label=_("Username"),
        max_length=30,
        validators=[username_validator],
        help_text=_("Colleagues see this name. It need not be your real name."),
    )
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=200,
        help_text=password_validators_help_text_html,
    )
    password_again = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=200,
    )

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned


class InviteStaffForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all()
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.select_related("organisation"), required=False
    )
    # An invitation cannot carry the administrator role: the inviter holds both the link and
    # the code, so it would let one administrator mint a second one alone.
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(value, label) for value, label in Role.choices if value != Role.ADMIN],
        help_text=_(
            "To make someone an administrator, invite them with their working role, then ask "
            "for the administrator role on their page: a second administrator must approve it "
            "from their own session."
        ),
    )
    scope = forms.ChoiceField(label=_("Which records"), choices=Scope.choices, initial=Scope.OWN)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        team, organisation = cleaned.get("team"), cleaned.get("organisation")
        if team and organisation and team.organisation_id != organisation.pk:
            self.add_error("team", _("This team belongs to another organisation."))
        return cleaned


class MembershipForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all()
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.select_related("organisation"), required=False
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    scope = forms.ChoiceField(label=_("Which records"), choices=Scope.choices, initial=Scope.OWN)


class SuspendForm(forms.Form):
    # A fixed list: free text here would be a column nobody seals.
    reason = forms.ChoiceField(label=_("Reason"), choices=SuspensionReason.choices)


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    country = forms.CharField(
        label=_("Country code"),
        max_length=2,
        required=False,
        validators=[RegexValidator(r"^[A-Za-z]{2}$", _("Two letters, e.g. KG."))],
    )

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        if Organisation.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("An organisation with this name exists."))
        return name


class TeamForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all()
    )
    name = forms.CharField(label=_("Team name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=TeamKind.choices)
