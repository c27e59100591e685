"""``manage.py verify_ledger``: exit 0 on a whole ledger; exit 1 naming the entry or row when a
database writer changed, deleted or inserted anything."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError

from safehaven.finance.choices import Account, EntryKind
from safehaven.finance.models import Donation, Fund, Grant, JournalEntry, JournalLine
from safehaven.finance.tests.helpers import (
    approved_grant,
    donate,
    finance_team,
    make_fund,
    officer,
    pay,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(world):
    finance_team(world)
    keys = officer()
    fund = make_fund(world, "USD")
    donate(fund, "100", keys=keys)  # entry 1
    grant = approved_grant(world, fund, "60")  # entry 2
    pay(grant, "20", keys=keys)  # entry 3
    donate(fund, "5", keys=keys)  # entry 4
    return fund, grant


def verify() -> tuple[int, str]:
    """Run the command as the shell would: its exit status and what it wrote to stderr."""
    err = io.StringIO()
    try:
        call_command("verify_ledger", stdout=io.StringIO(), stderr=err)
    except CommandError as error:
        return 1, err.getvalue() + str(error)
    return 0, err.getvalue()


def test_it_passes_a_whole_ledger(ledger):
    out = io.StringIO()
    call_command("verify_ledger", stdout=out)
    assert out.getvalue().strip() == "Ledger verified: 4 entries, each balanced and in its chain."


def test_it_exits_one_from_the_shell(ledger):
    JournalLine.objects.filter(entry__sequence=2, account=Account.GRANTS).update(amount="61")
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "verify_ledger"])
    assert exited.value.code == 1


def test_it_names_an_entry_that_does_not_balance(ledger):
    JournalLine.objects.filter(entry__sequence=2, account=Account.GRANTS).update(amount="61")
    status, text = verify()
    assert status == 1
    assert "entry 2: does not balance in USD (+1.000)" in text
    assert "entry 2: does not match its tag" in text


def test_it_names_an_entry_changed_in_balance(ledger):
    JournalLine.objects.filter(entry__sequence=1, account=Account.FUND_CASH).update(amount="1000")
    JournalLine.objects.filter(entry__sequence=1, account=Account.DONATIONS).update(amount="-1000")
    status, text = verify()
    assert status == 1
    assert "entry 1: does not match its tag" in text
    assert "balance" not in text.split("entry 1: does not match its tag")[0]


def test_it_names_a_gap_where_an_entry_was_deleted(ledger):
    entry = JournalEntry.objects.get(sequence=2)
    JournalEntry.objects.filter(reverses=entry).delete()
    JournalLine.objects.filter(entry=entry).delete()
    JournalEntry.objects.filter(pk=entry.pk).delete()
    status, text = verify()
    assert status == 1
    assert "entry 3: entries 2 to 2 are missing" in text
    assert "grant #" in text  # approved, but its approval entry is gone


def test_it_names_the_newest_entry_deleted(ledger):
    entry = JournalEntry.objects.get(sequence=4)
    donation = entry.donation
    assert donation is not None
    JournalLine.objects.filter(entry=entry).delete()
    JournalEntry.objects.filter(pk=entry.pk).delete()
    Donation.objects.filter(pk=donation.pk).delete()
    status, text = verify()
    assert status == 1
    assert "entry 4: is named by audit event" in text


def test_it_names_rows_changed_around_the_application(ledger):
    fund, grant = ledger
    Grant.objects.filter(pk=grant.pk).update(amount=Decimal("90"))
    Fund.objects.filter(pk=fund.pk).update(allows_overdraft=True)
    status, text = verify()
    assert status == 1
    assert f"grant #{grant.pk}: does not match its tag" in text
    assert f"grant #{grant.pk}: is approved but its approval entry is missing or differs" in text
    assert f"fund #{fund.pk}: does not match its tag" in text


def test_it_names_an_entry_inserted_around_the_application(ledger):
    fund, _grant = ledger
    last = JournalEntry.objects.get(sequence=4)
    forged = JournalEntry.objects.create(
        sequence=5,
        organisation=fund.organisation,
        kind=EntryKind.DONATION,
        fund=fund,
        donation=last.donation,
        posted_on=last.posted_on,
        posted_by=last.posted_by,
        posted_at=last.posted_at,
        previous_tag=last.tag,
        tag=b"\0" * 32,
    )
    JournalLine.objects.create(
        entry=forged, account=Account.FUND_CASH, fund=fund, currency="USD", amount=7
    )
    JournalLine.objects.create(
        entry=forged, account=Account.DONATIONS, fund=fund, currency="USD", amount=-7
    )
    status, text = verify()
    assert status == 1
    assert "entry 5: does not match its tag" in text


def test_it_explains_itself_in_help(capsys):
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "verify_ledger", "--help"])
    assert exited.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "every journal entry balances in each currency" in text
    assert "exits with status 1" in text


def test_it_refuses_to_post_after_the_newest_entry_was_changed(world, ledger):
    from safehaven.cases.exceptions import CaseActionRefused

    fund, _grant = ledger
    JournalLine.objects.filter(entry__sequence=4, account=Account.FUND_CASH).update(amount="500")
    JournalLine.objects.filter(entry__sequence=4, account=Account.DONATIONS).update(amount="-500")
    with pytest.raises(CaseActionRefused, match="verify_ledger"):
        donate(fund, "1", keys=officer())
    assert JournalEntry.objects.count() == 4


def test_it_refuses_to_post_after_the_newest_entries_were_deleted(world, ledger):
    from safehaven.cases.exceptions import CaseActionRefused

    _fund, grant = ledger
    entry = JournalEntry.objects.get(sequence=4)
    donation = entry.donation
    assert donation is not None
    JournalLine.objects.filter(entry=entry).delete()
    JournalEntry.objects.filter(pk=entry.pk).delete()
    Donation.objects.filter(pk=donation.pk).delete()
    with pytest.raises(CaseActionRefused, match="verify_ledger"):
        pay(grant, "1", keys=officer())
