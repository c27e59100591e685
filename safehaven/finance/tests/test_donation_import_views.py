"""The import page: the columns and a sample shown, a good file imported, a bad one refused
whole with each problem named by its line, an empty or huge file refused."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from safehaven.core.event_types import EventType
from safehaven.finance.models import Donation
from safehaven.finance.tests.funds_helpers import events, fund_url, officer_client, page
from safehaven.finance.tests.helpers import make_fund

pytestmark = pytest.mark.django_db

DAY = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
HEADER = "received_on,amount,currency,rate,rate_on,donor_name\n"


def upload(client, fund, content: bytes):
    csv_file = SimpleUploadedFile("gifts.csv", content, content_type="text/csv")
    return client.post(fund_url("finance-import-donations", fund), {"file": csv_file})


def test_it_shows_the_columns_and_a_sample(world):
    fund = make_fund(world, "USD", name="General")
    html = page(officer_client(world).get(fund_url("finance-import-donations", fund)))
    for column in ("received_on", "amount", "currency", "rate", "rate_on", "donor_name"):
        assert f"<code>{column}</code>" in html
    assert "2027-03-04,100.00,GBP,1.27,2027-03-04," in html


def test_it_imports_a_good_file(world):
    fund = make_fund(world, "USD", name="General")
    client = officer_client(world)
    content = (HEADER + f"{DAY},10.00,,,,Ana\n{DAY},20,EUR,1.1,{DAY},\n").encode()
    response = upload(client, fund, content)
    assert response.status_code == 302
    assert response["Location"] == fund_url("finance-list-donations", fund)
    assert Donation.objects.count() == 2
    assert "2 donations imported." in page(client.get(response["Location"]))
    assert len(events(EventType.DONATIONS_IMPORTED)) == 1


def test_it_refuses_the_whole_file_for_one_bad_row(world):
    fund = make_fund(world, "USD", name="General")
    client = officer_client(world)
    content = (HEADER + f"{DAY},10,,,,\n{DAY},10,ZZZ,1,{DAY},\n{DAY},1.999,,,,\n").encode()
    html = page(upload(client, fund, content))
    assert "Nothing was imported" in html
    assert "Line 3: “ZZZ” is not a currency" in html
    assert "Line 4: USD amounts have at most 2 decimals" in html
    assert "Line 2" not in html
    assert not Donation.objects.exists()
    assert not events(EventType.DONATIONS_IMPORTED)


def test_it_refuses_an_empty_file(world):
    fund = make_fund(world, "USD", name="General")
    html = page(upload(officer_client(world), fund, b""))
    assert "The submitted file is empty." in html
    assert not Donation.objects.exists()


def test_it_refuses_a_huge_file_unread(world):
    fund = make_fund(world, "USD", name="General")
    content = (HEADER + f"{DAY},10,,,,\n" * 60_000).encode()
    assert len(content) > 1024 * 1024
    html = page(upload(officer_client(world), fund, content))
    assert "The file is larger than 1 MB" in html
    assert not Donation.objects.exists()


def test_it_refuses_an_import_for_a_caseworker(world, staff_client):
    fund = make_fund(world, "USD", name="General")
    response = upload(staff_client("caseworker"), fund, (HEADER + f"{DAY},10,,,,\n").encode())
    assert response.status_code == 403
    assert not Donation.objects.exists()
