"""A whole case's life through the real pages, a distinct sentinel typed into every free-text,
contact and file field on the way, for the leak scan (``test_leak_scan.py``).

The person writes in through the public form and their status page; triage notes, answers and
accepts; the caseworker logs contacts, verifies, plans a pathway and a route, books with a
ticket file, schedules check-ins; a supervisor approves and allows the route; finance records
a named donation, approves a grant and pays it with sealed payee details; the person travels,
arrives, is followed up, and the case closes. Every response is kept for the third-party-URL
check; what an export sends is kept apart, for the scan of what must hold nothing sealed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safehaven.cases.choices import CaseState
from safehaven.cases.models import Case, VerificationApproval
from safehaven.core.tests import leak_sentinels as typed
from safehaven.finance.models import Disbursement, Fund, Grant
from safehaven.finance.tests.grant_view_helpers import PAYMENT, browser, finance_world
from safehaven.finance.tests.helpers import make_fund
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.attachments import DOCUMENTS_URL
from safehaven.intake.tests.helpers import (
    CONTACTS_URL,
    MESSAGE_URL,
    open_status,
    stamp_fields,
    valid_post,
)
from safehaven.intake.tests.helpers import codename_from as codename_of
from safehaven.reports.exports.csv_files import BREAKDOWNS


def today() -> datetime.date:
    """Asked at each use: a life that runs across midnight gets the day of each step."""
    return timezone.localdate()


@dataclass
class Life:
    """One case's life: the world it runs in, what it made (set as it goes: reading one before
    its phase has run raises AttributeError), and what it saw."""

    world: Any
    codename: str = ""
    help_request: HelpRequest = field(init=False)
    case: Case = field(init=False)
    fund: Fund = field(init=False)
    grant: Grant = field(init=False)
    # Every page and answer the life got, for the third-party-URL check.
    responses: list[Any] = field(default_factory=list)
    # Pages showing the case to those allowed to read it: where each sentinel must be.
    shown: list[bytes] = field(default_factory=list)
    # What exports sent (name -> bytes): must hold nothing sealed.
    exports: dict[str, bytes] = field(default_factory=dict)
    # Intended disclosures (the referral package), kept apart and never scanned.
    disclosed: dict[str, bytes] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)


class Browser:
    """A client whose every response is kept, and that fails loudly on an unexpected status."""

    def __init__(self, client: Client, life: Life) -> None:
        self.client = client
        self.life = life

    def get(self, url: str, status: int = 200, **extra: Any) -> Any:
        return self._check(self.client.get(url, **extra), status, url)

    def post(self, url: str, data: Any = None, status: int = 302, **extra: Any) -> Any:
        return self._check(self.client.post(url, data or {}, **extra), status, url)

    def _check(self, response: Any, status: int, url: str) -> Any:
        self.life.responses.append(response)
        if response.status_code != status:
            body = response.content.decode(errors="replace")
            raise AssertionError(f"{url}: {response.status_code}, wanted {status}\n{body[:3000]}")
        return response


def case_url(case: Case, rest: str = "") -> str:
    return f"/en/staff/cases/{case.pk}/{rest}"


def person_writes_in(life: Life) -> Browser:
    """The public form with every field filled; the status page opened. Returns the
    person's browser (its status session open)."""
    person = Browser(Client(), life)
    posted = valid_post(
        situation=typed.SITUATION,
        region=typed.REGION,
        language_other=typed.LANGUAGE_OTHER,
        visas=typed.VISAS,
        contact_signal=typed.SIGNAL,
        contact_whatsapp=typed.WHATSAPP,
        contact_phone=typed.PHONE,
        contact_telegram=typed.TELEGRAM,
        contact_email=typed.EMAIL,
        contact_other=typed.CONTACT_OTHER,
        contact_times=typed.CONTACT_TIMES,
        checkin_phrase=typed.CHECKIN_PHRASE,
        duress_phrase=typed.DANGER_PHRASE,
        risk_indicators=["detained"],
        companions="0",
        passport="valid",
    )
    receipt = person.post("/en/help/", posted | stamp_fields(), status=200)
    life.codename = codename_of(receipt.content.decode())
    life.help_request = HelpRequest.objects.latest("pk")
    life.responses.append(open_status(person.client, life.codename))
    return person


