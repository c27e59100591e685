"""The sentinels of the leak scan (``test_leak_scan.py``): a distinct value for every
free-text, contact and file field a case's life fills (``leak_life.py``), and the files that
carry some of them.

Each is long enough to be found nowhere by chance, has capitals (so its lower-case form is
another), and a phone number or an account has enough digits for its bare digits to mean
something. One is Cyrillic, so its UTF-16 and JSON-escaped forms differ from any ASCII one.
The form's referral code gets none: a partner's codes are kept in clear by design, to be
looked up (the request seals the one typed, here an empty one).
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

_NAMES_BEFORE = set(globals())
# --- What the person types (the public form, then their status page) ---
SITUATION = "Sentinel-Situation Quarrelwick told the police about me"
REGION = "Сентинель Обская Заводь"  # Cyrillic: its UTF-16 and \u-escaped forms differ
LANGUAGE_OTHER = "Sentinel-Language Hrvatlish"
VISAS = "Sentinel-Visas Schengen of Yevlampiy"
SIGNAL = "+7 912 555 0199"  # digits only: 79125550199
WHATSAPP = "+7 913 555 0288"
PHONE = "+7 914 555 0377"
TELEGRAM = "@Sentinel_Kingfisher"
EMAIL = "Sentinel.Marlowe@example.org"
CONTACT_OTHER = "Sentinel-Other ask at the Pelmenev bakery"
CONTACT_TIMES = "Sentinel-Times after nine on Tuesdays"
CHECKIN_PHRASE = "Sentinel teacup meridian"
DANGER_PHRASE = "Sentinel anchor thistle"
MESSAGE = "Sentinel-Message Vostrikova wrote again"
NEW_TELEGRAM = "@Sentinel_Osprey_Newhandle"
PHOTO_NAME = "Sentinel-Photo-Filename-Hollowmere"
PHOTO_DESCRIPTION = "Sentinel-Photo-Exif Gorseway"
# --- What staff type ---
CALL_SUMMARY = "Sentinel-Call-Summary rang from the Dashwood kiosk"
CALL_REGION = "Sentinel-Call-Region upper Varzob valley"
CALL_CITIZENSHIPS = "Sentinel-Call-Citizenships Tajik and Quorvian"
CALL_CONTACTS = "Signal +7 915 555 0466 after dark"
CALL_REASON = "Sentinel-Call-Reason hiding at Elmbridge"
INTERNAL_NOTE = "Sentinel-Internal-Note Ferrowby"
REPLY = "Sentinel-Reply Calderbank"
ACCEPT_REASON = "Sentinel-Accept-Reason Pennywhistle"
MOVE_REASON = "Sentinel-Move-Reason Ludgvan"
TASK_TITLE = "Sentinel-Task buy the Tbilisi ticket"
ATTEMPT_NOTE = "Sentinel-Attempt-Note Quillon"
SESSION_NOTE = "Sentinel-Session-Note Marrowby"
CASE_NOTE = "Sentinel-Case-Note Dunstanburgh"
CASE_ANSWER = "Sentinel-Case-Answer Bellweather"
CHECK_NOTE = "Sentinel-Check-Note Glassmoor"
EVIDENCE_DESCRIPTION = "Sentinel-Evidence passport of Dilmurat"
EVIDENCE_NAME = "Sentinel-Evidence-Filename-Ravensworth"
EVIDENCE_COMMENT = "Sentinel-Evidence-Metadata Tollcross"
APPROVAL_NOTE = "Sentinel-Approval-Note Kettlewell"
PLANNING_REASON = "Sentinel-Planning-Reason Abbotsley"
PATHWAY_NOTES = "Sentinel-Pathway-Notes Ashcombe"
STEP_NOTE = "Sentinel-Step-Note Brindlecombe"
DOCUMENT_NUMBER = "SNTL74419023"
OVERRIDE_REASON = "Sentinel-Override short airside transit at Harrowgate"
FROM_PLACE = "Sentinel-From Grozny old airfield"
TO_PLACE = "Sentinel-To Yerevan Zvartnots gate"
CARRIER = "Sentinel-Carrier Aeroquill"
BOOKING_REFERENCE = "SNTQX7PLM"
TICKET_NAME = "Sentinel-Ticket-Filename-Ostrava"
TICKET_TEXT = "Sentinel-Ticket-Content boarding Zorbin"
TICKET_REMOVAL = "Sentinel-Ticket-Removal wrong name on Quarley pass"
BOOKING_CANCELLED = "Sentinel-Booking-Cancelled seats gone at Ulverston"
CHECK_IN_CANCELLED = "Sentinel-Check-In-Cancelled bus via Pendlebury"
PATHWAY_ENDED = "Sentinel-Pathway-Ended sponsor found in Orrell"
CHECK_IN_PLACE = "Sentinel-Check-In-Place gate seven Voskhod"
CHECK_IN_REPORT = "Sentinel-Check-In-Report a man was listening in Tallowmere"
ARRIVAL_REASON = "Sentinel-Arrival reached the Haskett shelter"
HOUSING = "Sentinel-Housing room above the Mirefield bakery"
LEGAL = "Sentinel-Legal asylum interview at Thornaby"
HEALTH = "Sentinel-Health letter from the Ullswick clinic"
EMOTIONAL = "Sentinel-Emotional support group at Varrow"
RECIPIENT = "Sentinel-Recipient Harbourlight sponsors"
RECIPIENT_CONTACT = "sentinel.harbourlight@example.net"
HOW_GIVEN = "Sentinel-How-Given signed at Quenby"
CONSENT_NOTE = "Sentinel-Consent-Note Cresswell"
PASSPHRASE = "sentinel vole lantern copper meadow quartz"
CLOSING_REASON = "Sentinel-Closing-Reason settled at Wetherby"
# --- What finance types ---
DONOR = "Sentinel-Donor Velmira Ostrakh"
PAYEE = "Sentinel-Payee Dorkan Blessimov"
PAYEE_ACCOUNT = "GB33 BUKB 2020 1555 5555 55"
PAYEE_SERVICE = "Sentinel-Service Quickwire"
PAYEE_NOTE = "Sentinel-Payee-Note via the Bishkek shelter"
PAYMENT_REFERENCE = "Sentinel-Reference TRX-77Q-ZEBRA"

SENTINELS = tuple(
    value for name, value in globals().items() if name not in _NAMES_BEFORE | {"_NAMES_BEFORE"}
)
# Typed, yet shown on no page: the phrases are kept as digests only, the passphrase not at all,
# and a file's name and metadata are dropped when it is stored.
NEVER_SHOWN = (
    CHECKIN_PHRASE,
    DANGER_PHRASE,
    PASSPHRASE,
    PHOTO_NAME,
    PHOTO_DESCRIPTION,
    EVIDENCE_NAME,
    EVIDENCE_COMMENT,
)
# A clear column by design (a fund's name), written during the life: the positive control that
# the scans of the database, its WAL, the SQL log and the backup find what is there.
CLEAR_CONTROL = "Control-Fund Harrowmere in clear"


def png_upload(name: str, comment: str) -> SimpleUploadedFile:
    """A PNG carrying ``comment`` in a text chunk: metadata the re-encoding must drop."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", comment)
    output = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 80, 160)).save(output, format="PNG", pnginfo=info)
    return SimpleUploadedFile(f"{name}.png", output.getvalue(), "image/png")


def jpeg_upload(name: str, description: str) -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[0x010E] = description  # ImageDescription
    output = io.BytesIO()
    Image.new("RGB", (30, 20), "white").save(output, format="JPEG", exif=exif)
    return SimpleUploadedFile(f"{name}.jpg", output.getvalue(), "image/jpeg")


def ticket_upload(name: str = TICKET_NAME) -> SimpleUploadedFile:
    content = (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
        + f"% {TICKET_TEXT}\n".encode()
        + b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )
    return SimpleUploadedFile(f"{name}.pdf", content, "application/pdf")
