"""The intake form fields' internals that the form tests cannot see: the quick search for
refused characters agrees with the careful check, and forms copied cheaply share nothing they
may change."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from safehaven.intake.status_page.forms import ContactDetailsForm
from safehaven.intake.submission import fields
from safehaven.intake.submission.forms import HelpRequestForm


def refused(char: str, *, multiline: bool) -> bool:
    try:
        fields._check_character(char, multiline=multiline)
    except ValidationError:
        return True
    return False


@pytest.mark.parametrize("multiline", [False, True])
def test_it_suspects_exactly_the_characters_the_careful_check_refuses(multiline):
    suspect = fields._SUSPECT_MULTILINE if multiline else fields._SUSPECT_SINGLE_LINE
    everything = "".join(map(chr, range(0x110000)))
    suspected = {match.group() for match in suspect.finditer(everything)}
    careful = {char for char in everything if refused(char, multiline=multiline)}
    assert suspected == careful
    assert ("\n" in careful) is not multiline
    assert "\t" not in careful


def test_it_refuses_a_control_character_deep_in_long_text():
    with pytest.raises(ValidationError) as refusal:
        fields.check_text("a" * 4000 + "\x07" + "b", multiline=True)
    assert refusal.value.code == "control"


def test_forms_share_no_field_state_they_may_change():
    first, second = HelpRequestForm(), HelpRequestForm()
    for name in ("situation", "passport", "risk_indicators", "country"):
        a, b = first.fields[name], second.fields[name]
        assert a is not b
        assert a.widget is not b.widget
        assert a.widget.attrs is not b.widget.attrs
        assert a.error_messages is not b.error_messages
        assert a.validators is not b.validators
    first.fields["situation"].widget.attrs["data-x"] = "1"
    first.fields["passport"].error_messages["required"] = "changed"
    passport = first.fields["passport"]
    assert isinstance(passport, forms.ChoiceField)
    passport.choices = [("a", "A")]
    assert "data-x" not in second.fields["situation"].widget.attrs
    assert "data-x" not in HelpRequestForm.base_fields["situation"].widget.attrs
    assert second.fields["passport"].error_messages["required"] != "changed"
    other = second.fields["passport"]
    assert isinstance(other, forms.ChoiceField)
    assert not other.valid_value("a")
    assert ("a", "A") not in second.fields["passport"].widget.choices


@pytest.mark.parametrize("form_class", [HelpRequestForm, ContactDetailsForm])
def test_every_field_of_the_public_forms_is_copied_cheaply(form_class):
    # A field with Django's generic deep copy costs several times more on every submission.
    generic = [
        name
        for name, field in form_class.base_fields.items()
        if not isinstance(field, fields.CopiedCheaply)
    ]
    assert generic == []


def test_the_number_and_tick_box_fields_copy_their_widgets():
    first, second = HelpRequestForm(), HelpRequestForm()
    for name in ("companions", "consent"):
        assert first.fields[name].widget is not second.fields[name].widget
        assert first.fields[name].widget.attrs is not second.fields[name].widget.attrs
        assert first.fields[name].validators is not second.fields[name].validators
