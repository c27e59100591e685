"""Helpers for the referral packages' tests: a household case given to the caseworker (the
main person from a call, a second one from a request) holding one of every piece a package can
take, each with a sentinel of its own; a consent recorded for a person; a browser session
whose password and second factor were both checked again a moment ago."""

from __future__ import annotations

import datetime
import io
import time
from dataclasses import dataclass
from typing import Any

import py7zr
from allauth.account.internal.userkit import user_id_to_str
from django.utils import timezone
from PIL import Image
from py7zr.io import BytesIOFactory

from safehaven.cases.assignment.actions import do_assign_case
from safehaven.cases.choices import (
    AssignmentRole,
    VerificationItemKind,
    VerificationMethod,
    VerificationStatus,
)
from safehaven.cases.evidence.actions import do_add_evidence
from safehaven.cases.models import Case, CasePerson
from safehaven.cases.opening.actions import do_join_household
from safehaven.cases.verification.actions import do_record_verification_item
from safehaven.core.uploads.sanitise import sanitise_evidence
from safehaven.intake.tests.helpers import latest_request, private_key, submit_request
from safehaven.travel.documents.actions import do_add_travel_document
from safehaven.travel.models import ReferralConsent
from safehaven.travel.pathways.actions import do_start_pathway
from safehaven.travel.referral_packages.actions import do_record_referral_consent
from safehaven.travel.tests.helpers import assigned_case, call_case, primary_person

RECIPIENT_NAME = "Sentinel Quorvale resettlement desk"
RECIPIENT_CONTACT = "sentinel-brindlecott@example.org"
HOW_GIVEN = "Sentinel Halbrook: said yes on a call"
PASSPHRASE = "sentinel-pass ochre lantern marsh quill"

SUMMARY = "Sentinel-Summary Vellacourt hid in a cousin's flat"
REGION = "Sentinel-Region Dunmarrow"
CITIZENSHIPS = "Sentinel-Citizenship Ostravia"
CONTACTS = "Sentinel-Contacts signal +7 900 555 01 23"
SECOND_SITUATION = "Sentinel-Second Pellwick lost her job after a raid"
CHECK_NOTE = "Sentinel-Checknote Grimsholt interview notes"
EVIDENCE_DESCRIPTION = "Sentinel-Evidence Tallowmere court summons"
PASSPORT_NUMBER = "SNTL4417729"
PATHWAY_NOTES = "Sentinel-Pathway Corrowind notes"


def worker(world: Any) -> dict[str, Any]:
    return {"actor": world.users["caseworker"], "private_key": private_key("caseworker")}


def consent(
    world: Any,
    case: Case,
    *,
    person: CasePerson | None = None,
    recipient_kind: str = "unhcr",
    recipient_name: str = RECIPIENT_NAME,
    note: str = "",
    government_country: str = "",
) -> ReferralConsent:
    return do_record_referral_consent(
        case,
        person=person or primary_person(case),
        recipient_kind=recipient_kind,
        recipient_name=recipient_name,
        recipient_contact=RECIPIENT_CONTACT,
        how_given=HOW_GIVEN,
        note=note,
        government_country=government_country,
        **worker(world),
    )


def consented_case(world: Any, recipient_kind: str = "unhcr") -> tuple[Case, ReferralConsent]:
    case = assigned_case(world)
    return case, consent(world, case, recipient_kind=recipient_kind)


def png(colour: tuple[int, int, int] = (10, 120, 40)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (30, 20), colour).save(output, format="PNG")
    return output.getvalue()


@dataclass
class Household:
    case: Case
    main: CasePerson
    second: CasePerson
    consent: ReferralConsent


def household(world: Any) -> Household:
    """A call case with a second person joined from a request, given to the caseworker, with
    a check, an evidence photo, the main person's passport and a pathway; the main person's
    consent to UNHCR recorded."""
    case = call_case(
        world, summary=SUMMARY, region=REGION, citizenships=CITIZENSHIPS, contacts=CONTACTS
    )
    triage = {"actor": world.users["triage"], "private_key": private_key("triage")}
    submit_request(situation=SECOND_SITUATION)
    second = do_join_household(case, latest_request(), **triage)
    do_assign_case(case, user=world.users["caseworker"], role=AssignmentRole.CASEWORKER, **triage)
    do_record_verification_item(
        case,
        item=VerificationItemKind.IDENTITY,
        status=VerificationStatus.CONFIRMED,
        method=VerificationMethod.INTERVIEW,
        partner=None,
        note=CHECK_NOTE,
        **worker(world),
    )
    do_add_evidence(
        case,
        file=sanitise_evidence(io.BytesIO(png())),
        description=EVIDENCE_DESCRIPTION,
        **worker(world),
    )
    main = primary_person(case)
    do_add_travel_document(
        case,
        person=main,
        kind="passport",
        issuing_country="RU",
        for_country="",
        number=PASSPORT_NUMBER,
        valid_until=timezone.localdate() + datetime.timedelta(days=900),
        **worker(world),
    )
    do_start_pathway(
        case,
        kind="unhcr_resettlement",
        owner=world.users["caseworker"],
        notes=PATHWAY_NOTES,
        **worker(world),
    )
    return Household(case, main, second, consent(world, case, person=main))


def opened_archive(content: bytes, passphrase: str = PASSPHRASE) -> dict[str, bytes]:
    """Every file of an archive, decrypted with the library itself."""
    factory = BytesIOFactory(64 * 1024 * 1024)
    with py7zr.SevenZipFile(io.BytesIO(content), "r", password=passphrase) as archive:
        archive.extractall(factory=factory)
    return {name: product.read() for name, product in _products(factory).items()}


def opens_with(content: bytes, passphrase: str) -> bool:
    """Whether ``passphrase`` opens the archive: a wrong key fails in several ways (the header
    decrypts to noise), each of them a refusal."""
    try:
        opened_archive(content, passphrase)
    except Exception:  # any failure to open is what is asked
        return False
    return True


def _products(factory: BytesIOFactory) -> dict[str, Any]:
    for product in factory.products.values():
        product.seek(0)
    return factory.products


def mark_fresh(client: Any, user: Any, *methods: str) -> None:
    """As if the user had just passed allauth's re-authentication with each of ``methods``
    (``password``, ``mfa``)."""
    session = client.session
    session["account_authentication_methods_user"] = user_id_to_str(user)
    records = list(session.get("account_authentication_methods", []))
    records += [
        {"method": method, "at": time.time(), "reauthenticated": True} for method in methods
    ]
    session["account_authentication_methods"] = records
    session.save()
