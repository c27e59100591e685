"""The public impact page's figures in the page's language: country names from the CLDR data
``babel`` ships (as the request form names them), the cut-off day written out, and the chart."""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.lists import format_list
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from safehaven.intake.submission.place_names import country_choices
from safehaven.reports.charts.svg import Bar, bar_chart
from safehaven.reports.public_impact.figures import ImpactFigures

# English days as "30 September 2026" (babel's "en" is American: "September 30, 2026").
DATE_LOCALES = {"en": "en_GB"}


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(DATE_LOCALES.get(language, language).replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_GB")


@dataclass(frozen=True)
class ImpactPage:
    figures: ImpactFigures
    cut_off: str
    origins: list[tuple[str, int]]
    origins_chart: SafeString | None
    death_in_force: str
    death_possible: str


def impact_page(figures: ImpactFigures) -> ImpactPage:
    language = get_language() or "en"
    locale = _locale(language)
    names = dict(country_choices())

    def named(codes: tuple[str, ...]) -> str:
        # A code no list knows (written into the database by hand) is shown as it is, escaped.
        listed = sorted((names.get(code, code) for code in codes), key=str.casefold)
        return format_list(listed, locale=locale)

    # By rounded figure, then by name: never by the exact counts (figures.py says why).
    origins = sorted(
        ((names.get(code, code), people) for code, people in figures.origins.named),
        key=lambda row: (-row[1], row[0].casefold()),
    )
    if figures.origins.others:
        origins.append((_("Other countries"), figures.origins.others))
    chart = None
    if origins:
        chart = bar_chart(
            [Bar(label, people) for label, people in origins],
            title=_("Countries the people we relocated came from"),
            description=_(
                "People relocated, by country of origin, each rounded down to a multiple of 5."
            ),
        )
    return ImpactPage(
        figures=figures,
        cut_off=format_date(figures.cut_off, format="long", locale=locale),
        origins=origins,
        origins_chart=chart,
        death_in_force=named(figures.laws.death_in_force),
        death_possible=named(figures.laws.death_possible),
    )
