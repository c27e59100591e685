"""Receipt codenames: enough words from a big enough list, forgiving normalisation."""

import math

import pytest
from django.conf import settings

from safehaven.core.crypto import hmac_digest
from safehaven.intake.codename import (
    CODENAME_WORDS,
    codename_lookup_hash,
    new_codename,
    normalise_words,
    wordlist,
)


def test_it_loads_the_eff_large_wordlist():
    words = wordlist()
    assert len(words) == len(set(words)) >= 7776
    assert words[0] == "abacus"
    assert words[-1] == "zoom"


def test_it_makes_codenames_of_at_least_90_bits():
    codename = new_codename()
    parts = codename.split(" ")
    assert len(parts) == CODENAME_WORDS >= 7
    assert all(part in wordlist() for part in parts)
    assert CODENAME_WORDS * math.log2(len(wordlist())) >= 90


def test_it_makes_a_different_codename_each_time():
    assert len({new_codename() for _ in range(200)}) == 200


def test_it_refuses_short_codenames():
    with pytest.raises(ValueError, match="at least 7"):
        new_codename(6)


@pytest.mark.parametrize(
    "typed",
    [
        "abacus zoom t-shirt drop-down yo-yo felt-tip zoology",
        "  Abacus   ZOOM\tT-Shirt drop down yo yo felt tip zoology ",
        "abacus-zoom-t-shirt-drop-down-yo-yo-felt-tip-zoology",
        "ABACUS — ZOOM – T‐SHIRT  DROP DOWN YO-YO FELT-TIP ZOOLOGY",  # noqa: RUF001
        "ａｂａｃｕｓ zoom t shirt drop down yo yo felt tip zoology",  # noqa: RUF001
    ],
)
def test_it_normalises_what_a_person_types(typed):
    assert normalise_words(typed) == "abacus zoom t shirt drop down yo yo felt tip zoology"


def test_it_hashes_the_normalised_codename_under_the_codename_pepper():
    codename = new_codename()
    typed = "  " + codename.upper().replace(" ", " - ") + "\n"
    assert codename_lookup_hash(typed) == codename_lookup_hash(codename)
    assert codename_lookup_hash(codename) == hmac_digest(
        settings.CODENAME_PEPPER, normalise_words(codename)
    )
    assert codename_lookup_hash(codename) != codename_lookup_hash(new_codename())
    assert codename.encode() not in codename_lookup_hash(codename)
