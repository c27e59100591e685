"""The encrypted archive itself: built in memory without opening any file, its names and
contents unreadable without the passphrase, and readable by 7-Zip with it."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import py7zr
import pytest

from safehaven.travel.referral_packages.archive import encrypted_archive
from safehaven.travel.tests.referral_helpers import PASSPHRASE, opened_archive, opens_with

FILES = [
    ("README.txt", b"Sentinel-Readme Harrowgate lists the files\n"),
    ("referral.txt", "Sentinel-Details Ostwyck: Łódź → Tbilisi\n".encode()),
    ("evidence/evidence-7.png", b"\x89PNG Sentinel-Photo-Bytes"),
]

# Files opened while the archive is built (Python's own audit events: every ``open`` and
# ``os.open``, from any library, of any file). A hook cannot be removed: it records only
# while a test is watching.
_opened: list[tuple[object, object]] | None = None


def _watch(event: str, args: tuple[object, ...]) -> None:
    if _opened is not None and event in {"open", "os.open", "tempfile.mkstemp"}:
        _opened.append((args[0], args[1] if len(args) > 1 else None))


sys.addaudithook(_watch)


def test_it_builds_the_archive_without_opening_a_file():
    global _opened
    py7zr.SevenZipFile(io.BytesIO(encrypted_archive(FILES, PASSPHRASE)), "r", password=PASSPHRASE)
    _opened = []
    try:
        built = encrypted_archive(FILES * 20, PASSPHRASE)
    finally:
        opened, _opened = _opened, None
    assert built
    assert opened == [], opened


def test_it_hides_names_and_contents_without_the_passphrase():
    built = encrypted_archive(FILES, PASSPHRASE)
    for name, content in FILES:
        assert name.encode() not in built
        assert name.encode("utf-16-le") not in built
        assert content not in built
    with pytest.raises(py7zr.exceptions.PasswordRequired), py7zr.SevenZipFile(io.BytesIO(built)):
        pass
    assert not opens_with(built, PASSPHRASE + "x")
    assert opens_with(built, PASSPHRASE)


def test_it_gives_back_every_file_with_the_passphrase():
    assert opened_archive(encrypted_archive(FILES, PASSPHRASE)) == dict(FILES)


SEVEN_ZIP = shutil.which("7zz") or shutil.which("7z")


# CI installs 7-Zip (.ci/run), so there this test always runs.
@pytest.mark.skipif(
    SEVEN_ZIP is None and not os.environ.get("CI"), reason="7-Zip is not installed here"
)
def test_it_opens_with_7_zip(tmp_path: Path):
    assert SEVEN_ZIP is not None, "CI must install 7-Zip (.ci/run)"
    archive = tmp_path / "referral.7z"
    archive.write_bytes(encrypted_archive(FILES, PASSPHRASE))
    wrong = subprocess.run(
        [str(SEVEN_ZIP), "l", "-pnot-the-passphrase", str(archive)],
        capture_output=True,
        check=False,
    )
    assert wrong.returncode != 0
    assert b"referral.txt" not in wrong.stdout
    out = tmp_path / "out"
    subprocess.run(
        [str(SEVEN_ZIP), "x", f"-p{PASSPHRASE}", f"-o{out}", str(archive)],
        capture_output=True,
        check=True,
    )
    for name, content in FILES:
        assert (out / name).read_bytes() == content
