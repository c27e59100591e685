"""The referral form: the same field names and string values from the portal (a posted form,
with ticked boxes), the API (JSON) and a file; the public form's checks; consent required."""

import pytest
from django.http import QueryDict

from safehaven.partners.referrals.forms import ReferralForm
from safehaven.partners.tests.referral_helpers import referral_data


def errors_of(**overrides: object) -> dict[str, list[str]]:
    form = ReferralForm(referral_data(**overrides), regions={})
    form.is_valid()
    return {name: [str(error) for error in errors] for name, errors in form.errors.items()}


def test_it_takes_a_posted_portal_form_with_ticked_boxes():
    posted = QueryDict(mutable=True)
    posted.update({"situation": "Hiding.", "country": "kg", "consent": "on"})
    posted.setlist("risk_indicators", ["in_hiding", "violence"])
    form = ReferralForm(posted, regions={})
    assert form.is_valid(), form.errors
    draft = form.draft()
    assert draft.request.country == "KG"
    assert draft.request.risk_indicators == frozenset({"in_hiding", "violence"})
    assert draft.request.contacts == {}
    assert draft.request.page_language == "en"
    assert draft.known_as == ""
    assert "Hiding" not in repr(draft)


@pytest.mark.parametrize("consent", ["", "no", "false", "0", None])
def test_it_needs_the_partner_to_say_the_person_agreed(consent):
    assert list(errors_of(consent=consent)) == ["consent"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"situation": ""}, "situation"),
        ({"country": "ZZ"}, "country"),
        ({"languages": "russian"}, "languages"),
        ({"risk_indicators": "detained,scared"}, "risk_indicators"),
        ({"contact_method": "", "contact": "+7 912 345 67 89"}, "contact_method"),
        ({"contact_method": "email", "contact": ""}, "contact"),
        ({"contact_method": "whatsapp", "contact": "call me"}, "contact"),
        ({"contact_method": "pigeon"}, "contact_method"),
        ({"companions": "21"}, "companions"),
        ({"may_leave_message": "maybe"}, "may_leave_message"),
        ({"page_language": "de"}, "page_language"),
        ({"known_as": "Anna\x00"}, "known_as"),
    ],
)
def test_it_refuses_what_the_public_form_would_refuse(overrides, field):
    assert list(errors_of(**overrides)) == [field]


def test_it_finds_the_region_by_its_code_or_name():
    regions = {"RU": [("RU-CE", "Chechnya")]}
    for typed in ("RU-CE", "chechnya", "  Chechnya "):
        form = ReferralForm(referral_data(region=typed), regions=regions)
        assert form.is_valid(), form.errors
        assert form.draft().request.region_code == "RU-CE"
    form = ReferralForm(referral_data(region="Grozny"), regions=regions)
    assert form.is_valid()
    assert form.draft().request.region_code == ""
