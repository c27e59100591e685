"""The audit of a refused grant, a threshold set and the disbursements export: each writes its
event, naming rows by id only (an audit row is in clear: SECURITY.md), never an amount, a
payee's details, a reference, a donor or a fund's name."""

from __future__ import annotations

import pytest

from safehaven.accounts.models import Organisation
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.finance.disbursements.sealing import PayeeDetails
from safehaven.finance.exports.actions import do_export_finance
from safehaven.finance.exports.csv_files import DISBURSEMENTS, Period
from safehaven.finance.funds.actions import do_set_grant_threshold
from safehaven.finance.grants.actions import do_refuse_grant, do_request_grant
from safehaven.finance.tests.helpers import (
    approved_grant,
    case_of,
    donate,
    finance_team,
    make_fund,
    officer,
    pay,
)

pytestmark = pytest.mark.django_db

FUND_NAME = "Sentinel-Fund-Larkspur appeal"
DONOR = "Sentinel-Donor-Quenby"
PAYEE = PayeeDetails(name="Sentinel-Payee-Harrowgate", account="SNTLACCT-20417")
REFERENCE = "SNTLREF-77031"
# Amounts no id or count here can look like.
GRANT_AMOUNT, PAID_AMOUNT, THRESHOLD = "4321.87", "1234.56", "98765"
NEVER_AUDITED = (
    FUND_NAME,
    DONOR,
    PAYEE.name,
    PAYEE.account,
    REFERENCE,
    GRANT_AMOUNT,
    PAID_AMOUNT,
    THRESHOLD,
)


@pytest.fixture
def fund(world):
    finance_team(world)
    fund = make_fund(world, "USD", name=FUND_NAME)
    donate(fund, "10000", donor=DONOR, keys=officer())
    return fund


def the_event(event_type: EventType) -> AuditEvent:
    [event] = AuditEvent.objects.filter(event_type=event_type)
    return event


def assert_ids_only(event: AuditEvent) -> None:
    written = " ".join([event.target_type, event.target_ref, event.detail])
    leaked = [value for value in NEVER_AUDITED if value in written]
    assert not leaked, f"{event.event_type} names {leaked}: {written!r}"


def test_it_audits_a_refused_grant_by_its_id_alone(world, fund):
    grant = do_request_grant(
        fund,
        category="airfare",
        amount=GRANT_AMOUNT,
        case=case_of(world),
        actor=world.users["supervisor"],
    )
    do_refuse_grant(grant, **officer())
    event = the_event(EventType.GRANT_REFUSED)
    assert (event.target_type, event.target_ref, event.detail) == ("grant", str(grant.pk), "")
    assert event.actor_id == world.users["finance"].pk
    assert event.organisation_id == world.organisation.pk
    assert_ids_only(event)


def test_it_audits_a_threshold_without_its_amount(world, fund):
    threshold = do_set_grant_threshold(
        world.organisation, currency_code="USD", amount=THRESHOLD, actor=world.users["finance"]
    )
    event = the_event(EventType.GRANT_THRESHOLD_SET)
    assert (event.target_type, event.target_ref, event.detail) == (
        "grantthreshold",
        str(threshold.pk),
        "",
    )
    assert event.actor_id == world.users["finance"].pk
    assert_ids_only(event)


def test_it_audits_the_disbursements_export_by_kind_and_count_alone(world, fund):
    grant = approved_grant(world, fund, GRANT_AMOUNT)
    pay(grant, PAID_AMOUNT, payee=PAYEE, reference=REFERENCE, keys=officer())
    organisations = Organisation.objects.filter(pk=world.organisation.pk)
    content = do_export_finance(
        DISBURSEMENTS, organisations, Period(), actor=world.users["finance"]
    ).decode()
    assert PAID_AMOUNT in content  # the row is there, its amount in clear for the accountant
    assert not [
        value for value in (DONOR, PAYEE.name, PAYEE.account, REFERENCE) if value in content
    ]
    event = the_event(EventType.FINANCE_EXPORTED)
    assert (event.target_type, event.target_ref) == ("export", "disbursements")
    assert event.detail == "disbursements, 1 rows"
    assert event.actor_id == world.users["finance"].pk
    assert_ids_only(event)
