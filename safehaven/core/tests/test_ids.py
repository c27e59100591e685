"""Ids typed into a request: plain ASCII digits that fit an integer column, or refused."""

import pytest
from django import forms

from safehaven.accounts.models import Organisation
from safehaven.core.ids import IdsChoiceField, is_plain_id


@pytest.mark.parametrize("value", ["0", "7", "123456789012345678"])
def test_it_takes_short_ascii_numbers(value):
    assert is_plain_id(value)


@pytest.mark.parametrize(
    "value", ["", "²", "١٢", "1 2", "-1", "+1", "1.0", "1234567890123456789", "9" * 5000]
)
def test_it_refuses_what_int_or_a_database_column_cannot_take(value):
    assert not is_plain_id(value)


def test_it_bounds_the_digits_when_asked():
    assert is_plain_id("99", max_digits=2)
    assert not is_plain_id("100", max_digits=2)


class OrganisationsForm(forms.Form):
    organisations = IdsChoiceField(queryset=Organisation.objects.all())


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["99999999999999999999999", "²", "x"])
def test_it_refuses_an_id_no_column_holds_as_an_invalid_choice(value):
    form = OrganisationsForm({"organisations": [value]})
    assert not form.is_valid()
    assert form.errors["organisations"] == [f"“{value}” is not a valid value."]


@pytest.mark.django_db
def test_it_still_chooses_rows_by_their_ids():
    organisation = Organisation.objects.create(name="Kept")
    form = OrganisationsForm({"organisations": [str(organisation.pk)]})
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["organisations"]) == [organisation]
