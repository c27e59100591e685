"""The help request form: validation, normalisation and clear messages for bad input."""

import pytest
from django import forms
from django.utils import translation

from safehaven.intake.choices import PassportStatus, RiskIndicator
from safehaven.intake.submission.forms import HelpRequestForm
from safehaven.intake.submission.place_names import STATELESS
from safehaven.intake.tests.helpers import valid_post

TEXT_LIMITS = {
    "situation": 5000,
    "region": 200,
    "language_other": 100,
    "contact_other": 200,
    "contact_times": 300,
    "visas": 300,
    "checkin_phrase": 100,
    "duress_phrase": 100,
}


def errors_of(**overrides: object) -> dict[str, list[str]]:
    form = HelpRequestForm(data=valid_post(**overrides))
    assert not form.is_valid()
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


def test_it_accepts_the_smallest_request_and_gives_a_draft():
    form = HelpRequestForm(data=valid_post())
    assert form.is_valid(), form.errors
    draft = form.to_draft()
    assert draft.country == "RU"
    assert draft.citizenships == ("RU",)
    assert draft.contacts == {"signal": "+7 912 345-67-89"}
    assert draft.may_leave_message is False
    assert draft.companions == 0
    assert draft.passport == PassportStatus.UNKNOWN
    assert draft.checkin_phrase == draft.duress_phrase == ""
    assert "family" not in repr(draft)


def test_it_normalises_text_and_phrases():
    form = HelpRequestForm(
        data=valid_post(
            situation="  line one\r\nline two\rline three  ",
            checkin_phrase="  Blue   KETTLE-song ",
            duress_phrase="red kettle song",
            referral_code=" ab 12-cd ",
            risk_indicators=[RiskIndicator.OUTED, RiskIndicator.IN_HIDING],
            companions="٣",
        )
    )
    assert form.is_valid(), form.errors
    draft = form.to_draft()
    assert draft.situation == "line one\nline two\nline three"
    assert draft.checkin_phrase == "blue kettle song"
    assert draft.referral_code == "AB12-CD"
    assert draft.risk_indicators == {"outed", "in_hiding"}
    assert draft.companions == 3


@pytest.mark.parametrize(("field", "limit"), TEXT_LIMITS.items())
def test_it_refuses_over_long_text_naming_the_limit(field, limit):
    errors = errors_of(**{field: "a" * (limit + 1)})
    assert errors[field] == [
        f"Please shorten this to at most {limit} characters (it has {limit + 1})."
    ]


def test_it_counts_a_line_break_as_one_character():
    text = ("a" * 9 + "\r\n") * 500
    form = HelpRequestForm(data=valid_post(situation=text.strip()))
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    "bad",
    ["nul \x00 byte", "bell \x07", "escape \x1b[31m", "lone \ud800 surrogate", "bad \ufffd byte"],
)
def test_it_refuses_odd_characters_without_repeating_them(bad):
    errors = errors_of(situation=bad, region=bad)
    for field in ("situation", "region"):
        assert len(errors[field]) == 1
        assert bad not in errors[field][0]


def test_it_refuses_a_line_break_in_a_one_line_field():
    assert errors_of(region="Chechnya\nGrozny")["region"] == ["Please keep this on one line."]


def test_it_accepts_any_script_with_its_joiners_and_marks():
    persian = "من در خانه\u200cام پنهان شده\u200cام"  # noqa: RUF001 - Persian text
    form = HelpRequestForm(
        data=valid_post(situation=f"{persian} 🏳️\u200d🌈 \u200fمرحبا", region="Кавказ")  # noqa: RUF001
    )
    assert form.is_valid(), form.errors
    assert form.to_draft().situation.startswith(persian)


def test_it_keeps_html_as_plain_text():
    form = HelpRequestForm(data=valid_post(situation="<b>help</b> <script>x()</script>"))
    assert form.is_valid()
    assert form.to_draft().situation == "<b>help</b> <script>x()</script>"


def test_it_asks_for_consent():
    assert errors_of(consent=None)["consent"] == [
        "Please tick this box to send your request. We cannot help without it."
    ]


@pytest.mark.parametrize(
    ("checkin", "duress"),
    [
        ("blue kettle", "blue kettle"),
        ("Blue  Kettle", "blue-kettle"),
        ("BLUE KETTLE", "blue kettle"),
    ],
)
def test_it_refuses_a_danger_phrase_equal_to_the_check_in_phrase(checkin, duress):
    assert errors_of(checkin_phrase=checkin, duress_phrase=duress)["duress_phrase"] == [
        "The danger phrase must be different from the check-in phrase."
    ]


def test_it_needs_a_check_in_phrase_for_a_danger_phrase():
    assert "checkin_phrase" in errors_of(duress_phrase="red kettle")


def test_it_needs_at_least_one_way_to_reach_the_person():
    errors = errors_of(contact_signal="")
    assert errors["__all__"] == ["Please give at least one safe way to reach you."]


