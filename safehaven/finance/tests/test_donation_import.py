"""Importing donations from a CSV: every row checked, each bad row named with its line, nothing
saved unless every row is right, one audit event for the file, and a thousand rows in
seconds."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from safehaven.core.event_types import EventType
from safehaven.finance.donations.csv_import import MAX_ROWS, SAMPLE, ImportRefused, read_donations
from safehaven.finance.donations.import_actions import do_import_donations
from safehaven.finance.ledger.balances import fund_balance
from safehaven.finance.ledger.verify import verify_ledger
from safehaven.finance.models import Donation, JournalEntry
from safehaven.finance.records import open_finance_records
from safehaven.finance.tests.funds_helpers import events
from safehaven.finance.tests.helpers import finance_team, make_fund, officer
from safehaven.keys.tests.test_raw_storage import forms_found_in, raw_sqlite_bytes

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = (TODAY - datetime.timedelta(days=10)).isoformat()
HEADER = "received_on,amount,currency,rate,rate_on,donor_name\n"
DONOR = "Sentinel-Donor Perpetua Quist"


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(row + "\n" for row in rows)).encode()


def read(fund, data: bytes):
    return read_donations(fund, data, today=TODAY)


def problems_of(fund, data: bytes) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        read(fund, data)
    return [str(problem) for problem in refused.value.problems]


def imported(world, fund, data: bytes):
    return do_import_donations(fund, read(fund, data), **officer())


def test_it_imports_every_row_with_its_entry_and_one_event(world):
    finance_team(world)
    fund = make_fund(world, "USD", name="General")
    data = csv_bytes(
        f"{DAY},250.00,,,,{DONOR}",
        f"{DAY},40,,,,",
        f"{DAY},100.00,GBP,1.27,{DAY},",
        f"{DAY},5000,JPY,0.0067,{DAY},Kenji Example",
    )
    donations = imported(world, fund, data)
    assert [row.amount for row in donations] == [
        Decimal("250"),
        Decimal("40"),
        Decimal("127"),
        Decimal("33.5"),
    ]
    assert JournalEntry.objects.filter(donation__in=donations).count() == 4
    assert fund_balance(fund).donations == Decimal("450.50")
    assert verify_ledger() == []
    assert len(events(EventType.DONATIONS_IMPORTED)) == 1
    assert not events(EventType.DONATION_RECORDED)
    assert DONOR not in events(EventType.DONATIONS_IMPORTED)[0].detail
    opened = open_finance_records(world.organisation, **officer())
    assert opened is not None
    names = [row.open_with(opened).sealed("donor_name") for row in donations]
    assert names == [DONOR, "", "", "Kenji Example"]


def test_it_reads_the_documented_sample(world):
    fund = make_fund(world, "USD", name="General")
    rows = read_donations(fund, SAMPLE.encode(), today=datetime.date(2027, 12, 31))
    assert [row.line for row in rows] == [2, 3, 4]
    assert rows[2].conversion is not None
    assert rows[2].conversion.currency_code == "GBP"


def test_it_saves_nothing_when_one_row_is_bad_and_names_it(world):
    finance_team(world)
    fund = make_fund(world, "USD", name="General")
    data = csv_bytes(f"{DAY},10,,,,", f"{DAY},12.345,,,,", f"{DAY},30,,,,")
    assert problems_of(fund, data) == [
        "Line 3: USD amounts have at most 2 decimals: “12.345” has more."
    ]
    assert not Donation.objects.exists()
    assert not JournalEntry.objects.exists()


def test_it_names_each_bad_row_with_its_line(world):
    fund = make_fund(world, "JPY", name="Yen fund")
    data = csv_bytes(
        f"{DAY},1000,,,,",  # line 2
        "",  # line 3: blank, skipped but counted
        f"{DAY},100.5,,,,",  # line 4: JPY has no minor unit
        f'{DAY},200,,,,"A name over',  # line 5, a quoted name running onto line 6
        'two lines"',
        f"{DAY},300,XYZ,1.5,{DAY},",  # line 7: no such currency
        f"{DAY},300,USD,,,",  # line 8: no rate
        "yesterday,300,,,,",  # line 9
        "2999-01-01,300,,,,",  # line 10: after today
        f"{DAY},,,,,",  # line 11
        f"{DAY},1,2",  # line 12: too few fields
        f"{DAY},10,EUR,abc,{DAY},",  # line 13
        f"{DAY},10,,1.2,,",  # line 14: a rate for the fund's own currency
    )
    problems = problems_of(fund, data)
    lines = [problem.split(":")[0] for problem in problems]
    assert lines == [f"Line {n}" for n in (4, 7, 8, 9, 10, 11, 12, 13, 14)]
    assert "JPY amounts have at most 0 decimals" in problems[0]
    assert "“XYZ” is not a currency" in problems[1]
    assert "needs the rate" in problems[2]
    assert "not a day written YYYY-MM-DD" in problems[3]
    assert "after today" in problems[4]
    assert "amount is empty" in problems[5]
    assert "3 fields, but the header has 6" in problems[6]
    assert "is not an amount" in problems[7]
    assert "leave rate and rate_on empty" in problems[8]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "The file is empty."),
        (b"  \n\n", "The file is empty."),
        (HEADER.encode(), "The file has a header but no donations."),
        (b"\xff\xfe r\x00", "not UTF-8"),
        (b"received_on,amount,donor\n", "Line 1: Unknown column(s) donor"),
        (b"received_on,donor_name\n", "lacks the column(s) amount"),
        (b"amount,amount,received_on\n", "Column(s) amount given twice"),
        (b"received_on,amount\n" + b"x" * (1024 * 1024), "larger than 1 MB"),
    ],
)
def test_it_refuses_a_file_it_cannot_read(world, data, problem):
    fund = make_fund(world, "USD", name="General")
    assert any(problem in text for text in problems_of(fund, data))


def test_it_refuses_more_rows_than_it_takes(world):
    fund = make_fund(world, "USD", name="General")
    data = csv_bytes(*[f"{DAY},1,,,,"] * (MAX_ROWS + 1))
    assert problems_of(fund, data) == [f"The file has more than {MAX_ROWS} donations: split it."]


def test_it_reads_a_byte_order_mark_and_any_column_order(world):
    fund = make_fund(world, "USD", name="General")
    data = f"\ufeffDonor_Name,Amount,Received_On\nAna,5.50,{DAY}\n".encode()
    [row] = read(fund, data)
    assert (row.donor_name, row.amount) == ("Ana", "5.50")


def test_it_imports_a_thousand_rows_at_once(world):
    # How fast is for a benchmark to say, never a timed assertion (machine speed drifts).
    finance_team(world)
    fund = make_fund(world, "EUR", name="Appeal")
    data = csv_bytes(*[f"{DAY},{n}.25,,,,Donor {n}" for n in range(1, 1001)])
    imported(world, fund, data)
    assert Donation.objects.count() == 1000
    assert fund_balance(fund).donations == sum(Decimal(f"{n}.25") for n in range(1, 1001))


def test_it_refuses_an_import_by_someone_outside_finance(world):
    finance_team(world)
    fund = make_fund(world, "USD", name="General")
    rows = read(fund, csv_bytes(f"{DAY},10,,,,"))
    from safehaven.cases.exceptions import CaseActionRefused
    from safehaven.intake.tests.helpers import private_key

    with pytest.raises(CaseActionRefused, match="Only a finance officer"):
        do_import_donations(
            fund, rows, actor=world.users["caseworker"], private_key=private_key("caseworker")
        )
    assert not Donation.objects.exists()


@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_never_writes_an_imported_donor_in_clear(world):
    if connection.vendor != "sqlite":
        pytest.skip("this database is not SQLite")
    finance_team(world)
    fund = make_fund(world, "USD", name="Imported fund")
    imported(world, fund, csv_bytes(f"{DAY},10,,,,{DONOR}"))
    raw = raw_sqlite_bytes()
    assert b"Imported fund" in raw
    assert forms_found_in(raw, DONOR) == []
