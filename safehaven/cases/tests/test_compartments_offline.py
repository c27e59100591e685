"""What each role's own private key opens of a case, with nothing but the database: no server,
no view, no session, only ``open_record`` on each record of the case (issue 17, "Compartments").

The case: a request referred by partner A, accepted by triage (the reason sealed in casework),
a task and a phone-call household member in casework, a reply in the request's thread; given
to a caseworker and an interpreter.
"""

from dataclasses import dataclass
from datetime import date

import pytest

from safehaven.accounts.models import User
from safehaven.cases.assignment.actions import do_assign_case
from safehaven.cases.choices import AssignmentRole, CompartmentKind
from safehaven.cases.compartments import open_compartment
from safehaven.cases.models import Case, CasePerson, CaseTask
from safehaven.cases.tests.helpers import open_case, primary_request, staff_member
from safehaven.intake.handling.actions import do_reply_to_request
from safehaven.intake.models import HelpRequest, RequestMessage
from safehaven.intake.tests.helpers import private_key
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import open_record

pytestmark = pytest.mark.django_db

STORY = "STORY-sentinel-3kq the police came to the flat"
REASON = "REASON-sentinel-8wd accepted after the call"
TASK = "TASK-sentinel-5re call the shelter"
CALLER = "CALLER-sentinel-2mv the brother, reachable at night"
REPLY = "REPLY-sentinel-9zt we have read your message"


@dataclass(frozen=True)
class Built:
    case: Case
    request: HelpRequest

    @property
    def casework_id(self):
        return self.case.compartment_record_id(CompartmentKind.CASEWORK)


def build_case(world, partner_codes) -> Built:
    case = open_case(
        world, reason=REASON, situation=STORY, referral_code=partner_codes["partner_a"]
    )
    request = primary_request(case)
    triage, key = world.users["triage"], private_key("triage")
    casework = open_compartment(case, CompartmentKind.CASEWORK, user=triage, private_key=key)
    assert casework is not None
    task = CaseTask(record_id=casework.record_id, case=case, due_on=date(2030, 1, 1))
    task.open_with(casework).seal("title", TASK)
    task.save()
    caller = CasePerson(record_id=casework.record_id, case=case, is_primary=False)
    caller.open_with(casework)
    for name in ("summary", "region", "citizenships", "contacts"):
        caller.seal(name, f"{CALLER} ({name})")
    caller.save()
    do_reply_to_request(request, actor=triage, private_key=key, text=REPLY)
    for username, role in (
        ("caseworker", AssignmentRole.CASEWORKER),
        ("interpreter", AssignmentRole.INTERPRETER),
    ):
        do_assign_case(case, user=world.users[username], role=role, actor=triage, private_key=key)
    staff_member(world, "unassigned-caseworker")
    return Built(case, HelpRequest.objects.get(pk=request.pk))


def opened(record_id, username: str) -> OpenedRecord | None:
    try:
        return open_record(
            record_id, user=User.objects.get(username=username), private_key=private_key(username)
        )
    except RecordUnavailable:
        return None


def read_casework(built: Built, record: OpenedRecord) -> list[str | None]:
    case = built.case
    return [
        case.transitions.get().open_with(record).sealed("reason"),
        case.tasks.get().open_with(record).sealed("title"),
        case.people.get(is_primary=False).open_with(record).sealed("summary"),
    ]


def read_request(built: Built, record: OpenedRecord) -> str | None:
    return HelpRequest.objects.get(pk=built.request.pk).open_with(record).sealed("situation")


def read_thread(built: Built, record: OpenedRecord) -> list[str | None]:
    return [
        message.open_with(record).sealed("body")
        for message in RequestMessage.objects.filter(record_id=record.record_id)
    ]


# Who opens what: the casework compartment, the request (the person's story), its thread.
TABLE = [
    ("triage", True, True, True),
    ("supervisor", True, True, True),
    ("caseworker", True, True, True),
    ("unassigned-caseworker", False, False, False),
    ("interpreter", False, False, True),
    ("partner_a", False, True, True),
    ("partner_b", False, False, False),
    ("finance", False, False, False),
    ("advocacy", False, False, False),
    ("admin", False, False, False),
]


@pytest.mark.parametrize(("username", "casework", "story", "thread"), TABLE)
def test_it_opens_with_each_role_s_own_key_only_what_the_role_needs(
    world, partner_codes, username, casework, story, thread
):
    built = build_case(world, partner_codes)
    assert built.request.thread_record_id is not None

    record = opened(built.casework_id, username)
    assert (record is not None) == casework
    if record is not None:
        assert read_casework(built, record) == [REASON, TASK, f"{CALLER} (summary)"]

    record = opened(built.request.record_id, username)
    assert (record is not None) == story
    if record is not None:
        assert read_request(built, record) == STORY

    record = opened(built.request.thread_record_id, username)
    assert (record is not None) == thread
    if record is not None:
        assert REPLY in read_thread(built, record)