def test_it_needs_no_language_nor_citizenship_as_their_labels_say():
    # "Languages you speak (optional)" was required (issue 16).
    form = HelpRequestForm(data=valid_post(languages=None, citizenships=None))
    assert form.is_valid(), form.errors
    draft = form.to_draft()
    assert (draft.languages, draft.citizenships) == ((), ())
    assert not form.fields["languages"].required
    assert not form.fields["citizenships"].required
    assert HelpRequestForm(data=valid_post(languages=[], language_other="Avar")).is_valid()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("contact_phone", "call me maybe"),
        ("contact_phone", "5551"),
        ("contact_whatsapp", "+7 912 CALL-ME"),
        ("contact_telegram", "@no"),
        ("contact_signal", "not a signal name"),
        ("contact_email", "nobody@"),
    ],
)
def test_it_refuses_unusable_contact_details_without_repeating_them(field, value):
    errors = errors_of(**{field: value})
    assert len(errors[field]) == 1
    assert value not in errors[field][0]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("contact_phone", "+٩٧١ ٥٠ ١٢٣ ٤٥٦٧"),  # noqa: RUF001 - Arabic-Indic digits
        ("contact_whatsapp", "+44 (0)7700 900-123"),
        ("contact_telegram", "@safe_name"),
        ("contact_signal", "river.42"),
        ("contact_email", "ana.k@пример.рф"),
    ],
)
def test_it_accepts_usual_contact_details(field, value):
    form = HelpRequestForm(data=valid_post(**{field: value}))
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("field", "value"),
    [("country", "ZZ<script>"), ("citizenships", ["RU", "QQ"]), ("languages", ["tlh"])],
)
def test_it_refuses_unknown_choices_without_repeating_them(field, value):
    errors = errors_of(**{field: value})
    assert "ZZ" not in errors[field][0]
    assert "QQ" not in errors[field][0]
    assert "tlh" not in errors[field][0]


def test_it_refuses_stateless_together_with_a_citizenship():
    assert "citizenships" in errors_of(citizenships=[STATELESS, "RU"])
    assert HelpRequestForm(data=valid_post(citizenships=[STATELESS])).is_valid()


@pytest.mark.parametrize("companions", ["-1", "21", "two", "1.5"])
def test_it_refuses_odd_household_sizes(companions):
    assert "companions" in errors_of(companions=companions)


def test_it_refuses_a_malformed_referral_code():
    assert "referral_code" in errors_of(referral_code="<x>")


def country_names() -> dict[str, str]:
    field = HelpRequestForm().fields["country"]
    assert isinstance(field, forms.ChoiceField)
    return dict(field.choices)  # type: ignore[arg-type]


def test_it_names_countries_in_the_language_of_the_page():
    with translation.override("fr"):
        names = country_names()
    assert names["DE"] == "Allemagne"
    assert "XK" in names
    with translation.override("ar"):
        assert country_names()["IR"] == "إيران"


def test_it_names_each_language_in_its_own_language_and_direction(client, db):
    page = client.get("/en/help/").content.decode()
    assert '<span lang="ru" dir="ltr">Русский</span> (Russian)' in page
    assert '<span lang="fa" dir="rtl">فارسی / دری</span> (Persian)' in page
    # On a page in that language, its name is not repeated.
    french = client.get("/fr/help/").content.decode()
    assert '<span lang="fr" dir="ltr">Français</span></label>' in french.replace("\n", "")


def test_it_makes_fields_once_per_language_and_gives_each_form_its_own_copy():
    with translation.override("fr"):
        first, second = HelpRequestForm(), HelpRequestForm()
    with translation.override("en"):
        english = HelpRequestForm()
    assert first.fields["situation"] is not second.fields["situation"]
    first.fields["situation"].widget.attrs["data-mine"] = "1"
    assert "data-mine" not in second.fields["situation"].widget.attrs
    assert "data-mine" not in HelpRequestForm().fields["situation"].widget.attrs
    # Labels and help texts are text in the language the form was made in, not lazy.
    assert type(first.fields["contact_whatsapp"].help_text) is str
    assert first.fields["situation"].label != english.fields["situation"].label
    assert english.fields["contact_whatsapp"].help_text == "Your number with its country code."
    # The declared fields are untouched: still lazy, for the next language.
    assert type(HelpRequestForm.base_fields["contact_whatsapp"].help_text) is not str


def test_it_says_what_is_wrong_in_the_language_active_when_checked():
    with translation.override("fr"):
        form = HelpRequestForm(valid_post(consent=None))
        assert not form.is_valid()
        french = form.errors["consent"][0]
    with translation.override("en"):
        form = HelpRequestForm(valid_post(consent=None))
        assert not form.is_valid()
        assert form.errors["consent"][0] != french
        assert str(form.errors["consent"][0]).startswith("Please tick this box")


@pytest.mark.parametrize("phrase", ["- - - -", "....", "— — —", "a-b-"])
def test_it_refuses_a_phrase_of_marks_only(phrase):
    # Without case, dashes and spaces nothing (or too little) would be left to compare:
    # the person would think they had a phrase and have none.
    assert errors_of(checkin_phrase=phrase)["checkin_phrase"] == [
        "Please write at least 4 characters."
    ]
    assert errors_of(checkin_phrase="blue river", duress_phrase=phrase)["duress_phrase"] == [
        "Please write at least 4 characters."
    ]


def test_it_takes_a_short_phrase_with_spaces_as_typed():
    form = HelpRequestForm(data=valid_post(checkin_phrase="I am"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["checkin_phrase"] == "i am"
