"""Long option lists (countries, citizenships) rendered without a template per option.

Django renders each ``<option>`` through ``select_option.html`` and ``attrs.html``: the request
form has some 500 of them, which made its page cost about 100 ms of server time, and every
person asking for help loads that page (it carries their proof-of-work challenge).

``CachedChoices`` holds the choices of one language, made once per process and language (the
request form caches them) and shared by every form: Django keeps a choice iterator as it is,
so a form no longer normalises and copies hundreds of pairs. It also keeps each option's
markup, built once.
``CachedSelect`` and ``CachedSelectMultiple`` put a page's ``<select>`` together from that
markup: the element's own attributes (name, id, ``required``, ``aria-describedby``,
``aria-invalid``, ``size``, ``multiple``) come from Django (``BoundField``, the widget's attrs)
exactly as before, and the chosen options get ``selected`` by Django's rules. The markup is the
one Django's templates make, byte for byte (``tests/test_widgets.py`` holds them side by side,
through the form's own renderer, so overriding those templates would fail it); with other
choices the widgets fall back to Django's templates.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Self

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeData, SafeString, mark_safe

# What Django's select.html puts around each option and after the last one.
_OPTION = '\n  <option value="{value}"{selected}>{label}</option>\n'
_END = "\n</select>"


def _attribute_value(value: Any) -> str:
    """``{{ value|stringformat:'s' }}`` in a template that escapes (Django's attrs.html)."""
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = f"{value}"
    except (ValueError, TypeError):
        return ""
    return text if isinstance(value, SafeData) else escape(text)


def attributes_html(attrs: dict[str, Any]) -> str:
    """What Django's ``attrs.html`` makes of ``attrs``: ``True`` gives a bare name, ``False``
    leaves the attribute out, anything else is escaped."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}")
        if value is not True:
            parts.append(f'="{_attribute_value(value)}"')
    return "".join(parts)


class CachedChoices(BaseChoiceIterator):
    """Flat (value, label) choices, fixed once made; labels are evaluated at once, so make
    one per language. Copies are the object itself: nothing changes it."""

    def __init__(self, choices: Iterable[tuple[Any, Any]]) -> None:
        pairs = []
        for value, label in choices:
            if isinstance(label, list | tuple):
                raise ValueError("CachedChoices takes flat choices, not groups")
            # Django renders and compares a None value as "".
            pairs.append(("" if value is None else str(value), str(label)))
        self._choices: tuple[tuple[str, str], ...] = tuple(pairs)
        self._values = frozenset(value for value, _label in pairs)
        self._options: tuple[tuple[str, str, str], ...] | None = None
        self._unselected: str | None = None

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._choices)

    def __len__(self) -> int:
        return len(self._choices)

    def __copy__(self) -> Self:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        return self

    def has_value(self, value: str) -> bool:
        """Whether ``value`` is one of the choices (what ``ChoiceField.valid_value`` checks,
        without walking the list)."""
        return value in self._values

    def options(self) -> tuple[tuple[str, str, str], ...]:
        """(value, markup, markup when selected) of every option, in order."""
        if self._options is None:
            # Two threads may both build it; both get the same, so no lock is needed.
            self._options = tuple(
                (
                    value,
                    _OPTION.format(
                        value=_attribute_value(value), selected="", label=conditional_escape(label)
                    ),
                    _OPTION.format(
                        value=_attribute_value(value),
                        selected=" selected",
                        label=conditional_escape(label),
                    ),
                )
                for value, label in self._choices
            )
        return self._options

    def unselected_html(self) -> str:
        """Every option's markup, none selected."""
        if self._unselected is None:
            self._unselected = "".join(markup for _value, markup, _chosen in self.options())
        return self._unselected


class _CachedOptions(forms.Select):
    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        choices = self.choices
        if not isinstance(choices, CachedChoices) or (
            self.template_name,
            self.option_template_name,
        ) != (forms.Select.template_name, forms.Select.option_template_name):
            return super().render(name, value, attrs, renderer)
        # The select's attributes as Widget.get_context and Select.get_context build them.
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        head = f'<select name="{conditional_escape(name)}"{attributes_html(final_attrs)}>'
        options = _options_html(
            choices, set(self.format_value(value)), multiple=self.allow_multiple_selected
        )
        # Every part is escaped: the name and attributes above, the options in CachedChoices.
        return mark_safe(head + options + _END)  # noqa: S308


def _options_html(choices: CachedChoices, chosen: set[str], *, multiple: bool) -> str:
    if not chosen:
        return choices.unselected_html()
    parts = []
    has_selected = False
    # As ChoiceWidget.optgroups: a single select marks only the first match.
    for value, markup, selected_markup in choices.options():
        if (multiple or not has_selected) and value in chosen:
            has_selected = True
            parts.append(selected_markup)
        else:
            parts.append(markup)
    return "".join(parts)


class CachedSelect(_CachedOptions):
    """A ``Select`` that renders ``CachedChoices`` without a template per option."""


class CachedSelectMultiple(_CachedOptions, forms.SelectMultiple):
    """A ``SelectMultiple`` that renders ``CachedChoices`` without a template per option."""


_MOST_SHOWN = 10


class SelectsToAddTo(CachedSelect):
    """Several choices made with plain one-choice selects of one name, instead of a
    ``<select multiple>``: that one needs Ctrl or ⌘ on a computer and is clumsy on a phone,
    while a plain select opens the phone's own picker at a tap. There is always one empty
    select more than there are choices made, up to ``most``, so that a person adds another
    choice without JavaScript (or after the page comes back with a problem). The data is what
    a ``<select multiple>`` posts: the name repeated, read as a list; empty selects are
    dropped. ``another_label`` labels the selects after the first (the field's label names
    the first)."""

    def __init__(self, *args: Any, another_label: object, most: int = 4, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.another_label = another_label
        self.most = most

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        try:
            values = data.getlist(name)
        except AttributeError:
            values = data.get(name)
        if values is None:
            return []
        if not isinstance(values, list | tuple):
            values = [values]
        return [value for value in values if value != ""]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # as a <select multiple>: nothing chosen posts nothing

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        # Every choice made is shown again (each once, and no more than a person could mean:
        # a posted list is not a way to make the page huge).
        chosen = list(dict.fromkeys(text for text in self.format_value(value) if text))
        chosen = chosen[:_MOST_SHOWN]
        count = max(2, min(len(chosen) + 1, self.most), len(chosen))
        first_attrs = dict(attrs or {})
        first_id = str(self.build_attrs(self.attrs, first_attrs).get("id", ""))
        parts = []
        for index in range(count):
            one = chosen[index] if index < len(chosen) else ""
            if index == 0:
                parts.append(super().render(name, one, first_attrs, renderer))
                continue
            own_id = f"{first_id}_{index + 1}"
            others = {key: val for key, val in first_attrs.items() if key != "aria-describedby"}
            others["id"] = own_id
            parts.append(
                format_html(
                    '<div class="another-choice"><label for="{}">{}</label>{}</div>',
                    own_id,
                    self.another_label,
                    super().render(name, one, others, renderer),
                )
            )
        return mark_safe("\n".join(parts))  # noqa: S308 - each part escaped above
