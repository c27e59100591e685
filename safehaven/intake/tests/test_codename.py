"""Receipt codenames: enough words from a big enough list of words that are not evidence
themselves, forgiving normalisation, and old codenames still open their request."""

import hashlib
from unittest import mock

import pytest
from django.conf import settings

from safehaven.core.crypto import hmac_digest
from safehaven.intake import codename as codename_module
from safehaven.intake.codename import (
    CODENAME_WORDS,
    MIN_CODENAME_BITS,
    codename_lookup_hash,
    new_codename,
    normalise_words,
    wordlist,
)
from safehaven.intake.codename_words import (
    CODENAME_WORDLIST_PATH,
    EFF_WORDLIST_PATH,
    REMOVAL_REASONS,
    bits,
    build,
    curated_words,
    read_removals,
    read_words,
)
from safehaven.intake.models import StatusSession
from safehaven.intake.status_page.forms import CodenameForm
from safehaven.intake.tests.helpers import (
    SHOW_STATUS_URL,
    latest_request,
    requester_client,
    submit_request,
)

EFF_SHA256 = "6d557f0693958fb5e650b68b5bee585eb82cf4da32965505c789e924743bc522"

# Words that must never be on a person's paper: those of the demo codenames that issue 16 found
# ("islamist", "unwomanly", "safehouse") and a sample of every kind that was taken out.
DANGEROUS_WORDS = (
    "islamist",
    "unwomanly",
    "safehouse",
    "islamic",
    "blasphemy",
    "prayer",
    "sinner",
    "democracy",
    "activist",
    "riot",
    "gender",
    "feminine",
    "estrogen",
    "husband",
    "wife",
    "kissing",
    "deviant",
    "unnatural",
    "flogging",
    "stoning",
    "gallows",
    "handgun",
    "bazooka",
    "police",
    "prison",
    "arrest",
    "passport",
    "visa",
    "flight",
    "embassy",
    "getaway",
    "smuggler",
    "cannabis",
    "opium",
    "absinthe",
    "aids",
)


def test_it_keeps_the_eff_large_wordlist_as_published():
    digest = hashlib.sha256(EFF_WORDLIST_PATH.read_bytes()).hexdigest()
    assert digest == EFF_SHA256
    assert len(read_words(EFF_WORDLIST_PATH)) == 7776


def test_it_stores_the_eff_list_minus_the_removals():
    stored = read_words(CODENAME_WORDLIST_PATH)
    assert stored == build()
    assert list(wordlist()) == stored
    assert wordlist()[0] == "abacus"
    assert wordlist()[-1] == "zoom"


def test_it_never_draws_a_removed_word():
    removals = read_removals()
    assert len(removals) >= 500
    assert set(removals.values()) <= REMOVAL_REASONS
    assert not set(wordlist()) & set(removals)
    eff = set(read_words(EFF_WORDLIST_PATH))
    for word in DANGEROUS_WORDS:
        assert word in eff  # the sample tests the curation, not a word the EFF never had
        assert word in removals, word
        assert word not in wordlist(), word


def test_it_refuses_a_removal_the_eff_list_does_not_hold():
    with pytest.raises(ValueError, match="islamistt"):
        curated_words(["abacus", "islamist"], {"islamistt": "religion"})


def test_it_refuses_a_removal_without_a_known_reason(tmp_path):
    removals = tmp_path / "removals.txt"
    removals.write_text("# comment\nislamist\tdangerous\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2"):
        read_removals(removals)


def test_it_makes_codenames_of_at_least_88_bits():
    codename = new_codename()
    parts = codename.split(" ")
    assert len(parts) == CODENAME_WORDS >= 7
    assert all(part in wordlist() for part in parts)
    assert MIN_CODENAME_BITS >= 88
    assert bits(CODENAME_WORDS, len(wordlist())) >= MIN_CODENAME_BITS


def test_it_draws_as_many_words_as_the_pages_say():
    # The status page, its hints and their five translations say "seven words": an eighth word
    # means changing those strings too.
    assert CODENAME_WORDS == 7
    assert "seven words" in str(CodenameForm.base_fields["codename"].help_text)


def test_it_refuses_a_wordlist_too_short_for_88_bits(tmp_path, monkeypatch):
    short = tmp_path / "words.txt"
    short.write_text("\n".join(f"word{n}" for n in range(6000)) + "\n", encoding="utf-8")
    monkeypatch.setattr(codename_module, "WORDLIST_PATH", short)
    wordlist.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="88 bits"):
            wordlist()
    finally:
        wordlist.cache_clear()


@pytest.mark.django_db
def test_it_still_opens_a_codename_drawn_before_its_words_were_taken_out(world):
    old = "islamist unwomanly safehouse abacus zoom t-shirt passport"
    with mock.patch("safehaven.intake.submission.actions.new_codename", return_value=old):
        assert submit_request() == old
    client = requester_client("Islamist Unwomanly Safehouse Abacus Zoom T Shirt Passport")
    assert StatusSession.objects.get().help_request == latest_request()
    page = client.get(SHOW_STATUS_URL)
    assert page.status_code == 200
    assert "We have received your request." in page.content.decode()


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
