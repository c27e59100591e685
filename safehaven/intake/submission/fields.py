"""Form fields that refuse malformed text and name their limits in plain words.

Text arrives from phones with every keyboard and script, and sometimes from scripts that probe
for weaknesses. Accepted: any printable text in any script, including the joiners and direction
marks that Persian, Arabic and emoji need. Refused with a clear message: control characters,
lone surrogates, Unicode non-characters and U+FFFD (what bytes that are not UTF-8 become).
HTML is kept as typed: it is text, escaped wherever it is shown.
"""

import copy
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Self, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms.widgets import ChoiceWidget, Input
from django.utils.translation import get_language, ngettext_lazy, override
from django.utils.translation import gettext_lazy as _

from safehaven.intake.submission.widgets import CachedChoices

ALLOWED_CONTROLS_MULTILINE = frozenset("\n\t")
ALLOWED_CONTROLS_SINGLE_LINE = frozenset("\t")
NOT_READABLE = _(
    "Some characters here could not be read. Please type this again (do not paste it from "
    "another program)."
)


def _is_noncharacter(char: str) -> bool:
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


# Every character check_text could refuse: control characters (Unicode category Cc is exactly
# U+0000-U+001F and U+007F-U+009F), surrogates (Cs), non-characters and U+FFFD. Text without
# any (nearly all text) is accepted by one regular expression search instead of a loop in Python
# over every character; the loop then only runs to say what is wrong.
_NONCHARACTERS = "".join(
    f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000)
)
_SUSPECT_SINGLE_LINE = re.compile(
    f"[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffd{_NONCHARACTERS}]"
)
_SUSPECT_MULTILINE = re.compile(
    f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffd{_NONCHARACTERS}]"
)


def check_text(value: str, *, multiline: bool) -> None:
    """Raise ValidationError (a message without the input) if ``value`` has odd characters."""
    suspect = _SUSPECT_MULTILINE if multiline else _SUSPECT_SINGLE_LINE
    if suspect.search(value) is None:
        return
    for char in value:
        _check_character(char, multiline=multiline)


def _check_character(char: str, *, multiline: bool) -> None:
    allowed = ALLOWED_CONTROLS_MULTILINE if multiline else ALLOWED_CONTROLS_SINGLE_LINE
    if char == "\ufffd" or _is_noncharacter(char):
        raise ValidationError(NOT_READABLE, code="unreadable")
    category = unicodedata.category(char)
    if category == "Cs":
        raise ValidationError(NOT_READABLE, code="unreadable")
    if category == "Cc" and char not in allowed:
        if char == "\n":
            raise ValidationError(_("Please keep this on one line."), code="line_break")
        raise ValidationError(
            _("This contains invisible control characters. Please type it again."),
            code="control",
        )


def _copy_of(thing: Any) -> Any:
    """A shallow copy, without ``copy.copy``'s generic protocol (the same result for these
    plain objects, several times faster)."""
    duplicate = object.__new__(type(thing))
    duplicate.__dict__.update(thing.__dict__)
    return duplicate


class CopiedCheaply:
    """A form field that forms copy cheaply. Django deep-copies every field of a form for each
    form made; for the request form's two dozen fields that was a good part of the cost of
    handling a submission. These fields copy what a form may change (the widget and its
    attributes, error messages, validators, a widget's own list of choices) and share what is
    never changed in place: labels, help texts and the field's choices, which a form replaces
    by assignment (``field.choices = ...``) when it wants others."""

    widget: forms.Widget
    error_messages: dict[str, Any]
    validators: list[Any]

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        result: Self = _copy_of(self)
        memo[id(self)] = result
        widget = _copy_of(self.widget)
        widget.attrs = self.widget.attrs.copy()
        if isinstance(widget, ChoiceWidget):
            # Straight to the attribute behind ``choices``: the setter would check the whole
            # list again, as if it came from outside, and it is a copy of checked choices.
            widget.__dict__["_choices"] = copy.copy(self.widget.__dict__["_choices"])
        result.widget = widget
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result


class CleanTextField(CopiedCheaply, forms.CharField):
    """A CharField that normalises text (NFC, unified line breaks, trimmed) before checking
    its length, so that the limit a person sees is the limit the server applies."""

    def __init__(self, *, multiline: bool = False, **kwargs: Any) -> None:
        self.multiline = multiline
        if multiline and kwargs.get("widget") is None:
            kwargs["widget"] = forms.Textarea(attrs={"rows": 8})
        super().__init__(**kwargs)
        max_length = kwargs.get("max_length")
        messages = {
            "required": _("Please fill this in."),
            "max_length": ngettext_lazy(
                "Please shorten this to at most %(limit_value)d character (it has %(show_value)d).",
                "Please shorten this to at most %(limit_value)d characters "
                "(it has %(show_value)d).",
                "limit_value",
            ),
            "min_length": ngettext_lazy(
                "Please write at least %(limit_value)d character.",
                "Please write at least %(limit_value)d characters.",
                "limit_value",
            ),
        }
        self.error_messages = {**messages, **kwargs.get("error_messages", {})}
        if max_length is not None:
            self.widget.attrs.setdefault("maxlength", str(max_length))

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not isinstance(text, str):
            return ""
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return unicodedata.normalize("NFC", text).strip()

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value:
            check_text(value, multiline=self.multiline)


