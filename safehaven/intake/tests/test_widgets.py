"""The long selects of the request form give, byte for byte, the markup of Django's templates."""

import copy

import pytest
from django import forms
from django.utils import translation

from safehaven.intake.submission.forms import HelpRequestForm
from safehaven.intake.submission.place_names import STATELESS
from safehaven.intake.submission.widgets import (
    CachedChoices,
    CachedSelect,
    CachedSelectMultiple,
    SelectsToAddTo,
)
from safehaven.intake.tests.helpers import valid_post

SCRIPT = '"><script>alert(1)</script>'
FORM_DATA = [
    None,
    {},
    valid_post(),
    valid_post(country="FR", citizenships=["RU", "FR", "XK"]),
    valid_post(country="", citizenships=[]),
    valid_post(country=SCRIPT, citizenships=[SCRIPT, "RU"]),
    valid_post(country="RU", citizenships=[STATELESS, "RU", "RU"]),
]


def django_markup(form: HelpRequestForm, name: str) -> str:
    """The field as Django's own Select / SelectMultiple templates render it (one Select per
    choice made, and one more, for the selects to add to)."""
    widget = form.fields[name].widget
    if isinstance(widget, SelectsToAddTo):
        return selects_to_add_to(form, name, widget)
    if isinstance(widget, CachedSelectMultiple):
        plain: forms.Select = forms.SelectMultiple(attrs=copy.copy(widget.attrs))
    else:
        plain = forms.Select(attrs=copy.copy(widget.attrs))
    plain.choices = list(widget.choices)
    return str(form[name].as_widget(widget=plain))


def selects_to_add_to(form: HelpRequestForm, name: str, widget: SelectsToAddTo) -> str:
    chosen = list(dict.fromkeys(value for value in form[name].value() or [] if value))
    values = chosen + [""] * (max(2, min(len(chosen) + 1, widget.most), len(chosen)) - len(chosen))
    plain = forms.Select(attrs=copy.copy(widget.attrs))
    plain.choices = list(widget.choices)
    first_attrs = form[name].build_widget_attrs({})
    parts: list[str] = [plain.render(name, values[0], {**first_attrs, "id": f"id_{name}"})]
    for index, value in enumerate(values[1:], start=2):
        others = {key: val for key, val in first_attrs.items() if key != "aria-describedby"}
        parts.append(
            f'<div class="another-choice"><label for="id_{name}_{index}">{widget.another_label}'
            f"</label>{plain.render(name, value, {**others, 'id': f'id_{name}_{index}'})}</div>"
        )
    return "\n".join(parts)


@pytest.mark.parametrize("language", ["en", "ru", "ar", "fr", "es", "fa"])
@pytest.mark.parametrize("data", FORM_DATA)
def test_it_renders_the_long_selects_as_django_does(language, data):
    with translation.override(language):
        form = HelpRequestForm(data)
        if data is not None:
            form.is_valid()
        for name in ("country", "citizenships"):
            assert isinstance(form.fields[name].widget.choices, CachedChoices)
            assert str(form[name]) == django_markup(form, name)


def test_it_marks_what_was_chosen_and_keeps_the_accessible_attributes():
    form = HelpRequestForm(valid_post(country="FR", citizenships=["RU", "FR"]))
    form.is_valid()
    country = str(form["country"])
    assert country.startswith('<select name="country" required id="id_country">')
    assert '<option value="FR" selected>France</option>' in country
    assert country.count(" selected") == 1
    citizenships = str(form["citizenships"])
    assert citizenships.count('aria-describedby="id_citizenships_helptext"') == 1
    # Plain selects a phone opens at a tap, one per citizenship and one to add another.
    assert " multiple" not in citizenships
    assert citizenships.count('<select name="citizenships"') == 3
    assert citizenships.count(" selected>") == 3
    assert '<option value="RU" selected>' in citizenships.split("</select>")[0]
    assert '<option value="FR" selected>' in citizenships.split("</select>")[1]
    assert '<option value="" selected>' in citizenships.split("</select>")[2]
    assert '<label for="id_citizenships_3">' in citizenships

    invalid = HelpRequestForm(valid_post(country=""))
    invalid.is_valid()
    assert 'aria-invalid="true"' in str(invalid["country"])


def test_it_escapes_names_and_falls_back_to_templates_for_other_choices():
    tricky = CachedChoices([("a&b", "<b>bold</b>"), (None, "none")])
    html = CachedSelect(choices=tricky).render("pick", None, {"id": "id_pick"})
    assert '<option value="a&amp;b">&lt;b&gt;bold&lt;/b&gt;</option>' in html
    assert '<option value="" selected>none</option>' in html
    plain = forms.Select(choices=[("a&b", "<b>bold</b>"), ("", "none")])
    assert html == plain.render("pick", None, {"id": "id_pick"})
    listed = CachedSelectMultiple(choices=[("x", "X")]).render("pick", ["x"])
    assert listed == forms.SelectMultiple(choices=[("x", "X")]).render("pick", ["x"])


def test_it_shares_one_set_of_choices_per_language():
    # Explicitly English: a page requested earlier in this thread may have left its language on.
    with translation.override("en"):
        first, second = HelpRequestForm(), HelpRequestForm()
    assert first.fields["country"].widget.choices is second.fields["country"].widget.choices
    with translation.override("fr"):
        french = HelpRequestForm()
    assert french.fields["country"].widget.choices is not first.fields["country"].widget.choices
    with pytest.raises(ValueError, match="flat"):
        CachedChoices([("group", [("a", "A")])])
