"""The coarse regions the request form offers, named in the language of the page.

Which regions are offered comes from ``countries`` (the regions with facts of their own); their
names there are English, so the form names them from here, falling back to that English name
for a region added later (and missing here until it is translated).
"""

import logging

from django.db import DatabaseError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safehaven.countries.risk import public_form_regions
from safehaven.intake.submission import place_names

logger = logging.getLogger(__name__)

REGION_NAMES: dict[str, Promise] = {
    "ID-AC": _("Aceh"),
    "NG-BA": _("Bauchi"),
    "NG-BO": _("Borno"),
    "NG-GO": _("Gombe"),
    "NG-JI": _("Jigawa"),
    "NG-KD": _("Kaduna"),
    "NG-KE": _("Kebbi"),
    "NG-KN": _("Kano"),
    "NG-KT": _("Katsina"),
    # The Nigerian state, not the country: the name alone would read as the country.
    "NG-NI": _("Niger State"),
    "NG-SO": _("Sokoto"),
    "NG-YO": _("Yobe"),
    "NG-ZA": _("Zamfara"),
    "PS-DEB": _("Deir al-Balah"),
    "PS-GZA": _("Gaza City"),
    "PS-KYS": _("Khan Yunis"),
    "PS-NGZ": _("North Gaza"),
    "PS-RFH": _("Rafah"),
    "RU-CE": _("Chechnya"),
}
NOT_LISTED = ""


def region_name(code: str, english: str) -> str:
    return str(REGION_NAMES.get(code, english))


def offered_regions() -> dict[str, list[tuple[str, str]]]:
    """Country code -> the (code, name) of its regions the form offers, named in the page's
    language and in its alphabetical order. None while the database fails: the form must
    still show (and keep what was typed), and "not listed" is always a true answer."""
    try:
        offered = public_form_regions()
    except DatabaseError:
        logger.warning("the request form offers no regions: the database failed")
        return {}
    return {
        country: sorted(
            ((code, region_name(code, name)) for code, name in regions),
            key=lambda choice: choice[1].casefold(),
        )
        for country, regions in offered.items()
    }


def region_choices(offered: dict[str, list[tuple[str, str]]]) -> list[tuple[str, object]]:
    """The select's choices: "not listed" first, then a group per country (by its name in the
    page's language) of its regions."""
    country_names = dict(place_names.country_choices())
    groups = sorted(
        (country_names.get(country, country), regions) for country, regions in offered.items()
    )
    return [(NOT_LISTED, _("Not listed, or somewhere else")), *groups]
