"""Exports for the accountant: both factors asked again before every export (a session with
only one fresh is sent to the missing one), the CSV of grants or disbursements in clear facts
only (no donor, payee, reference or staff name), audited; a changed journal exports nothing."""

import csv
import io

import pytest

from safehaven.core.event_types import EventType
from safehaven.finance.corrections.actions import do_reverse_entry
from safehaven.finance.disbursements.actions import do_confirm_disbursement
from safehaven.finance.disbursements.sealing import PayeeDetails
from safehaven.finance.models import Fund, Grant, JournalEntry
from safehaven.finance.tests.funds_helpers import events, mark_fresh
from safehaven.finance.tests.helpers import (
    DAY,
    approved_grant,
    donate,
    finance_team,
    make_fund,
    officer,
    pay,
)

pytestmark = pytest.mark.django_db

EXPORT = "/en/staff/finance/exports/"
DONOR = "Sentinel-Donor Amaranth Yell"
PAYEE = "Sentinel-Payee Corvin Dask"
ACCOUNT = "Sentinel-Account DE89370400440532013000"
REFERENCE = "Sentinel-Reference ZZ-8812"
SECRETS = (DONOR, PAYEE, ACCOUNT, REFERENCE, "supervisor", "finance2")


def money(world):
    finance_team(world)
    keys = officer()
    fund = make_fund(world, "EUR", name="=HYPERLINK(evil)")
    donate(fund, "1000", donor=DONOR, keys=keys)
    grant = approved_grant(world, fund, "400")
    paid = pay(
        grant,
        "20000",
        currency_code="RUB",
        rate="0.0105",
        payee=PayeeDetails(name=PAYEE, account=ACCOUNT),
        reference=REFERENCE,
        keys=keys,
    )
    do_confirm_disbursement(paid, **officer("finance2"))  # its rate checked by another
    second = pay(grant, "50", payee=PayeeDetails(name=PAYEE), reference=REFERENCE, keys=keys)
    do_reverse_entry(JournalEntry.objects.get(disbursement=second), **officer("finance"))
    return fund, grant, paid, second


def fresh_client(staff_client, world, *methods):
    client = staff_client("finance", reauthenticated=False)
    mark_fresh(client, world.users["finance"], *methods)
    return client


def rows_of(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    text = response.content.decode("utf-8-sig")
    for secret in SECRETS:
        assert secret not in text, secret
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize(
    ("fresh", "sent_to"),
    [
        ((), "/accounts/reauthenticate/"),
        (("mfa",), "/accounts/reauthenticate/"),
        (("password",), "/accounts/2fa/reauthenticate/"),
    ],
)
def test_it_asks_for_both_factors_again(world, staff_client, fresh, sent_to):
    money(world)
    client = fresh_client(staff_client, world, *fresh)
    for response in (client.get(EXPORT), client.post(EXPORT, {"kind": "grants"})):
        assert response.status_code == 302
        assert sent_to in response["Location"]
        assert "next=%2Fen%2Fstaff%2Ffinance%2Fexports%2F" in response["Location"]
    assert not events(EventType.FINANCE_EXPORTED)


def test_it_exports_grants_in_clear_facts_only(world, staff_client):
    _fund, grant, _paid, _second = money(world)
    client = fresh_client(staff_client, world, "password", "mfa")
    assert "Download the CSV" in client.get(EXPORT).content.decode()
    response = client.post(EXPORT, {"kind": "grants"})
    [row] = rows_of(response)
    assert row["grant"] == str(grant.pk)
    assert row["fund_name"] == "'=HYPERLINK(evil)"  # never a formula in a spreadsheet
    assert row["case"] == str(grant.case_id)
    assert (row["currency"], row["amount"], row["state"]) == ("EUR", "400.00", "approved")
    assert (row["approved"], row["paid"], row["remaining"]) == ("400.00", "210.00", "190.00")
    assert "no-store" in response["Cache-Control"]
    [event] = events(EventType.FINANCE_EXPORTED)
    assert event.detail == "grants, 1 rows"
    assert event.actor_id == world.users["finance"].pk


def test_it_exports_disbursements_with_their_rates(world, staff_client):
    _fund, grant, paid, second = money(world)
    client = fresh_client(staff_client, world, "password", "mfa")
    rows = {
        row["disbursement"]: row for row in rows_of(client.post(EXPORT, {"kind": "disbursements"}))
    }
    first = rows[str(paid.pk)]
    assert (first["amount_paid"], first["currency_paid"], first["rate"]) == (
        "20000.00",
        "RUB",
        "0.0105",
    )
    assert (first["amount"], first["grant_currency"]) == ("210.00", "EUR")
    assert (first["confirmed"], first["reversed"]) == ("yes", "no")
    assert rows[str(second.pk)]["reversed"] == "yes"
    assert first["grant"] == str(grant.pk)
    assert "payee" not in first
    assert "reference" not in first


def test_it_exports_only_the_days_asked_for(world, staff_client):
    money(world)
    client = fresh_client(staff_client, world, "password", "mfa")
    after = DAY.replace(year=DAY.year + 1).isoformat()
    posted = {"kind": "disbursements", "starts_on": after}
    assert rows_of(client.post(EXPORT, posted)) == []
    posted = {"kind": "disbursements", "starts_on": after, "ends_on": DAY.isoformat()}
    assert "The last day comes before the first." in client.post(EXPORT, posted).content.decode()


def test_it_exports_nothing_from_a_changed_grant(world, staff_client):
    _fund, grant, _paid, _second = money(world)
    Grant.objects.filter(pk=grant.pk).update(amount="4000")  # a database writer
    client = fresh_client(staff_client, world, "password", "mfa")
    response = client.post(EXPORT, {"kind": "grants"})
    assert response.status_code == 200
    assert "does not match its check" in response.content.decode()
    assert not events(EventType.FINANCE_EXPORTED)


def test_it_exports_nothing_from_a_loosened_fund(world, staff_client):
    fund, _grant, _paid, _second = money(world)
    Fund.objects.filter(pk=fund.pk).update(allows_overdraft=True)
    client = fresh_client(staff_client, world, "password", "mfa")
    assert "does not match its check" in client.post(EXPORT, {"kind": "grants"}).content.decode()


@pytest.mark.parametrize("username", ["caseworker", "supervisor", "admin", "partner_a"])
def test_it_is_for_finance_only(world, staff_client, username):
    client = staff_client(username, reauthenticated=False)
    mark_fresh(client, world.users[username], "password", "mfa")
    assert client.get(EXPORT).status_code == 403
    assert client.post(EXPORT, {"kind": "grants"}).status_code == 403
    assert not events(EventType.FINANCE_EXPORTED)
