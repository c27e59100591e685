"""A crisis's places, named in the language of the page."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from babel.lists import format_list
from django.utils.translation import gettext

from safehaven.countries.models import Crisis


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def crisis_places(crisis: Crisis, language: str) -> str:
    """Its places as one phrase in ``language``: a country where the crisis names none of its
    regions, else each named region with its country ("Chechnya (Russia)"), joined as the
    language joins a list ("A, B and C"). Countries come from the CLDR names ``babel`` ships;
    a region's name is looked up by its English name in the site's translations (the request
    form translates the regions it offers), and stays English where there is none."""
    locale = _locale(language)
    regions = list(crisis.regions.all())
    phrases = []
    for country in crisis.countries.all():
        country_name = str(locale.territories.get(country.iso2) or country.name)
        named = [region for region in regions if region.country_id == country.iso2]
        if not named:
            phrases.append(country_name)
            continue
        for region in sorted(named, key=lambda region: region.name):
            # A msgid read from the database: found only if the code base translates it.
            phrases.append(f"{gettext(region.name)} ({country_name})")
    phrases.sort(key=str.casefold)
    return format_list(phrases, locale=locale) if phrases else ""
