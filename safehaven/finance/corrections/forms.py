"""The form of a reversal: the officer confirms the entry is wrong. A reversal is never undone
(a wrongly reversed entry is posted again as a new donation, grant or payment)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReverseEntryForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("This entry is wrong: reverse it. A reversal cannot be undone."),
        error_messages={"required": _("Tick the box to confirm that this entry is wrong.")},
    )
