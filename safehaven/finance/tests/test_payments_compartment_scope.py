"""The payments compartment of a case stays finance's: assigning a caseworker never wraps it to
them (even when the assigner holds it), and re-keying the case leaves it alone."""

from decimal import Decimal

import pytest

from safehaven.cases.assignment.actions import case_record_ids
from safehaven.cases.choices import AssignmentRole, CompartmentKind
from safehaven.cases.compartments import open_casework
from safehaven.cases.rekeying.actions import do_rekey_case
from safehaven.finance.tests.helpers import (
    approved_grant,
    donate,
    finance_team,
    make_fund,
    officer,
    pay,
)
from safehaven.intake.tests.helpers import private_key
from safehaven.keys.models import RecordKeyWrap
from safehaven.travel.tests.helpers import assigned_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_case(world):
    finance_team(world)
    case = assigned_case(world)
    keys = officer("finance")
    fund = make_fund(world)
    donate(fund, "500.00", keys=keys)
    pay(approved_grant(world, fund, Decimal("200.00"), case=case), "200.00", keys=keys)
    return case


def payments_record_id(case):
    return case.compartments.get(kind=CompartmentKind.PAYMENTS).record_id


def test_it_leaves_the_payments_compartment_out_of_what_a_caseworker_is_given(world, paid_case):
    casework = open_casework(
        paid_case, actor=world.users["triage"], private_key=private_key("triage")
    )
    given = case_record_ids(paid_case, AssignmentRole.CASEWORKER, casework)
    assert payments_record_id(paid_case) not in given
    assert paid_case.compartments.get(kind=CompartmentKind.CASEWORK).record_id in given


def test_it_never_wraps_the_payments_compartment_to_the_assigned_caseworker(world, paid_case):
    holders = RecordKeyWrap.objects.filter(record_key__record_id=payments_record_id(paid_case))
    assert not holders.filter(user=world.users["caseworker"]).exists()


def test_it_re_keys_a_case_without_touching_its_payments(world, paid_case):
    before = payments_record_id(paid_case)
    casework_before = paid_case.compartments.get(kind=CompartmentKind.CASEWORK).record_id
    do_rekey_case(paid_case, actor=world.users["triage"], private_key=private_key("triage"))
    assert payments_record_id(paid_case) == before
    assert paid_case.compartments.get(kind=CompartmentKind.CASEWORK).record_id != casework_before
