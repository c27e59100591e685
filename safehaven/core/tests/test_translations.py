"""The translation catalogues (docs/translations.md): complete, faithful to their sources,
compiled, and actually shown on the public pages.

People in danger read these pages in their own language: an English fallback, a dropped
placeholder or a stale .mo file would show them something other than what was reviewed.
"""

import gettext
import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation.template import templatize

SAFEHAVEN = Path(settings.BASE_DIR) / "safehaven"
LOCALE_DIR = SAFEHAVEN / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
LANDING_HEADING = "Help for LGBTQ+ people in danger"

# Pages a person asking for help can reach without an account. The staff-only triage pages
# of the intake app are covered by the whole-catalogue tests below.
PUBLIC_TEMPLATES = sorted(
    path
    for pattern in ("core/templates/*.html", "core/templates/core/**/*.html")
    for path in SAFEHAVEN.glob(pattern)
) + sorted(
    path
    for path in (SAFEHAVEN / "intake" / "templates").glob("**/*.html")
    if not path.name.startswith("triage_")
)

PERCENT_PLACEHOLDER = re.compile(r"%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[sdifr%]")
BRACE_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
HTML_TAG = re.compile(r"<[^>]+>")


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def mo_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"


def load_catalog(language: str) -> Catalog:
    with po_path(language).open("rb") as po_file:
        return read_po(po_file)


def messages_of(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]


def translations_of(message: Message) -> list[str]:
    if isinstance(message.string, tuple | list):
        return list(message.string)
    return [message.string or ""]


def sources_of(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple | list) else [message.id]


def placeholders(text: str, flags: set[str]) -> list[str]:
    found: list[str] = []
    if "python-format" in flags:
        found += PERCENT_PLACEHOLDER.findall(text)
    if "python-brace-format" in flags:
        found += BRACE_PLACEHOLDER.findall(text)
    return sorted(set(found))


def describe(message: Message) -> str:
    return repr(sources_of(message)[0][:70])


def test_it_has_a_catalogue_and_a_compiled_file_for_every_language():
    assert LANGUAGES, "settings.LANGUAGES lists no language besides the source"
    for language in LANGUAGES:
        assert po_path(language).is_file(), f"missing {po_path(language)}"
        assert mo_path(language).is_file(), f"missing {mo_path(language)}: run compilemessages"


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_names_the_language_in_each_catalogue(language: str):
    catalog = load_catalog(language)
    assert str(catalog.locale) == language
    assert catalog.num_plurals >= 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_leaves_no_message_untranslated(language: str):
    catalog = load_catalog(language)
    messages = messages_of(catalog)
    assert messages, f"{language}: the catalogue is empty"
    untranslated = [
        describe(message)
        for message in messages
        if not all(text.strip() for text in translations_of(message))
    ]
    assert not untranslated, f"{language}: {len(untranslated)} untranslated: {untranslated}"
    wrong_plurals = [
        describe(message)
        for message in messages
        if message.pluralizable and len(translations_of(message)) != catalog.num_plurals
    ]
    assert not wrong_plurals, f"{language}: not {catalog.num_plurals} plural forms: {wrong_plurals}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_leaves_no_fuzzy_entry(language: str):
    catalog = load_catalog(language)
    assert not catalog.fuzzy, f"{language}: the header is marked fuzzy"
    fuzzy = [describe(message) for message in messages_of(catalog) if message.fuzzy]
    assert not fuzzy, f"{language}: {len(fuzzy)} fuzzy entries: {fuzzy}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_keeps_every_placeholder_of_the_source(language: str):
    mismatches = []
    for message in messages_of(load_catalog(language)):
        flags = set(message.flags)
        expected = sorted(
            {found for source in sources_of(message) for found in placeholders(source, flags)}
        )
        for text in translations_of(message):
            if placeholders(text, flags) != expected:
                mismatches.append((describe(message), expected, text))
    assert not mismatches, f"{language}: placeholders differ: {mismatches}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_keeps_the_html_tags_of_the_source(language: str):
    mismatches = []
    for message in messages_of(load_catalog(language)):
        expected = sorted(HTML_TAG.findall(sources_of(message)[0]))
        for text in translations_of(message):
            if sorted(HTML_TAG.findall(text)) != expected:
                mismatches.append((describe(message), text))
    assert not mismatches, f"{language}: HTML tags differ: {mismatches}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_keeps_each_compiled_file_up_to_date_with_its_catalogue(language: str):
    compiled = io.BytesIO()
    write_mo(compiled, load_catalog(language))
    compiled.seek(0)
    expected = vars(gettext.GNUTranslations(compiled))["_catalog"]
    with mo_path(language).open("rb") as mo_file:
        committed = vars(gettext.GNUTranslations(mo_file))["_catalog"]
    # The header entry ("") differs by compiler (msgfmt or babel); the messages must not.
    expected = {key: value for key, value in expected.items() if key != ""}
    committed = {key: value for key, value in committed.items() if key != ""}
    stale = sorted(str(key)[:70] for key in expected.keys() ^ committed.keys())
    assert not stale, f"{language}: django.mo is out of date (compilemessages): {stale}"
    changed = sorted(str(key)[:70] for key in expected if expected[key] != committed[key])
    assert not changed, f"{language}: django.mo has other translations: {changed}"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_it_shows_a_translated_heading_on_the_landing_page(client: Client, language: str):
    with translation.override(language):
        heading = translation.gettext(LANDING_HEADING)
    assert heading != LANDING_HEADING, f"{language}: the heading has no translation"
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{escape(heading)}</h1>" in html
    assert LANDING_HEADING not in html
    assert f'<html lang="{language}"' in html


def template_msgids(path: Path) -> list[str | tuple[str, ...]]:
    """The msgids makemessages takes from a template: Django's templatize, then extraction."""
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    # templatize writes one gettext call per string amid filler, for xgettext; without the
    # filler's indentation Python's tokenizer reads it too.
    code = "\n".join(line.strip() for line in code.splitlines())
    found = extract("python", io.BytesIO(code.encode("utf-8")))
    return [message for _lineno, message, _comments, _context in found]


def test_it_finds_the_strings_of_the_public_templates():
    assert PUBLIC_TEMPLATES, "no public template found"
    landing = SAFEHAVEN / "core" / "templates" / "core" / "landing.html"
    assert landing in PUBLIC_TEMPLATES
    assert LANDING_HEADING in template_msgids(landing)


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_translates_every_string_of_the_public_templates(language: str):
    catalog = load_catalog(language)
    problems = []
    for path in PUBLIC_TEMPLATES:
        for msgid in template_msgids(path):
            key = msgid[0] if isinstance(msgid, tuple) else msgid
            message = catalog.get(key)
            where = f"{path.relative_to(SAFEHAVEN)}: {key[:70]!r}"
            if message is None:
                problems.append(f"{where} is not in the catalogue (run makemessages)")
            elif message.fuzzy or not all(text.strip() for text in translations_of(message)):
                problems.append(f"{where} is not translated")
    assert not problems, f"{language}: " + "; ".join(problems)