def _valid_value(field: forms.ChoiceField, value: Any) -> bool:
    choices = field.choices
    if isinstance(choices, CachedChoices):
        # Its values are all text, so this is what ChoiceField.valid_value finds by a walk.
        return choices.has_value(str(value))
    return bool(forms.ChoiceField.valid_value(field, value))


class PlainChoiceField(CopiedCheaply, forms.ChoiceField):
    """A ChoiceField whose error never repeats the posted value."""

    default_error_messages = {
        "invalid_choice": _("Please choose one of the options shown."),
        "required": _("Please choose one of the options."),
    }

    def valid_value(self, value: Any) -> bool:
        return _valid_value(self, value)


class PlainMultipleChoiceField(CopiedCheaply, forms.MultipleChoiceField):
    default_error_messages = {
        "invalid_choice": _("Please choose only from the options shown."),
        "invalid_list": _("Please choose only from the options shown."),
        "required": _("Please choose at least one."),
    }

    def valid_value(self, value: Any) -> bool:
        return _valid_value(self, value)


class WholeNumberField(CopiedCheaply, forms.IntegerField):
    """An IntegerField that forms copy cheaply."""


class TickBoxField(CopiedCheaply, forms.BooleanField):
    """A BooleanField (one checkbox) that forms copy cheaply."""


# Input types whose value a browser never keeps in its form history.
_NOT_TYPED_INTO = frozenset(
    {"hidden", "checkbox", "radio", "file", "submit", "button", "image", "reset"}
)


def _typed_into(widget: forms.Widget) -> bool:
    if isinstance(widget, forms.Textarea):
        return True
    # Input takes the type from its attrs (``TextInput(attrs={"type": "tel"})``) at creation.
    return isinstance(widget, Input) and widget.input_type not in _NOT_TYPED_INTO


def leave_no_form_history(fields: Iterable[forms.Field]) -> None:
    """Make every box one types into say ``autocomplete="off"`` (SECURITY.md, T7).

    Browsers keep what was typed into a form (Firefox's formhistory.sqlite, Chrome's autofill),
    and neither Clear-Site-Data nor quick exit removes it: on a seized phone it would show a
    region, visas, a referral code, the times it is safe to call. The pages' ``<form>`` tags say
    ``autocomplete="off"`` too; this is the second lock, for browsers that heed only the box.
    An ``autocomplete`` a field already has is kept.
    """
    for field in fields:
        if _typed_into(field.widget):
            field.widget.attrs.setdefault("autocomplete", "off")


class LeavesNoFormHistory(forms.Form):
    """A form of the requester's public pages whose fields :func:`leave_no_form_history`
    marks on each form made. (Forms made per language mark their fields once per language,
    in ``prepare_fields``, instead.)"""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Each form's own copies (a field's deep copy copies its widget's attrs).
        leave_no_form_history(self.fields.values())


class FieldsMadePerLanguage(forms.Form):
    """A form whose fields are made ready once per language, then copied for each form.

    Django copies a form's declared fields for every form made, and then labels, help texts
    and choices are translated again on every use. Here the copy a form starts from is made
    once per language (:func:`_fields_in`): labels and help texts are translated text, choice
    lists are :class:`CachedChoices`, and whatever :meth:`prepare_fields` sets is already set.
    Error messages stay lazy: they are translated when shown, in the language then active.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The instance attribute shadows the declared fields, for BaseForm.__init__ to copy.
        self.base_fields = _fields_in(type(self), get_language() or "en")  # type: ignore[misc]
        super().__init__(*args, **kwargs)

    @classmethod
    def prepare_fields(cls, fields: dict[str, forms.Field]) -> None:
        """Change the fields for every form of this class (runs once per language, with that
        language active). Override to set attributes or choices."""


@lru_cache(maxsize=64)
def _fields_in(form_class: type[FieldsMadePerLanguage], language: str) -> dict[str, forms.Field]:
    declared: dict[str, forms.Field] = form_class.base_fields
    with override(language):
        fields = copy.deepcopy(declared)
        form_class.prepare_fields(fields)
        for field in fields.values():
            if field.label is not None:
                field.label = str(field.label)
            field.help_text = str(field.help_text)
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field.choices, CachedChoices
            ):
                field.choices = CachedChoices(cast(Iterable[tuple[Any, Any]], field.choices))
    return fields


def forget_fields_made() -> None:
    """Drop the fields made per language (tests, after changing translations)."""
    _fields_in.cache_clear()
