"""Forms of the case queue: the filters (a GET form) and the bulk actions (one POST form)."""

from __future__ import annotations

from functools import cache
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from safehaven.accounts.models import Organisation, Team, User
from safehaven.cases.choices import CaseState
from safehaven.core.ids import is_plain_id
from safehaven.countries.models import Crisis
from safehaven.intake.submission.fields import CleanTextField
from safehaven.intake.submission.place_names import (
    CURATED_LANGUAGES,
    _locale,
    country_choices,
)
from safehaven.intake.submission.widgets import CachedChoices, CachedSelect

# At most one page of the queue is acted on at once.
BULK_LIMIT = 100
REASON_MAX_LENGTH = 2000
CASE_NUMBER_DIGITS = 18


@cache
def _country_filter_choices(language: str) -> CachedChoices:
    """Made once per language: some 250 options rendered through templates cost most of the
    queue page's time (intake/submission/widgets.py says why)."""
    return CachedChoices([("", _("Any country")), *country_choices()])


def _language_names() -> list[tuple[str, str]]:
    names = _locale(get_language()).languages
    return [(code, str(names.get(code) or code)) for code in CURATED_LANGUAGES]


class NamedChoiceField(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "name", None) or getattr(obj, "username", obj))


class QueueFilterForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False, widget=CachedSelect)
    language = forms.ChoiceField(label=_("Language"), required=False)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Any state")), *CaseState.choices],
    )
    team = NamedChoiceField(
        label=_("Team"), required=False, queryset=Team.objects.none(), empty_label=_("Any team")
    )
    crisis = NamedChoiceField(
        label=_("Crisis"),
        required=False,
        queryset=Crisis.objects.none(),
        empty_label=_("Any crisis"),
    )
    partner = NamedChoiceField(
        label=_("Referred by"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("Any partner"),
    )

    def __init__(
        self,
        *args: Any,
        teams: QuerySet[Team],
        partners: QuerySet[Organisation],
        crises: QuerySet[Crisis],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        country = self.fields["country"]
        language = self.fields["language"]
        assert isinstance(country, forms.ChoiceField)  # noqa: S101 - declared above
        assert isinstance(language, forms.ChoiceField)  # noqa: S101 - declared above
        country.choices = _country_filter_choices(get_language() or "en")
        language.choices = [("", _("Any language")), *_language_names()]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]
        self.fields["crisis"].queryset = crises  # type: ignore[attr-defined]


def _is_case_number(value: str) -> bool:
    return is_plain_id(value, max_digits=CASE_NUMBER_DIGITS)


class BulkAction:
    ASSIGN = "assign"
    DECLINE = "decline"


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(BulkAction.ASSIGN, _("Assign")), (BulkAction.DECLINE, _("Decline"))],
        error_messages=dict.fromkeys(
            ("required", "invalid_choice"),
            _("Choose what to do with the ticked cases: assign or decline."),
        ),
    )
    caseworker = NamedChoiceField(
        label=_("Caseworker"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("Choose a caseworker"),
    )
    reason = CleanTextField(
        label=_("Reason for declining"),
        help_text=_(
            "Kept with each case, for the team. Each person is told only that their request "
            "cannot be taken further, in their language."
        ),
        multiline=True,
        required=False,
        max_length=REASON_MAX_LENGTH,
    )

    def __init__(self, *args: Any, caseworkers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = caseworkers  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The checked rows: checkboxes the template draws in the table, one per case.
        ticked = self.data.getlist("case") if hasattr(self.data, "getlist") else []
        case_ids = sorted({int(value) for value in map(str, ticked) if _is_case_number(value)})
        if not case_ids:
            self.add_error(None, _("Tick at least one case."))
        elif len(case_ids) > BULK_LIMIT:
            self.add_error(
                None, _("Act on at most %(limit)d cases at once.") % {"limit": BULK_LIMIT}
            )
        data["case_ids"] = case_ids
        if data.get("action") == BulkAction.ASSIGN and not data.get("caseworker"):
            self.add_error("caseworker", _("Choose the caseworker to give the cases to."))
        if data.get("action") == BulkAction.DECLINE and not data.get("reason"):
            self.add_error("reason", _("Write why the cases are declined."))
        return data
