"""Helpers for the merge tests: two cases of the same person, the absorbed one full of
casework (a task, a note, a contact attempt, a support session, a verification check, an
evidence file) and a message each way in each person's thread; each sentinel is unique, so a
test finds where it went."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.utils import timezone
from PIL import Image

from safehaven.cases.assignment.actions import do_assign_case
from safehaven.cases.case_tasks.actions import do_add_case_task
from safehaven.cases.choices import (
    AssignmentRole,
    VerificationItemKind,
    VerificationMethod,
    VerificationStatus,
)
from safehaven.cases.contact_log.actions import (
    do_add_case_note,
    do_log_contact_attempt,
    do_log_support_session,
)
from safehaven.cases.contact_log.choices import (
    ConsentKind,
    ContactChannel,
    ContactOutcome,
    SupportKind,
)
from safehaven.cases.evidence.actions import do_add_evidence
from safehaven.cases.models import Case
from safehaven.cases.opening.actions import do_accept_help_request
from safehaven.cases.tests.helpers import staff_member
from safehaven.cases.verification.actions import do_record_verification_item
from safehaven.core.uploads.sanitise import SanitisedFile
from safehaven.intake.handling.actions import do_reply_to_request
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import (
    MESSAGE_URL,
    latest_request,
    private_key,
    requester_client,
    submit_request,
)

TASK = "TASK-sentinel-51a2"
NOTE = "NOTE-sentinel-77c9"
ATTEMPT = "ATTEMPT-sentinel-0b3e"
SESSION = "SESSION-sentinel-4d18"
CHECK = "CHECK-sentinel-9e60"
EVIDENCE = "EVIDENCE-sentinel-2f85"
EVIDENCE_BYTES = b"EVIDENCE-bytes-sentinel-c41d"
KEPT_SAYS = "KEPT-person-sentinel-6a01"
ABSORBED_SAYS = "ABSORBED-person-sentinel-3c57"
REPLY_TO_ABSORBED = "REPLY-absorbed-sentinel-8e22"


@dataclass
class Pair:
    kept: Case
    absorbed: Case
    kept_codename: str
    absorbed_codename: str

    @property
    def kept_request(self) -> HelpRequest:
        return self.kept.people.get(is_primary=True).help_request  # type: ignore[return-value]

    @property
    def absorbed_request(self) -> HelpRequest:
        return HelpRequest.objects.get(pk=self.absorbed_request_id)

    absorbed_request_id: int = 0


def keys_of(username: str, world: Any) -> dict[str, Any]:
    return {"actor": world.users[username], "private_key": private_key(username)}


def a_png() -> SanitisedFile:
    output = BytesIO()
    Image.new("RGB", (8, 8), "blue").save(output, format="PNG")
    return SanitisedFile(output.getvalue() + EVIDENCE_BYTES, "image/png", "png")


def accepted(world: Any, situation: str) -> tuple[Case, str]:
    codename = submit_request(situation=situation)
    case = do_accept_help_request(latest_request(), reason="Accepted.", **keys_of("triage", world))
    return case, codename


def second_caseworker(world: Any) -> Any:
    if "caseworker2" not in world.users:
        world.users["caseworker2"] = staff_member(world, "caseworker2")
    return world.users["caseworker2"]


def fill_casework(world: Any, case: Case) -> None:
    """One row of every casework kind, by the triage user."""
    keys = keys_of("triage", world)
    today = timezone.localdate()
    due = today + datetime.timedelta(days=3)
    do_add_case_task(case, title=TASK, due_on=due, assignee=None, **keys)
    do_add_case_note(case, body=NOTE, **keys)
    do_log_contact_attempt(
        case,
        channel=ContactChannel.SIGNAL,
        outcome=ContactOutcome.REACHED,
        next_try_on=None,
        note=ATTEMPT,
        **keys,
    )
    do_log_support_session(
        case,
        kind=SupportKind.EMOTIONAL_SUPPORT,
        consent=ConsentKind.SUPPORT,
        held_on=today,
        note=SESSION,
        **keys,
    )
    do_record_verification_item(
        case,
        item=VerificationItemKind.RISK,
        status=VerificationStatus.CONFIRMED,
        method=VerificationMethod.INTERVIEW,
        partner=None,
        note=CHECK,
        **keys,
    )
    do_add_evidence(case, file=a_png(), description=EVIDENCE, **keys)


def two_cases(world: Any, *, fill: bool = True) -> Pair:
    """The kept case (assigned to ``caseworker``) and the absorbed one (assigned to
    ``caseworker2``), each from its own request; each person wrote once, and staff answered
    the absorbed one's person."""
    kept, kept_codename = accepted(world, "I am the kept person.")
    absorbed, absorbed_codename = accepted(world, "I am the absorbed person.")
    absorbed_request_id = latest_request().pk
    triage = keys_of("triage", world)
    do_assign_case(kept, user=world.users["caseworker"], role=AssignmentRole.CASEWORKER, **triage)
    other = second_caseworker(world)
    do_assign_case(absorbed, user=other, role=AssignmentRole.CASEWORKER, **triage)
    assert requester_client(kept_codename).post(MESSAGE_URL, {"body": KEPT_SAYS}).status_code == 302
    person = requester_client(absorbed_codename)
    assert person.post(MESSAGE_URL, {"body": ABSORBED_SAYS}).status_code == 302
    do_reply_to_request(
        HelpRequest.objects.get(pk=absorbed_request_id), text=REPLY_TO_ABSORBED, **triage
    )
    if fill:
        fill_casework(world, absorbed)
    return Pair(kept, absorbed, kept_codename, absorbed_codename, absorbed_request_id)
