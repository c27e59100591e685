"""Nothing of a referral package stays in clear: after a consent is recorded and a package
made through the pages as a printable page and as an archive (and one post refused for want of
a fresh second factor), no chosen value, recipient or passphrase is in the SQLite file, its
WAL, any PostgreSQL column, the SQL log, the session or a temporary file."""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from safehaven.cases.models import EvidenceFile
from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.keys.tests.test_raw_storage import (
    forms_found_in,
    forms_found_in_text,
    postgres_columns_containing_any_form,
    raw_sqlite_bytes,
)
from safehaven.travel.models import ReferralConsent, TravelDocument
from safehaven.travel.tests.referral_helpers import (
    CITIZENSHIPS,
    EVIDENCE_DESCRIPTION,
    HOW_GIVEN,
    PASSPHRASE,
    PASSPORT_NUMBER,
    RECIPIENT_CONTACT,
    RECIPIENT_NAME,
    SUMMARY,
    household,
    mark_fresh,
)

SPONSOR = "Sentinel-Sponsor Marrowfield circle"
SECRETS = (
    SUMMARY,
    CITIZENSHIPS,
    PASSPORT_NUMBER,
    EVIDENCE_DESCRIPTION,
    RECIPIENT_NAME,
    RECIPIENT_CONTACT,
    HOW_GIVEN,
    SPONSOR,
    PASSPHRASE,
)
COVERED = {(ReferralConsent, "details")}
MAX_SCANNED = 512 * 1024 * 1024  # bigger files in the system's temporary folder are not ours


def make_packages(world, caplog) -> None:
    house = household(world)
    user = world.users["caseworker"]
    client = staff_client_with_keys(world, "caseworker")
    url = reverse(
        "travel-make-referral-package",
        kwargs={"case_id": house.case.pk, "consent_id": house.consent.pk},
    )
    chosen = [
        f"person-{house.main.pk}-summary",
        f"person-{house.main.pk}-citizenships",
        f"evidence-{EvidenceFile.objects.get(case=house.case).pk}",
        f"document-{TravelDocument.objects.get(case=house.case).pk}",
    ]
    archive = {
        "pieces": chosen,
        "package_format": "archive",
        "passphrase": PASSPHRASE,
        "passphrase_again": PASSPHRASE,
    }
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True
    try:
        consent = reverse("travel-record-referral-consent", kwargs={"case_id": house.case.pk})
        recorded = {
            "person": house.second.pk,
            "recipient_kind": "sponsor_group",
            "recipient_name": SPONSOR,
            "recipient_contact": RECIPIENT_CONTACT,
            "how_given": HOW_GIVEN,
        }
        assert client.post(consent, recorded).status_code == 302
        mark_fresh(client, user, "password")
        assert client.post(url, archive).status_code == 302  # too late: dropped, not kept
        mark_fresh(client, user, "password", "mfa")
        assert client.get(url).status_code == 200
        printable = client.post(url, {"pieces": chosen, "package_format": "print"})
        assert PASSPORT_NUMBER in printable.content.decode()
        made = client.post(url, archive)
        assert made["Content-Type"] == "application/x-7z-compressed"
        session = repr(dict(client.session.items()))
    finally:
        connection.force_debug_cursor = False
    assert "INSERT INTO" in caplog.text  # the SQL log was captured: the search means something
    for secret in SECRETS:
        assert forms_found_in_text(caplog.text, secret) == [], secret
        assert secret not in session, secret


def new_files(folder: Path, since: float) -> list[Path]:
    found = []
    for path in folder.rglob("*"):
        try:
            status = path.stat()
            if path.is_file() and status.st_mtime >= since and status.st_size < MAX_SCANNED:
                found.append(path)
        except OSError:  # another process's file, gone meanwhile
            continue
    return found


def test_it_covers_every_sealed_field_of_a_consent():
    assert {(ReferralConsent, name) for name in ReferralConsent.sealed_field_names()} == COVERED


@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_leaves_no_package_in_clear_in_sqlite_or_a_temporary_file(
    world, country_facts, caplog, monkeypatch, tmp_path
):
    if connection.vendor != "sqlite":
        pytest.skip("this database is not SQLite")
    own_temp = tmp_path / "temp"
    own_temp.mkdir()
    system_temp = Path(tempfile.gettempdir())
    monkeypatch.setattr(tempfile, "tempdir", str(own_temp))
    started = time.time() - 1
    make_packages(world, caplog)
    raw = raw_sqlite_bytes()
    assert b"travel.referral_package" in raw  # the clear audit event is found: the search works
    for secret in SECRETS:
        assert forms_found_in(raw, secret) == [], secret
    assert list(own_temp.iterdir()) == []
    for path in new_files(system_temp, started):
        try:
            content = path.read_bytes()
        except OSError:
            continue
        for secret in SECRETS:
            assert forms_found_in(content, secret) == [], (path, secret)


@pytest.mark.django_db(transaction=True)
def test_it_never_stores_a_package_in_any_postgresql_column(world, country_facts, caplog):
    if connection.vendor != "postgresql":
        pytest.skip("this database is not PostgreSQL (the SQLite test reads the file instead)")
    make_packages(world, caplog)
    for secret in SECRETS:
        assert postgres_columns_containing_any_form(secret) == [], secret
