"""The encrypted archive of a referral package: a 7z archive (py7zr) encrypted with AES-256
under a key derived from the caseworker's passphrase, its header encrypted too, so that nobody
without the passphrase learns even the files' names. 7-Zip, p7zip and Keka open it, all free.

Built in memory and handed back as bytes: py7zr writes to the BytesIO it is given and opens no
file of its own (checked: ``test_referral_archive.py`` watches for any file opened for
writing). The passphrase is never stored, logged or audited; it reaches the recipient another
way (a call, another messenger)."""

from __future__ import annotations

import io

import py7zr
from django.utils.translation import gettext as _

from safehaven.accounts.models import User

MIN_LENGTH = 20
MIN_WORDS = 5
MIN_WORD_LENGTH = 3
MIN_DISTINCT_CHARACTERS = 8
MAX_LENGTH = 200
CONTENT_TYPE = "application/x-7z-compressed"
# LZMA2 for the text, then AES-256 (7-Zip's own: SHA-256 key stretching, 2^19 rounds).
FILTERS = [{"id": py7zr.FILTER_LZMA2, "preset": 6}, {"id": py7zr.FILTER_CRYPTO_AES256_SHA256}]


def passphrase_problem(passphrase: str, *, actor: User) -> str | None:
    """What is wrong with ``passphrase``, or None: at least 20 characters or five words, not
    one character repeated, and never the actor's own password (it would travel with the
    package)."""
    words = [word for word in passphrase.split() if len(word) >= MIN_WORD_LENGTH]
    long_enough = len(passphrase) >= MIN_LENGTH or len(words) >= MIN_WORDS
    if not long_enough or len(passphrase) > MAX_LENGTH:
        return _(
            "Choose a passphrase of at least 20 characters, or five random words, "
            "and at most 200 characters."
        )
    if len(set(passphrase)) < MIN_DISTINCT_CHARACTERS:
        return _("This passphrase repeats itself too much: choose random words.")
    if actor.check_password(passphrase):
        return _("Never use your own password as a passphrase: choose another one.")
    return None


def encrypted_archive(files: list[tuple[str, bytes]], passphrase: str) -> bytes:
    """A 7z archive of ``files`` (name, content), contents and names encrypted."""
    target = io.BytesIO()
    with py7zr.SevenZipFile(
        target, "w", password=passphrase, header_encryption=True, filters=FILTERS
    ) as archive:
        for name, content in files:
            archive.writestr(content, name)
    return target.getvalue()
