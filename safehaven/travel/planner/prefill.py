"""What the planner's form starts from: the case's country, and the primary person's region and
citizenships opened with the viewer's own key (a request's own details, or what staff typed
after a call), each read audited as the case page audits it. The person is followed only when
their sealed link opens with the case's casework (``cases.links.linked_people``), never by the
clear ``help_request`` pointer alone: a row a database writer re-points leads nowhere.

Passports and visas come from the case's travel documents valid today (opened with the travel
compartment). Without any, they are never assumed from citizenships: a citizenship is only a
hint, and the caseworker ticks the passports that are held and valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from safehaven.accounts.models import User
from safehaven.cases.choices import CompartmentKind
from safehaven.cases.compartments import open_compartment
from safehaven.cases.links import linked_people
from safehaven.cases.models import Case, CasePerson
from safehaven.core.crypto import SealError
from safehaven.countries.models import Region
from safehaven.intake.handling.actions import do_open_help_request
from safehaven.intake.submission.place_names import country_choices
from safehaven.intake.submission.sealing import read_details
from safehaven.keys.exceptions import RecordUnavailable, SealedValueUnavailable
from safehaven.keys.opened import OpenedRecord
from safehaven.travel.compartment import open_travel
from safehaven.travel.documents.queries import documents_for_planning


@dataclass(frozen=True, repr=False)
class Prefill:
    """The form's initial values and what the page says about them."""

    initial: dict[str, object]
    citizenships: list[str] = field(default_factory=list)  # codes, shown as a hint
    opened: bool = False  # the person's details opened with the viewer's key
    documents: bool = False  # passports or visas valid today are recorded on the case

    def __repr__(self) -> str:
        return "Prefill(<redacted>)"


_SEPARATORS = re.compile(r"[,;/\n]+|\band\b|\bи\b")


def _known_countries(text: str) -> list[str]:
    """The country codes named in a citizenship typed after a call ("RU, Georgia")."""
    names = {name.casefold(): code for code, name in country_choices()}
    codes = {code for code, _name in country_choices()}
    found = []
    for part in _SEPARATORS.split(text):
        word = part.strip()
        code = word.upper() if word.upper() in codes else names.get(word.casefold())
        if code and code not in found:
            found.append(code)
    return found


def _known_region(country: str, text: str) -> str:
    """The region code of ``country`` that ``text`` names (its code or its name), or ""."""
    word = text.strip().casefold()
    if not word:
        return ""
    for region in Region.objects.filter(country_id=country):
        if word in {region.code.casefold(), region.name.casefold()}:
            return region.code
    return ""


def _from_call(person: CasePerson, case: Case, casework: OpenedRecord) -> tuple[str, list[str]]:
    try:
        person.open_with(casework)
        region, citizenships = person.sealed("region") or "", person.sealed("citizenships") or ""
    except (SealError, SealedValueUnavailable):
        return "", []
    return _known_region(case.country, region), _known_countries(citizenships)


def _from_request(person: CasePerson, user: User, key: bytes) -> tuple[str, list[str]] | None:
    help_request = person.help_request
    if help_request is None or help_request.is_shredded:
        return None
    try:
        do_open_help_request(help_request, actor=user, private_key=key, mark_read=False)
    except RecordUnavailable:
        return None
    details = read_details(help_request)
    codes = {code for code, _name in country_choices()}
    return details.region_code, [code for code in details.citizenships if code in codes]


def planner_prefill(case: Case, *, user: User, private_key: bytes | None) -> Prefill:
    """The form's first values for ``case``; only the case's country without a key."""
    initial: dict[str, object] = {"origin_country": case.country}
    if private_key is None:
        return Prefill(initial)
    travel = open_travel(case, actor=user, private_key=private_key)
    passports, visas = documents_for_planning(case, travel) if travel is not None else ([], [])
    initial |= {"passports": passports, "visas": visas}
    documents = bool(passports or visas)
    casework = open_compartment(case, CompartmentKind.CASEWORK, user=user, private_key=private_key)
    if casework is None:
        return Prefill(initial, documents=documents)
    person = next((p for p in linked_people(case, casework) if p.is_primary), None)
    if person is None:
        return Prefill(initial, documents=documents)
    if person.help_request_id is None:
        opened: tuple[str, list[str]] | None = _from_call(person, case, casework)
    else:
        opened = _from_request(person, user, private_key)
    if opened is None:
        return Prefill(initial, documents=documents)
    region, citizenships = opened
    if region and Region.objects.filter(code=region, country_id=case.country).exists():
        initial["origin_region"] = region
    initial["citizenships"] = citizenships
    return Prefill(initial, citizenships=citizenships, opened=True, documents=documents)