def person_writes_more(life: Life, person: Browser) -> None:
    """On the status page: a message, new contact details (they replace the old ones), a
    document photo."""
    person.post(MESSAGE_URL, {"body": typed.MESSAGE})
    person.post(CONTACTS_URL, {"contact_telegram": typed.NEW_TELEGRAM, "may_leave_message": "no"})
    person.post(
        DOCUMENTS_URL, {"photo": typed.jpeg_upload(typed.PHOTO_NAME, typed.PHOTO_DESCRIPTION)}
    )
    person.get("/en/status/request/")


def staff(life: Life, world: Any, username: str) -> Browser:
    """``username`` logged in once with password and code (keys unlocked), both factors
    fresh; the same browser for the whole life (a second login in the same 30 seconds would
    reuse a spent code)."""
    if username not in life.clients:
        life.clients[username] = browser(world, username)
    return Browser(life.clients[username], life)


def triage_accepts(life: Life, world: Any, person: Browser) -> Case:
    triage = staff(life, world, "triage")
    request_url = f"/en/staff/requests/{life.help_request.pk}/"
    life.shown.append(triage.get(request_url).content)  # the contacts as first typed
    person_writes_more(life, person)
    life.shown.append(triage.get(request_url).content)
    triage.post(request_url + "notes/", {"note": typed.INTERNAL_NOTE})
    triage.post(request_url + "reply/", {"body": typed.REPLY})
    triage.post(request_url + "accept/", {"reason": typed.ACCEPT_REASON})
    life.case = Case.objects.get(people__help_request=life.help_request)
    triage.post(
        case_url(life.case, "assign/"),
        {"user": world.users["caseworker"].pk, "role": "caseworker"},
    )
    return life.case


def triage_takes_a_call(life: Life, world: Any) -> None:
    """A second person, who telephoned: their case typed by triage (the call's person keeps
    their words in the case, not in a request)."""
    triage = staff(life, world, "triage")
    triage.post(
        "/en/staff/cases/new/",
        {
            "country": "TJ",
            "region": typed.CALL_REGION,
            "languages": ["ru"],
            "citizenships": typed.CALL_CITIZENSHIPS,
            "summary": typed.CALL_SUMMARY,
            "contacts": typed.CALL_CONTACTS,
            "risk_indicators": ["in_hiding"],
            "companions": "0",
            "reason": typed.CALL_REASON,
        },
    )
    called = Case.objects.exclude(pk=life.case.pk).get()
    life.shown.append(triage.get(case_url(called)).content)


def caseworker_verifies(life: Life, world: Any) -> None:
    case = life.case
    worker = staff(life, world, "caseworker")
    worker.get(case_url(case))
    if Case.objects.get(pk=case.pk).state == CaseState.RECEIVED:
        worker.post(case_url(case, "move/"), {"to_state": "screening", "reason": typed.MOVE_REASON})
    worker.post(case_url(case, "move/"), {"to_state": "verification", "reason": typed.MOVE_REASON})
    tomorrow = (today() + datetime.timedelta(days=1)).isoformat()
    worker.post(case_url(case, "tasks/"), {"title": typed.TASK_TITLE, "due_on": tomorrow})
    worker.post(
        case_url(case, "contact-attempts/"),
        {
            "channel": "whatsapp",
            "outcome": "wrong_person",
            "next_try_on": tomorrow,
            "note": typed.ATTEMPT_NOTE,
        },
    )
    worker.post(
        case_url(case, "support-sessions/"),
        {
            "kind": "other",
            "consent": "",
            "held_on": today().isoformat(),
            "note": typed.SESSION_NOTE,
        },
    )
    worker.post(case_url(case, "notes/"), {"body": typed.CASE_NOTE})
    worker.post(
        case_url(case, "messages/"), {"request": life.help_request.pk, "body": typed.CASE_ANSWER}
    )
    checks = (
        {"item": "identity", "method": "document", "note": typed.CHECK_NOTE},
        {"item": "risk", "method": "interview", "note": ""},
        {"item": "lgbtq_identity", "method": "partner_attested", "partner": world.partner_a.pk},
    )
    for check in checks:
        worker.post(case_url(case, "verification/checks/"), {"status": "confirmed"} | check)
    worker.post(
        case_url(case, "evidence/"),
        {
            "file": typed.png_upload(typed.EVIDENCE_NAME, typed.EVIDENCE_COMMENT),
            "description": typed.EVIDENCE_DESCRIPTION,
        },
    )
    worker.post(case_url(case, "verification/ask/"))
    approval = VerificationApproval.objects.get(case=case)
    supervisor = staff(life, world, "supervisor")
    supervisor.post(
        case_url(case, f"verification/{approval.pk}/approve/"), {"note": typed.APPROVAL_NOTE}
    )
    assert Case.objects.get(pk=case.pk).state == CaseState.VERIFIED


