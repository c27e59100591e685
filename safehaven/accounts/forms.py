"""Forms for staff administration and invitation acceptance."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.validators import RegexValidator
from django.forms.models import ModelChoiceIterator
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


class TeamsByOrganisation(ModelChoiceIterator):
    """Teams in one ``<optgroup>`` per organisation, so that the list says, without a script,
    which teams go with the organisation chosen above it."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list[Any]] = {}
        for team in self.queryset.select_related("organisation").order_by(
            "organisation__name", "name"
        ):
            groups.setdefault(team.organisation.name, []).append(self.choice(team))
        yield from groups.items()

    def __len__(self) -> int:
        return self.queryset.count() + (1 if self.field.empty_label is not None else 0)


class TeamField(forms.ModelChoiceField):
    iterator = TeamsByOrganisation

    def __init__(self) -> None:
        super().__init__(
            label=_("Team"),
            queryset=Team.objects.select_related("organisation"),
            required=False,
            empty_label=_("No team"),
            help_text=_("Only a team of the organisation chosen above."),
        )

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def role_choices(*, with_admin: bool) -> list[tuple[str, Any]]:
    """The roles, after an empty choice: no role is chosen for the administrator (the first
    one listed, triage, sees every request)."""
    roles = [(value, label) for value, label in Role.choices if with_admin or value != Role.ADMIN]
    return [("", _("Choose a role")), *roles]


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
    team = TeamField()
    # An invitation cannot carry the administrator role: the inviter holds both the link and
    # the code, so it would let one administrator mint a second one alone.
    role = forms.ChoiceField(
        label=_("Role"),
        choices=role_choices(with_admin=False),
        help_text=_(
            "To make someone an administrator, invite them with their working role, then ask "
            "for the administrator role on their page: a second administrator must approve it "
            "from their own session."
        ),
    )
    scope = forms.ChoiceField(label=_("Which records"), choices=Scope.choices, initial=Scope.OWN)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _refuse_a_team_of_another_organisation(self, cleaned)
        return cleaned


def _refuse_a_team_of_another_organisation(form: forms.Form, cleaned: dict[str, Any]) -> None:
    team, organisation = cleaned.get("team"), cleaned.get("organisation")
    if team and organisation and team.organisation_id != organisation.pk:
        form.add_error("team", _("This team belongs to another organisation."))


class MembershipForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all()
    )
    team = TeamField()
    role = forms.ChoiceField(label=_("Role"), choices=role_choices(with_admin=True))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _refuse_a_team_of_another_organisation(self, cleaned)
        return cleaned

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
