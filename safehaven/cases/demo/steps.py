"""Demo cases for `make demo`: a case in every state, each closing outcome and every side
exit, opened from invented demo requests (and one phone call) through the real actions and
moved there by real moves, the step to *verified* by a supervisor's approval.

The caseworker's showcase case (in verification, waiting for a supervisor's approval) has a
household member, an interpreter, tasks (one overdue), a confirmed checklist, an evidence
photo, contact attempts, support sessions and a note. Everything here is invented.
"""

from __future__ import annotations

import datetime
import io
import os
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from PIL import Image

from safehaven.accounts.demo import demo_password, load_demo_world
from safehaven.accounts.models import Organisation, User
from safehaven.cases.assignment.actions import do_assign_case
from safehaven.cases.case_tasks.actions import do_add_case_task
from safehaven.cases.choices import (
    AssignmentRole,
    CaseState,
    CompartmentKind,
    VerificationItemKind,
    VerificationMethod,
    VerificationStatus,
)
from safehaven.cases.compartments import open_compartment
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
from safehaven.cases.demo.invented import (
    APPROVE,
    CALL,
    DEMO_CASES,
    HOUSEHOLD_DRAFT,
    IR,
    REASONS,
    SHOWCASE_DRAFT,
    STORIES,
    DemoCase,
    draft,
)
from safehaven.cases.evidence.actions import do_add_evidence
from safehaven.cases.models import Case, CaseAssignment, CaseTask
from safehaven.cases.opening.actions import (
    do_accept_help_request,
    do_join_household,
    do_open_case_from_call,
)
from safehaven.cases.verification.actions import (
    do_approve_verification,
    do_record_verification_item,
    do_request_verification,
)
from safehaven.cases.workflow.actions import do_move_case
from safehaven.core import demo
from safehaven.core.crypto import unprotect_with_password
from safehaven.core.uploads.sanitise import sanitise_evidence
from safehaven.intake.models import HelpRequest
from safehaven.intake.submission.actions import do_create_help_request
from safehaven.intake.submission.request_draft import HelpRequestDraft
from safehaven.keys.models import UserKeyPair

S = CaseState


def case_codenames_file() -> Path:
    return Path(settings.VAR_DIR) / "demo-case-codenames.txt"


# Private keys unlocked once per run (the KDF is slow on purpose), by the protected key itself:
# a new demo database has new keys, so a stale entry is never used.
_UNLOCKED: dict[bytes, bytes] = {}


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _key(username: str) -> bytes:
    protected = bytes(UserKeyPair.objects.get(user__username=username).protected_private_key)
    if protected not in _UNLOCKED:
        _UNLOCKED[protected] = unprotect_with_password(protected, demo_password(username))
    return _UNLOCKED[protected]


def _request(draft: HelpRequestDraft) -> tuple[HelpRequest, str]:
    codename = do_create_help_request(draft).codename
    return HelpRequest.objects.order_by("-pk").first(), codename  # type: ignore[return-value]


def _accept(draft: HelpRequestDraft) -> tuple[Case, str]:
    help_request, codename = _request(draft)
    case = do_accept_help_request(
        help_request,
        reason="Accepted at triage: at risk and within our mandate.",
        actor=_user("triage"),
        private_key=_key("triage"),
    )
    return case, codename


def _assign(case: Case, username: str, role: AssignmentRole) -> None:
    do_assign_case(
        case, user=_user(username), role=role, actor=_user("triage"), private_key=_key("triage")
    )


def _confirm_checklist(case: Case, username: str) -> None:
    partner = Organisation.objects.get(name="Rainbow Network East")
    methods = {
        VerificationItemKind.IDENTITY: (VerificationMethod.DOCUMENT, None, "Passport seen."),
        VerificationItemKind.RISK: (VerificationMethod.INTERVIEW, None, "Video call, 40 min."),
        VerificationItemKind.LGBTQ_IDENTITY: (VerificationMethod.PARTNER_ATTESTED, partner, ""),
    }
    for item, (method, by_partner, note) in methods.items():
        do_record_verification_item(
            case,
            item=item,
            status=VerificationStatus.CONFIRMED,
            method=method,
            partner=by_partner,
            note=note,
            actor=_user(username),
            private_key=_key(username),
        )


def _approve(case: Case, username: str) -> None:
    _confirm_checklist(case, username)
    approval = do_request_verification(case, actor=_user(username), private_key=_key(username))
    do_approve_verification(
        approval, actor=_user("supervisor"), private_key=_key("supervisor"), note=REASONS[APPROVE]
    )


def _walk(case: Case, spec: DemoCase) -> None:
    """Move ``case`` along its path with real moves, as its caseworker or triage."""
    username = "caseworker" if spec.caseworker else "triage"
    for step in spec.path:
        if step == APPROVE:
            _approve(case, username)
            case.refresh_from_db()
            continue
        do_move_case(
            case,
            to_state=CaseState(step),
            reason=REASONS[step],
            actor=_user(username),
            private_key=_key(username),
            outcome=spec.outcome if step == S.CLOSED else None,
        )


