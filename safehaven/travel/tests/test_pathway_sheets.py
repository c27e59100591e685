"""Every pathway's information sheet, in each of the six public languages, names no country,
no airline and no number (a seized phone shows it: SECURITY.md, T7); the planner's list of
pathways that need no passport is the catalogue's."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from babel import Locale
from django.conf import settings
from django.utils import translation

from safehaven.travel.choices import PathwayKind
from safehaven.travel.pathways.actions import sheet_text
from safehaven.travel.pathways.catalogue import (
    all_pathways,
    pathway,
    pathways_without_passport,
)

DATA = Path(settings.BASE_DIR) / "safehaven"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
AIRLINES = (
    "airline",
    "airways",
    "air canada",
    "lufthansa",
    "emirates",
    "qatar",
    "turkish",
    "aeroflot",
    "flydubai",
    "pegasus",
    "klm",
    "air france",
    "british airways",
    "etihad",
    "wizz",
    "ryanair",
    "easyjet",
    "flight",
    "airport",
)
# Words that tell a coercer reading a seized phone who the person is, that they plan to leave,
# or which programme they are in (S18r, finding 3). Matched at the start of a word, so "leav"
# catches "leave" and "leaving".
FORBIDDEN_WORDS = (
    "sexual",
    "orientation",
    "gender",
    "identity",
    "love",
    "lgbt",
    "gay",
    "lesbian",
    "trans",
    "queer",
    "flee",
    "fled",
    "escap",
    "leav",
    "left",
    "depart",
    "abroad",
    "border",
    "journey",
    "travel",
    "arriv",
    "passport",
    "visa",
    "country",
    "countries",
    "asylum",
    "refugee",
    "persecut",
    "protection",
    "resettle",
    "sponsor",
    "united nations",
    "unhcr",
    "government",
    "human rights",
    "rights",
    "defender",
    "new home",
    "new life",
    "safe place",
    "danger",
)
# Localised names that are also everyday words: Arabic and Persian "مالي"/"مالی" (Mali) also
# mean "financial", which a sheet about support may say.
EVERYDAY_WORDS = {("ar", "ML"), ("fa", "ML")}


def country_codes() -> set[str]:
    with (DATA / "countries" / "data" / "countries.csv").open(encoding="utf-8") as f:
        codes = {row["iso2"] for row in csv.DictReader(f)}
    with (DATA / "travel" / "data" / "destinations.csv").open(encoding="utf-8") as f:
        codes |= {row["country"] for row in csv.DictReader(f)}
    return codes


def country_names(language: str) -> dict[str, str]:
    """Each country's name in English (as the countries file has it) and in ``language``."""
    names: dict[str, str] = {}
    with (DATA / "countries" / "data" / "countries.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names[f"{row['iso2']}:file"] = row["name"]
    territories = Locale.parse(language).territories
    for code in country_codes():
        if (language, code) not in EVERYDAY_WORDS and code in territories:
            names[f"{code}:{language}"] = territories[code]
    return names


def sheet_in(language: str, kind: str) -> str:
    with translation.override(language):
        return str(sheet_text(pathway(kind)))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", PathwayKind.values)
def test_it_names_no_country_airline_or_number_in_a_sheet(language, kind):
    text = sheet_in(language, kind)
    assert text.strip()
    assert not re.search(r"\d", text), "a digit (a date, a number of days)"
    folded = text.casefold()
    for airline in AIRLINES:
        assert not re.search(rf"\b{re.escape(airline)}\b", folded), airline
    for code, name in country_names(language).items():
        assert not re.search(rf"(?<!\w){re.escape(name.casefold())}(?!\w)", folded), code


@pytest.mark.parametrize("kind", PathwayKind.values)
def test_it_says_nothing_a_coercer_could_use_in_an_english_sheet(kind):
    folded = sheet_in("en", kind).casefold()
    found = [word for word in FORBIDDEN_WORDS if re.search(rf"\b{re.escape(word)}", folded)]
    assert not found


@pytest.mark.parametrize("kind", PathwayKind.values)
def test_it_tells_the_person_that_staff_never_ask_for_passwords(kind):
    assert "never ask you for a password" in sheet_in("en", kind)


def test_it_finds_a_country_name_when_one_is_there():
    # The search itself works: a sheet saying "Canada" or "Канада" would fail.
    english = country_names("en")
    russian = country_names("ru")
    assert english["CA:en"] == "Canada"
    assert russian["CA:ru"] == "Канада"


def test_it_keeps_staff_titles_apart_from_the_sheet():
    gar = pathway(PathwayKind.CANADA_GAR)
    assert "Canada" in str(gar.title)
    assert "Canada" not in " ".join(str(p) for p in gar.sheet)


def test_it_lists_the_pathways_that_need_no_passport():
    kinds = {entry.kind for entry in pathways_without_passport()}
    assert kinds == {
        PathwayKind.UNHCR_RESETTLEMENT,
        PathwayKind.CANADA_GAR,
        PathwayKind.CANADA_PSR_BVOR,
        PathwayKind.HUMAN_RIGHTS_DEFENDER,
        PathwayKind.SUPPORT_IN_PLACE,
    }
    assert [entry.kind for entry in all_pathways()] == list(PathwayKind)


def test_it_gives_every_pathway_ordered_steps_and_a_source():
    for entry in all_pathways():
        days = [step.days for step in entry.steps]
        assert days == sorted(days)
        assert len({step.code for step in entry.steps}) == len(entry.steps)
        assert all(len(step.code) <= 40 for step in entry.steps)
        assert entry.source
        assert entry.documents
