"""A journal entry's page and its reversal (finance.corrections): the lines, the confirmation
asked for, the reversal shown once posted, the action's refusals on the form."""

from __future__ import annotations

from decimal import Decimal

import pytest

from safehaven.finance.choices import EntryKind
from safehaven.finance.ledger.balances import grant_position
from safehaven.finance.models import JournalEntry
from safehaven.finance.tests.grant_view_helpers import (
    browser,
    entry_url,
    funded,
    grant_url,
    page,
    said,
)
from safehaven.finance.tests.helpers import approved_grant, officer, pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(world):
    grant = approved_grant(world, funded(world, "1000"), "300")
    pay(grant, "120", keys=officer())
    return grant


def entry_of(kind: EntryKind) -> JournalEntry:
    return JournalEntry.objects.get(kind=kind)


def test_it_shows_an_entry_with_its_debits_and_credits(world, paid):
    entry = entry_of(EntryKind.DISBURSEMENT)
    html = page(browser(world, "finance"), entry_url(entry))
    assert f"Journal entry {entry.sequence}" in html
    lines = html.split('id="entry-lines"')[1].split("</table>")[0]
    assert lines.count("$120.00") == 2  # a debit and a credit
    assert "Grants payable" in lines
    assert "Fund cash" in lines
    assert entry_url(entry, "finance-reverse-entry") in html
    grant_page = page(browser(world, "finance2"), grant_url("finance-show-grant", paid))
    assert entry_url(entry) in grant_page


def test_it_reverses_a_payment_once_the_box_is_ticked_and_shows_the_reversal(world, paid):
    entry = entry_of(EntryKind.DISBURSEMENT)
    client = browser(world, "finance")
    url = entry_url(entry, "finance-reverse-entry")

    unticked = client.post(url, {})

    assert unticked.status_code == 200
    assert "Tick the box to confirm that this entry is wrong." in unticked.content.decode()
    assert not JournalEntry.objects.filter(kind=EntryKind.REVERSAL).exists()

    response = client.post(url, {"confirm": "on"})

    reversal = JournalEntry.objects.get(kind=EntryKind.REVERSAL)
    assert response.status_code == 302
    assert response["Location"] == entry_url(reversal)
    assert said(response) == [f"Entry {entry.sequence} reversed by entry {reversal.sequence}."]
    html = page(client, entry_url(reversal))
    assert entry_url(entry) in html.split('id="entry-reverses"')[1]
    assert entry_url(reversal, "finance-reverse-entry") not in html  # never reversed again
    assert entry_url(reversal) in page(client, entry_url(entry)).split('id="entry-reversed-by"')[1]
    assert grant_position(paid).remaining == Decimal("300.00")
    grant_page = page(client, grant_url("finance-show-grant", paid))
    assert "Reversed" in grant_page.split('id="payments"')[1]
    assert 'id="grant-remaining">$300.00' in grant_page


def test_it_shows_the_actions_refusal_on_the_form(world, paid):
    approval = entry_of(EntryKind.GRANT_APPROVAL)
    client = browser(world, "finance")

    response = client.post(entry_url(approval, "finance-reverse-entry"), {"confirm": "on"})

    assert response.status_code == 200
    assert "Part of this grant has been paid: reverse its payments first." in (
        response.content.decode()
    )
    assert not JournalEntry.objects.filter(kind=EntryKind.REVERSAL).exists()


def test_it_shows_entries_to_finance_officers_only(world, paid):
    entry = entry_of(EntryKind.DISBURSEMENT)
    for username in ("caseworker", "supervisor", "admin"):
        client = browser(world, username)
        assert client.get(entry_url(entry)).status_code == 403
        posted = client.post(entry_url(entry, "finance-reverse-entry"), {"confirm": "on"})
        assert posted.status_code == 403
    assert browser(world, "finance").get("/en/staff/finance/entries/999999/").status_code == 404
    assert not JournalEntry.objects.filter(kind=EntryKind.REVERSAL).exists()
