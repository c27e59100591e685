"""Helpers for the partner portal's tests: a referral made through the action, a partner's
browser logged in for real (so its key is unlocked), small files to upload."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from safehaven.intake.choices import RequestChannel
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.partners.referrals.actions import do_refer_person
from safehaven.partners.referrals.forms import ReferralForm

STORY = "Portal-Story-Marshwhistle needs to leave."
NAME = "Portal-Name-Ottercliff"


def referral_fields(**overrides: str) -> dict[str, str]:
    fields = {
        "known_as": NAME,
        "situation": STORY,
        "country": "RU",
        "languages": "ru, ce",
        "contact_method": "telegram",
        "contact": "@portal_heron",
        "consent": "yes",
    }
    fields.update(overrides)
    return fields


def refer(world: Any, username: str = "partner_a", **overrides: str) -> HelpRequest:
    """A referral of ``username``'s organisation, made through the action as the portal does."""
    form = ReferralForm(referral_fields(**overrides))
    assert form.is_valid(), form.errors
    organisation = world.partner_a if username == "partner_a" else world.partner_b
    return do_refer_person(
        form.draft(),
        organisation=organisation,
        channel=RequestChannel.PORTAL,
        actor=world.users[username],
    )


def logged_in(world: Any, username: str) -> Client:
    """``username``'s browser, logged in with password and TOTP: its key is unlocked."""
    return staff_client_with_keys(world, username)


def show_url(help_request: HelpRequest) -> str:
    return f"/en/partners/referrals/{help_request.pk}/"


def staff_messages_url(help_request: HelpRequest) -> str:
    return f"/en/staff/requests/{help_request.pk}/partner-messages/"


def photo_upload(name: str = "page.jpg", *, exif: bool = True) -> SimpleUploadedFile:
    """A small JPEG with an EXIF description (which the re-encoding must drop)."""
    image = Image.new("RGB", (40, 30), (200, 120, 40))
    output = BytesIO()
    extra: dict[str, Any] = {}
    if exif:
        data = Image.Exif()
        data[0x010E] = "Exif-Secret-Lakeshore"
        extra["exif"] = data.tobytes()
    image.save(output, format="JPEG", **extra)
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/jpeg")


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name: str = "letter.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")