def _evidence_png() -> bytes:
    image = Image.new("RGB", (96, 64), (200, 190, 170))
    image.paste((40, 60, 120), (8, 8, 40, 56))  # a "photo" block on a "passport page"
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _showcase_work(case: Case) -> None:
    """Tasks, the checklist, evidence, approval asked for, the contact and support log."""
    worker, key = _user("caseworker"), _key("caseworker")
    today = timezone.localdate()
    overdue = do_add_case_task(
        case,
        title="Call the partner shelter about a bed for two weeks",
        due_on=today,
        assignee=worker,
        actor=worker,
        private_key=key,
    )
    # The real action refuses a due date in the past: the demo lets this one fall overdue.
    CaseTask.objects.filter(pk=overdue.pk).update(due_on=today - datetime.timedelta(days=3))
    for title, days in (
        ("Ask for a scan of the passport's photo page", 5),
        ("Book the interview", 12),
    ):
        do_add_case_task(
            case,
            title=title,
            due_on=today + datetime.timedelta(days=days),
            assignee=worker,
            actor=worker,
            private_key=key,
        )
    do_move_case(
        case, to_state=S.VERIFICATION, reason=REASONS[S.VERIFICATION], actor=worker, private_key=key
    )
    do_add_evidence(
        case,
        file=sanitise_evidence(io.BytesIO(_evidence_png())),
        description="Photo page of the passport (demo image).",
        actor=worker,
        private_key=key,
    )
    _confirm_checklist(case, "caseworker")
    do_request_verification(case, actor=worker, private_key=key)
    attempts = (
        (ContactChannel.SIGNAL, ContactOutcome.NO_ANSWER, "Two calls, no answer.", None),
        (ContactChannel.SIGNAL, ContactOutcome.REACHED, "Spoke for 20 minutes; safe for now.", 2),
    )
    for channel, outcome, note, next_in in attempts:
        do_log_contact_attempt(
            case,
            channel=channel,
            outcome=outcome,
            next_try_on=None if next_in is None else today + datetime.timedelta(days=next_in),
            note=note,
            actor=worker,
            private_key=key,
        )
    sessions = (
        (SupportKind.EMOTIONAL_SUPPORT, ConsentKind.SUPPORT, "First session; sleeping badly."),
        (
            SupportKind.COUNSELLING_REFERRAL,
            ConsentKind.REFERRAL,
            "Referred to a Russian-speaking counsellor.",
        ),
    )
    for kind, consent, note in sessions:
        do_log_support_session(
            case,
            kind=kind,
            consent=consent,
            held_on=today,
            note=note,
            actor=worker,
            private_key=key,
        )
    do_add_case_note(
        case, body="Prefers to be called by the name on the request.", actor=worker, private_key=key
    )


def _create_demo_cases() -> list[str]:
    showcase, showcase_codename = _accept(SHOWCASE_DRAFT)
    _assign(showcase, "caseworker", AssignmentRole.CASEWORKER)
    _assign(showcase, "interpreter", AssignmentRole.INTERPRETER)
    _showcase_work(showcase)
    call = do_open_case_from_call(
        CALL, reason="A call to the hotline (demo).", actor=_user("triage")
    )
    do_log_contact_attempt(
        call,
        channel=ContactChannel.PHONE,
        outcome=ContactOutcome.UNSAFE,
        next_try_on=timezone.localdate(),
        note="Someone else was in the room; call back at noon only.",
        actor=_user("triage"),
        private_key=_key("triage"),
    )
    codenames = [showcase_codename]
    for spec in DEMO_CASES:
        story, languages = STORIES[spec.country]
        case, codename = _accept(draft(story, spec.country, languages))
        codenames.append(codename)
        if spec.caseworker:
            _assign(case, "caseworker", AssignmentRole.CASEWORKER)
        if spec.country == IR and spec.caseworker:
            _assign(case, "interpreter", AssignmentRole.INTERPRETER)
        if spec.label.startswith("planning"):
            partner, codename = _request(HOUSEHOLD_DRAFT)
            do_join_household(case, partner, actor=_user("triage"), private_key=_key("triage"))
            codenames.append(codename)
        _walk(case, spec)
    path = case_codenames_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write("\n".join(codenames) + "\n")
    return codenames


def caseworker_opens() -> tuple[int, int]:
    """How many cases the demo caseworker's own key opens, and how many are assigned to them."""
    worker, key = _user("caseworker"), _key("caseworker")
    opened = sum(
        open_compartment(case, CompartmentKind.CASEWORK, user=worker, private_key=key) is not None
        for case in Case.objects.all()
    )
    assigned = CaseAssignment.objects.filter(user=worker, role=AssignmentRole.CASEWORKER).count()
    return opened, assigned


@demo.register
def describe_demo_cases(base_url: str) -> list[str]:
    load_demo_world()
    codenames: list[str] = []
    if not Case.objects.exists():
        codenames = _create_demo_cases()
    elif case_codenames_file().exists():
        codenames = case_codenames_file().read_text(encoding="utf-8").splitlines()
    counts = {state: Case.objects.filter(state=state).count() for state in CaseState}
    opened, assigned = caseworker_opens()
    lines = [
        "",
        f"Cases: {Case.objects.count()}, one or more in every state (triage or supervisor: "
        f"{base_url}/en/staff/cases/; the caseworker: {base_url}/en/staff/my-cases/).",
        "  " + ", ".join(f"{state.label}: {count}" for state, count in counts.items()),
        f"The caseworker's key opens {opened} cases, the {assigned} assigned to them"
        + ("." if opened == assigned else " — MISMATCH."),
        "One of theirs is in verification, waiting for the supervisor's approval, with tasks "
        "(one overdue), evidence and a contact log.",
    ]
    if codenames:
        lines += [
            f"Its person's status page: {base_url}/ru/status/ with the codename",
            f"  {codenames[0]}",
        ]
    return lines
