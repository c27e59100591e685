"""Receipt codenames: the words a requester keeps to see our answer (SECURITY.md, T7).

A codename is seven words drawn with ``secrets`` from the EFF Large Wordlist without the words
that would be evidence on a paper in a person's pocket (``codename_words``; 7,008 words, 7 x
12.77 ≈ 89.4 bits, at least ``MIN_CODENAME_BITS``). The server keeps only its lookup hash:
HMAC-SHA256 of the normalised codename under ``settings.CODENAME_PEPPER``, so neither the words
nor anything derived from the address of the person is stored. Looking a codename up never
consults the list, so a codename drawn before a word was taken out still opens its request.
"""

import secrets
from functools import cache

from django.conf import settings

from safehaven.core.crypto import hmac_digest
from safehaven.intake.codename_words import CODENAME_WORDLIST_PATH, bits, read_words
from safehaven.keys.records import normalise_codename

CODENAME_WORDS = 7
# The codename key is as strong as the codename (docs/keys.md, "Codename key"). Should the list
# shrink below what seven words need for this, codenames get an eighth word.
MIN_CODENAME_BITS = 88
WORDLIST_PATH = CODENAME_WORDLIST_PATH


@cache
def wordlist() -> tuple[str, ...]:
    words = tuple(read_words(WORDLIST_PATH))
    if (
        bits(CODENAME_WORDS, len(words)) < MIN_CODENAME_BITS
        or len(set(words)) != len(words)
        or not all(words)
    ):
        # A truncated or damaged file would silently weaken every codename.
        raise RuntimeError(
            f"{WORDLIST_PATH} must hold enough distinct words for {MIN_CODENAME_BITS} bits"
        )
    return words


def new_codename(words: int = CODENAME_WORDS) -> str:
    """Return a fresh codename, words separated by single spaces."""
    if words < CODENAME_WORDS:
        raise ValueError(f"a codename needs at least {CODENAME_WORDS} words")
    pool = wordlist()
    return " ".join(secrets.choice(pool) for _ in range(words))


def normalise_words(text: str) -> str:
    """Lower-case, unify look-alike characters and separators, collapse to single spaces.

    Used for codenames and for the check-in and duress phrases, so that what a person types
    later matches what they chose, whatever their keyboard did to case, spaces or dashes (people
    copy codenames by hand, from messages and from phones that "smart"-replace characters). The
    key layer derives a codename's key from the same form (``keys.records.normalise_codename``).
    """
    return normalise_codename(text)


def codename_lookup_hash(codename: str) -> bytes:
    """The only form of a codename the server stores (its own pepper, not the key derivation
    that later wraps the requester's data key)."""
    return hmac_digest(settings.CODENAME_PEPPER, normalise_words(codename))
