"""The demo's cases: one in every state and with every closing outcome, made by the real
actions; the demo caseworker's own key opens exactly the cases assigned to them."""

import re

import pytest

from safehaven.accounts.demo import demo_password
from safehaven.cases.choices import AssignmentRole, CaseOutcome, CaseState, CompartmentKind
from safehaven.cases.compartments import open_compartment
from safehaven.cases.contact_log.models import ContactAttempt, SupportSession
from safehaven.cases.demo.steps import describe_demo_cases
from safehaven.cases.models import (
    Case,
    CaseAssignment,
    CaseTask,
    CaseTransition,
    EvidenceFile,
    VerificationApproval,
)
from safehaven.core.crypto import unprotect_with_password
from safehaven.intake.demo import describe_demo_requests
from safehaven.intake.tests.helpers import SHOW_STATUS_URL, requester_client
from safehaven.keys.models import UserKeyPair

pytestmark = pytest.mark.django_db


def _caseworker():
    pair = UserKeyPair.objects.select_related("user").get(user__username="caseworker")
    key = unprotect_with_password(bytes(pair.protected_private_key), demo_password("caseworker"))
    return pair.user, key


def test_it_shows_a_case_in_every_state_and_the_caseworker_opens_only_theirs(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    describe_demo_requests("http://localhost:8000")
    text = "\n".join(describe_demo_cases("http://localhost:8000"))

    assert set(Case.objects.values_list("state", flat=True)) == set(CaseState.values)
    closed = Case.objects.filter(state=CaseState.CLOSED)
    # "Merged" is no outcome the workflow closes with: only a merge of two cases sets it.
    workflow_outcomes = set(CaseOutcome.values) - {CaseOutcome.MERGED}
    assert set(closed.values_list("outcome", flat=True)) == workflow_outcomes
    # Verified was reached only through a supervisor's approval, never by hand.
    assert not CaseTransition.objects.filter(to_state=CaseState.VERIFIED, actor__username="triage")
    assert VerificationApproval.objects.filter(decision="pending").count() == 1
    assert EvidenceFile.objects.exists()
    assert ContactAttempt.objects.exists()
    assert SupportSession.objects.exists()
    assert CaseTask.objects.filter(due_on__lt=CaseTask.objects.latest("due_on").due_on).exists()
    assert Case.objects.filter(people__is_primary=False).exists()  # a household
    assert Case.objects.filter(origin="phone_call", state=CaseState.RECEIVED).exists()
    assert CaseAssignment.objects.filter(role=AssignmentRole.INTERPRETER).exists()

    worker, key = _caseworker()
    mine = set(
        CaseAssignment.objects.filter(user=worker, role=AssignmentRole.CASEWORKER).values_list(
            "case_id", flat=True
        )
    )
    assert 0 < len(mine) < Case.objects.count()
    for case in Case.objects.all():
        opened = open_compartment(case, CompartmentKind.CASEWORK, user=worker, private_key=key)
        assert (opened is not None) == (case.pk in mine), case
    assert "MISMATCH" not in text

    found = re.search(r"with the codename\n  (.+)$", text, re.MULTILINE)
    assert found is not None
    codename = found[1]
    page = requester_client(codename).get(SHOW_STATUS_URL.replace("/en/", "/ru/"))
    assert "Мы свяжемся с вами" in page.content.decode()  # noqa: RUF001 - verification's sentence

    count = Case.objects.count()
    again = "\n".join(describe_demo_cases("http://localhost:8000"))
    assert Case.objects.count() == count
    assert codename in again