def finance_pays(life: Life, world: Any) -> None:
    """A fund (its name in clear: the positive control), a named donation, a grant for the
    case approved and paid with every payee field, the payment confirmed by a second officer;
    the payees opened; both accountant's exports."""
    finance_world(world)
    life.fund = make_fund(world, "EUR", name=typed.CLEAR_CONTROL)
    officer = staff(life, world, "finance")
    fund_url = f"/en/staff/finance/funds/{life.fund.pk}/"
    officer.post(
        fund_url + "donations/new/",
        {
            "received_on": today().isoformat(),
            "amount": "900.00",
            "currency": "",
            "rate": "",
            "rate_on": "",
            "donor_name": typed.DONOR,
        },
    )
    officer.post(fund_url + "donations/", status=200)  # the donors' names opened, audited
    staff(life, world, "caseworker").post(
        reverse("finance-request-case-grant", kwargs={"case_id": life.case.pk}),
        {"fund": life.fund.pk, "category": "airfare", "amount": "300"},
    )
    life.grant = Grant.objects.get(case=life.case)
    grant_url = f"/en/staff/finance/grants/{life.grant.pk}/"
    officer.post(grant_url + "approve/")
    officer.post(
        grant_url + "disbursements/new/",
        PAYMENT
        | {
            "amount": "250",
            "currency": "EUR",
            "payee_name": typed.PAYEE,
            "payee_account": typed.PAYEE_ACCOUNT,
            "payee_service": typed.PAYEE_SERVICE,
            "payee_note": typed.PAYEE_NOTE,
            "reference": typed.PAYMENT_REFERENCE,
        },
    )
    paid = Disbursement.objects.get(grant=life.grant)
    staff(life, world, "finance2").post(f"/en/staff/finance/disbursements/{paid.pk}/confirm/")
    officer.get(grant_url + "payees/")
    for kind in ("grants", "disbursements"):
        exported = officer.post("/en/staff/finance/exports/", {"kind": kind}, status=200)
        life.exports[f"finance {kind} CSV"] = exported.content


def caseworker_closes(life: Life, world: Any) -> None:
    staff(life, world, "caseworker").post(
        case_url(life.case, "move/"),
        {"to_state": "closed", "outcome": "relocated", "reason": typed.CLOSING_REASON},
    )
    assert Case.objects.get(pk=life.case.pk).state == CaseState.CLOSED


def reports_exported(life: Life, world: Any) -> None:
    """The figures, as CSV and HXL, in every breakdown; and the audit log page."""
    admin = staff(life, world, "admin")
    year = str(today().year)
    for breakdown in BREAKDOWNS:
        for file_format in ("csv", "hxl"):
            posted = {"first_year": year, "breakdown": breakdown, "file_format": file_format}
            exported = admin.post("/en/staff/reports/exports/", posted, status=200)
            life.exports[f"figures {breakdown} {file_format}"] = exported.content
    life.exports["audit log page"] = admin.get("/en/staff/admin/audit/").content
