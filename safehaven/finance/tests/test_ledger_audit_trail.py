"""The journal against the audit log (``finance/trail.py``): an entry number is never given
twice, however many other finance events came since; ``verify_ledger`` holds every entry to
the one event that posted it (ranges of an import too) and records one LEDGER_TAMPERED event
when something is wrong."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from safehaven.cases.exceptions import CaseActionRefused
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.finance.choices import EntryKind
from safehaven.finance.donations.csv_import import read_donations
from safehaven.finance.donations.import_actions import do_import_donations
from safehaven.finance.ledger.verify import verify_ledger
from safehaven.finance.models import Donation, JournalEntry
from safehaven.finance.tests.helpers import (
    approved_grant,
    donate,
    finance_team,
    make_fund,
    officer,
    pay,
)
from safehaven.finance.trail import newest_posted_entry, posted_detail, posted_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def fund(world):
    finance_team(world)
    fund = make_fund(world, "USD")
    donate(fund, "10000", keys=officer())
    return fund


def delete_rows(entry: JournalEntry, *source: tuple[str, int | None]) -> None:
    """What a database writer does: the entry, its lines and its source rows, in SQL."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM finance_journalline WHERE entry_id = %s", [entry.pk])
        cursor.execute("DELETE FROM finance_journalentry WHERE id = %s", [entry.pk])
        for table, pk in source:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [pk])  # noqa: S608


def views_of(world, fund, count: int) -> None:
    for _view in range(count):
        with transaction.atomic():
            record_event(
                EventType.FUND_STATEMENT_VIEWED,
                actor=world.users["finance"],
                organisation=world.organisation,
                target=fund,
                detail="since it began",
            )


def test_it_reads_the_entries_an_event_posted():
    assert posted_detail([7], "grant #3") == "posted entry 7, grant #3"
    assert posted_detail([10, 11, 12], "3 donations") == "posted entries 10-12, 3 donations"
    assert list(posted_in("posted entries 10-12, 3 donations")) == [10, 11, 12]
    assert list(posted_in("posted entry 7, reverses entry 5")) == [7]
    assert list(posted_in("entry 5 reversed by entry 7")) == []
    assert list(posted_in("")) == []


def test_it_never_reuses_the_number_of_the_last_entry_deleted(world, fund):
    grant = approved_grant(world, fund, "400")
    payment = pay(grant, "400", keys=officer())
    entry = JournalEntry.objects.get(kind=EntryKind.DISBURSEMENT, disbursement=payment)
    views_of(world, fund, 60)  # ordinary use: the payment's event is far from the newest
    delete_rows(entry, ("finance_disbursement", payment.pk))

    assert newest_posted_entry() == entry.sequence
    with pytest.raises(CaseActionRefused, match="verify_ledger"):
        pay(grant, "400", keys=officer())
    problems = [str(problem) for problem in verify_ledger()]
    assert f"entry {entry.sequence}: is named by audit event" in " ".join(problems)
    assert not JournalEntry.objects.filter(sequence=entry.sequence).exists()


def test_it_names_imported_donations_deleted_from_the_end(world, fund):
    data = (
        b"received_on,amount,donor_name\n"
        b"2027-03-01,250.00,Ana\n2027-03-02,300.00,Bo\n2027-03-03,400.00,Cy\n"
    )
    rows = read_donations(fund, data, today=datetime.date(2027, 4, 1))
    do_import_donations(fund, rows, **officer())
    imported = AuditEvent.objects.get(event_type=EventType.DONATIONS_IMPORTED)
    assert imported.detail == "posted entries 2-4, 3 donations"
    assert verify_ledger() == []
    for entry in JournalEntry.objects.order_by("-sequence")[:2]:
        delete_rows(entry, ("finance_donation", entry.donation_id))

    text = " ".join(str(problem) for problem in verify_ledger())
    assert f"entry 3: is named by audit event #{imported.pk} but missing" in text
    assert f"entry 4: is named by audit event #{imported.pk} but missing" in text
    with pytest.raises(CaseActionRefused, match="verify_ledger"):
        donate(fund, "1", keys=officer())


def test_it_names_an_entry_that_is_not_what_its_event_posted(world, fund):
    other = donate(fund, "5", keys=officer())
    first = JournalEntry.objects.get(sequence=1)
    # A database writer points the first donation's entry at the second donation.
    JournalEntry.objects.filter(pk=first.pk).update(donation=other)
    text = " ".join(str(problem) for problem in verify_ledger())
    assert "entry 1: is not what audit event #" in text


def test_it_names_an_entry_no_event_posted(world, fund):
    # An audit event cannot be removed (the audit chain refuses), so here the last entry is
    # renumbered past every event instead: no event posted entry 3, and entry 2 is gone.
    donate(fund, "5", keys=officer())
    JournalEntry.objects.filter(sequence=2).update(sequence=3)
    text = " ".join(str(problem) for problem in verify_ledger())
    assert "entry 3: is named by no audit event" in text
    assert "entry 2: is named by audit event" in text


def verify(*options: str) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_ledger", *options, stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def test_it_records_one_tamper_event_when_it_finds_tampering(world, fund):
    call_command("verify_ledger", stdout=io.StringIO())
    assert not AuditEvent.objects.filter(event_type=EventType.LEDGER_TAMPERED).exists()
    entry = JournalEntry.objects.get(sequence=1)
    delete_rows(entry, ("finance_donation", entry.donation_id))

    assert "entry 1" in verify()
    recorded = AuditEvent.objects.get(event_type=EventType.LEDGER_TAMPERED)
    assert recorded.actor_id is None
    assert recorded.detail.endswith("first at entry 1")
    assert "10000" not in recorded.detail  # ids only

    verify("--no-record")
    assert AuditEvent.objects.filter(event_type=EventType.LEDGER_TAMPERED).count() == 1
    assert Donation.objects.count() == 0
