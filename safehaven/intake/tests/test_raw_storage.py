"""What a person types never lands on disk or in a log in clear (SECURITY.md, T1).

A whole life cycle runs through the real pages: the request form, the status page (message,
new contact details), triage opening and answering. Then the raw SQLite file and its WAL (or,
on PostgreSQL, every text and bytea column) and every log line are searched for the sentinels
and their normalised forms (bare digits of a phone number, lower and upper case, NFC/NFKC):
a hint or an index kept in clear would hold one of those, not what was typed.
"""

import io
import logging
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from PIL import Image

from safehaven.intake.tests.attachments import DOCUMENTS_URL
from safehaven.intake.tests.helpers import (
    SHOW_STATUS_URL,
    latest_request,
    open_status,
    requester_client,
    staff_client_with_keys,
    submit_request,
)
from safehaven.keys.tests.test_raw_storage import (
    forms_found_in,
    forms_found_in_text,
    postgres_columns_containing,
    postgres_columns_containing_any_form,
    raw_sqlite_bytes,
)

NARRATIVE = "Zorblax Quennelby told the police about me"
NAME = "Wyvernholm Astrakhova"
HANDLE = "@sentinel_kestrel"
EMAIL = "zorblax.sentinel@example.org"
PHONE = "+7 999 555 01 99"
MESSAGE = "Sentinel-Message-Thornquist"
NEW_HANDLE = "@sentinel_osprey"
REPLY = "Sentinel-Reply-Marchbank"
CHECKIN_PHRASE = "sentinel teapot harbour"
DANGER_PHRASE = "sentinel lantern orchard"
# Typed as a phone with a decomposed accent, in Arabic-Indic digits and in full-width letters:
# their NFC, ASCII-digit and NFKC forms are what a normalising hint or index would keep.
REGION = unicodedata.normalize("NFD", "Zoë Ångströmvik")
ARABIC_PHONE = "+٧ ٩٩٩ ٤٤٤ ٢٢ ٨٨"  # noqa: RUF001
FULL_WIDTH_HANDLE = "＠ｓｅｎｔｉｎｅｌ＿ｗｒｅｎ"  # noqa: RUF001
# A document photo: its EXIF description and its file name must be stored nowhere.
PHOTO_DESCRIPTION = "Sentinel-Exif-Gorseway"
PHOTO_NAME = "Sentinel-Filename-Hollowmere"
SENTINELS = (
    NARRATIVE,
    NAME,
    HANDLE,
    EMAIL,
    PHONE,
    MESSAGE,
    NEW_HANDLE,
    REPLY,
    CHECKIN_PHRASE,
    DANGER_PHRASE,
    REGION,
    ARABIC_PHONE,
    FULL_WIDTH_HANDLE,
    PHOTO_DESCRIPTION,
    PHOTO_NAME,
)


def document_photo() -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[0x010E] = PHOTO_DESCRIPTION  # ImageDescription
    output = io.BytesIO()
    Image.new("RGB", (30, 20), "white").save(output, format="JPEG", exif=exif)
    return SimpleUploadedFile(f"{PHOTO_NAME}.jpg", output.getvalue(), "image/jpeg")


def live_through_a_request(world) -> tuple[str, str]:
    """Send, open, write, update, triage, reply; return the codename and its lookup hash."""
    codename = submit_request(
        situation=f"{NARRATIVE}. My name is {NAME}. Find me as {FULL_WIDTH_HANDLE}.",
        region=REGION,
        contact_signal=PHONE,
        contact_phone=ARABIC_PHONE,
        contact_telegram=HANDLE,
        contact_email=EMAIL,
        visas=f"Schengen visa of {NAME}",
        checkin_phrase=CHECKIN_PHRASE,
        duress_phrase=DANGER_PHRASE,
    )
    requester = requester_client(codename)
    assert open_status(Client(), codename, phrase=CHECKIN_PHRASE).status_code == 302
    assert open_status(Client(), codename, phrase=DANGER_PHRASE).status_code == 302
    assert requester.post("/en/status/request/message/", {"body": MESSAGE}).status_code == 302
    changed = requester.post(
        "/en/status/request/contacts/",
        {"contact_telegram": NEW_HANDLE, "may_leave_message": "no"},
    )
    assert changed.status_code == 302
    assert requester.post(DOCUMENTS_URL, {"photo": document_photo()}).status_code == 302
    help_request = latest_request()
    triage = staff_client_with_keys(world, "triage")
    page = triage.get(f"/en/staff/requests/{help_request.pk}/").content.decode()
    assert NARRATIVE in page  # it really was stored, and opens
    assert MESSAGE in page
    reply = triage.post(f"/en/staff/requests/{help_request.pk}/reply/", {"body": REPLY})
    assert reply.status_code == 302
    assert REPLY in requester.get(SHOW_STATUS_URL).content.decode()
    assert Client().get("/en/status/").status_code == 200
    return codename, str(help_request.codename_hash)


def live_and_capture_logs(world, caplog) -> tuple[str, str]:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True  # log every SQL statement with its parameters
    try:
        codename, lookup_hash = live_through_a_request(world)
    finally:
        connection.force_debug_cursor = False
    assert "INSERT INTO" in caplog.text  # the SQL log was captured: the search means something
    for secret in (*SENTINELS, codename):
        assert forms_found_in_text(caplog.text, secret) == [], secret
    return codename, lookup_hash


@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_never_writes_what_was_typed_to_the_sqlite_file_its_wal_or_logs(world, caplog):
    if connection.vendor != "sqlite":
        pytest.skip("this database is not SQLite")
    codename, lookup_hash = live_and_capture_logs(world, caplog)
    raw = raw_sqlite_bytes()
    assert lookup_hash.encode() in raw  # a clear column is found, so the search works
    assert forms_found_in(raw, lookup_hash.upper()) == [lookup_hash]  # and a normalised form
    for secret in (*SENTINELS, codename):
        assert forms_found_in(raw, secret) == [], secret


@pytest.mark.django_db(transaction=True)
def test_it_never_stores_what_was_typed_in_any_postgresql_column_or_logs(world, caplog):
    if connection.vendor != "postgresql":
        pytest.skip("this database is not PostgreSQL (the SQLite test reads the file instead)")
    codename, lookup_hash = live_and_capture_logs(world, caplog)
    # PostgreSQL compresses long values on disk, so the search runs through SQL.
    assert postgres_columns_containing(lookup_hash) == ["intake_helprequest.codename_hash"]
    assert postgres_columns_containing_any_form(lookup_hash.upper()) == [
        "intake_helprequest.codename_hash"
    ]
    for secret in (*SENTINELS, codename):
        assert postgres_columns_containing_any_form(secret) == [], secret
