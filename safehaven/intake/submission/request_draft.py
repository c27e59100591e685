"""A help request as typed and cleaned, before it is sealed: what the form hands to the action.

Everything here is identifying or sensitive, so the object never shows its values in a repr
(tracebacks, debug pages and logs print reprs).
"""

from dataclasses import dataclass


@dataclass(frozen=True, repr=False)
class HelpRequestDraft:
    # Free text in the person's own words (<= 5000 characters, "\n" line breaks).
    situation: str
    # ISO 3166-1 alpha-2 (or "XK"); region is free text (<= 200), possibly "".
    country: str
    region: str
    # Alpha-2 codes and/or place_names.STATELESS.
    citizenships: tuple[str, ...]
    # Curated language codes (place_names.CURATED_LANGUAGES) plus free text for any other.
    languages: tuple[str, ...]
    language_other: str
    # ContactMethod value -> handle, number or address as typed; only the ones given (>= 1).
    contacts: dict[str, str]
    contact_times: str
    may_leave_message: bool
    # RiskIndicator values ticked, and how many people would travel with the person.
    risk_indicators: frozenset[str]
    companions: int
    # PassportStatus value; visas held as free text.
    passport: str
    visas: str
    # Upper-case letters, digits and dashes, or "".
    referral_code: str
    # Normalised with codename.normalise_words; "" when not chosen. Never equal when both set.
    checkin_phrase: str
    duress_phrase: str
    # Language code of the page the person used; answers come back in it.
    page_language: str
    # The code of the coarse region chosen from the form's list (countries.Region, within
    # ``country``), or "" for "not listed".
    region_code: str = ""

    def __repr__(self) -> str:
        return "HelpRequestDraft(<redacted>)"
