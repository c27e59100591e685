"""Country and language choices in the language of the page.

Countries are ISO 3166-1 alpha-2 codes from ``pycountry``, plus Kosovo (``XK``, the code used by
the EU and most passport databases), named through the CLDR data that ``babel`` ships. A person
finds their own language by its own name (its autonym), whatever language the page is in.
"""

from functools import cache

import pycountry
from babel import Locale, UnknownLocaleError
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

EXTRA_COUNTRIES = {"XK": "Kosovo"}
STATELESS = "stateless"

# Languages of the people who ask most, and of the staff who answer; "Other" takes the rest.
CURATED_LANGUAGES = (
    "ar",
    "fa",
    "ps",
    "ru",
    "uk",
    "ce",
    "uz",
    "tg",
    "tr",
    "ku",
    "ur",
    "bn",
    "en",
    "fr",
    "es",
    "pt",
    "sw",
    "am",
    "so",
    "ha",
)
# Afghans call their Persian "Dari"; naming both avoids them skipping past it.
AUTONYM_OVERRIDES = {"fa": "فارسی / دری"}


def _locale(language: str | None) -> Locale:
    try:
        return Locale.parse((language or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@cache
def _country_choices(language: str) -> tuple[tuple[str, str], ...]:
    names = _locale(language).territories
    codes = {country.alpha_2: country.name for country in pycountry.countries}
    codes.update(EXTRA_COUNTRIES)
    named = [(code, str(names.get(code) or fallback)) for code, fallback in codes.items()]
    return tuple(sorted(named, key=lambda choice: choice[1].casefold()))


def country_choices() -> list[tuple[str, str]]:
    return list(_country_choices(get_language() or "en"))


def citizenship_choices() -> list[tuple[str, str]]:
    return [(STATELESS, str(_("I have no citizenship (stateless)"))), *country_choices()]


@cache
def _language_choices(language: str) -> tuple[tuple[str, str], ...]:
    """Each language by its own name, marked up in its own language and direction so that
    screen readers pronounce it and bidirectional text keeps its order (WCAG 3.1.2), followed
    by its name in the page's language when that differs."""
    names = _locale(language).languages
    choices = []
    for code in CURATED_LANGUAGES:
        autonym = AUTONYM_OVERRIDES.get(code) or _locale(code).get_display_name(code) or code
        autonym = autonym[:1].upper() + autonym[1:]
        direction = "rtl" if _locale(code).character_order == "right-to-left" else "ltr"
        own = format_html('<span lang="{}" dir="{}">{}</span>', code, direction, autonym)
        local = names.get(code, "")
        same = not local or local.casefold() == autonym.casefold()
        choices.append((code, own if same else format_html("{} ({})", own, local)))
    return tuple(choices)


def language_choices() -> list[tuple[str, str]]:
    return list(_language_choices(get_language() or "en"))
