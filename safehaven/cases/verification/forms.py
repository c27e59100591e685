"""The forms of a case's verification: a checklist item, an evidence file, a decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.accounts.models import Organisation, OrganisationKind
from safehaven.cases.choices import VerificationItemKind, VerificationMethod, VerificationStatus
from safehaven.core.uploads.fields import EvidenceFileField
from safehaven.intake.submission.fields import CleanTextField

NOTE_MAX_LENGTH = 4000
DESCRIPTION_MAX_LENGTH = 500


class VerificationItemForm(forms.Form):
    item = forms.ChoiceField(label=_("Check"), choices=VerificationItemKind.choices)
    status = forms.ChoiceField(label=_("Result"), choices=VerificationStatus.choices)
    method = forms.ChoiceField(
        label=_("How it was checked"),
        choices=[("", _("Not checked yet")), *VerificationMethod.choices],
        required=False,
    )
    partner = forms.ModelChoiceField(
        label=_("Partner organisation"),
        help_text=_("Only when a partner attested it or co-verified it with staff."),
        queryset=Organisation.objects.filter(kind=OrganisationKind.PARTNER).order_by("name"),
        required=False,
    )
    note = CleanTextField(
        label=_("Note"),
        help_text=_("Sealed: only those who open this case's casework read it."),
        multiline=True,
        max_length=NOTE_MAX_LENGTH,
        required=False,
    )


class EvidenceForm(forms.Form):
    file = EvidenceFileField(
        label=_("Photo of a document"),
        help_text=_(
            "JPEG, PNG or WebP. It is re-encoded without its hidden data (such as where it was "
            "taken) and sealed; its file name is not kept. PDF files are refused."
        ),
    )
    description = CleanTextField(
        label=_("What it shows"),
        help_text=_("Sealed with the file."),
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
    )


class DecisionForm(forms.Form):
    note = CleanTextField(
        label=_("Note"),
        help_text=_("Sealed. Needed when you refuse, so the checks can be done again."),
        multiline=True,
        max_length=NOTE_MAX_LENGTH,
        required=False,
    )
