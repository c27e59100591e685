"""The advocacy role sees counts, never identities: its pages open no record key (no path to
a case's casework), read no sealed column, and show no name, story, case id or link to a
case, even for a request whose cases are named in the annex."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehaven.advocacy.inclusions.actions import do_count_crisis_cases
from safehaven.advocacy.tests.helpers import (
    a_crisis,
    draft,
    government_consent,
    include,
    name,
    tagged,
    url,
)
from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.keys import records
from safehaven.travel.tests.helpers import assigned_case

pytestmark = pytest.mark.django_db
STORY = "Sentinel-Story Varnholt hid in a cellar"
NAME = "Sentinel-Name Isa Draskovar"
DOCUMENT = "SENTINEL-DOC-66120"
SEALED_TABLES = ('"keys_recordkey"', '"keys_recordkeywrap"', '"keys_teamkeywrap"')
OFFICER_PAGES = (
    "advocacy-show-request",
    "advocacy-edit-letter",
    "advocacy-print-letter",
    "advocacy-change-status",
)


@pytest.fixture
def named_batch(world):
    crisis = a_crisis(world)
    advocacy_request = draft(world, crisis=crisis)
    case = tagged(assigned_case(world, situation=STORY), crisis)
    government_consent(world, case)
    name(include(case, advocacy_request), full_name=NAME, document=DOCUMENT)
    tagged(assigned_case(world), crisis)
    do_count_crisis_cases(advocacy_request, actor=world.users["advocacy"])
    return advocacy_request, case


@pytest.fixture
def record_opens(monkeypatch):
    """Every opening of a record with someone's key, counted."""
    opened: list[object] = []
    real = records.open_record_with_holder

    def spy(record_id, holder):
        opened.append(record_id)
        return real(record_id, holder)

    monkeypatch.setattr(records, "open_record_with_holder", spy)
    return opened


def test_it_shows_the_officer_counts_and_never_opens_or_shows_a_case(
    world, named_batch, record_opens
):
    advocacy_request, _case = named_batch
    officer = staff_client_with_keys(world, "advocacy")
    addresses = ["/en/staff/advocacy/"] + [url(page, advocacy_request) for page in OFFICER_PAGES]
    with CaptureQueriesContext(connection) as queries:
        pages = {address: officer.get(address) for address in addresses}
    for address, response in pages.items():
        assert response.status_code == 200, address
        html = response.content.decode()
        for hidden in (STORY, NAME, DOCUMENT, "/staff/cases/", "Case #", "case #"):
            assert hidden not in html, (address, hidden)
    show = pages[url("advocacy-show-request", advocacy_request)].content.decode()
    assert '<dd id="advocacy-cases">2</dd>' in show
    assert '<dd id="advocacy-people">2</dd>' in show
    assert "1 person named by caseworkers" in show
    assert record_opens == []
    read = [query["sql"] for query in queries.captured_queries]
    assert not [sql for sql in read if any(table in sql for table in SEALED_TABLES)]
    assert not [sql for sql in read if '"details"' in sql or '"summary"' in sql]


def test_it_opens_records_on_a_key_holder_s_case_page_so_the_spy_means_something(
    world, named_batch, record_opens
):
    _advocacy_request, case = named_batch
    caseworker = staff_client_with_keys(world, "caseworker")
    with CaptureQueriesContext(connection) as queries:
        html = caseworker.get(reverse("cases-show-case", kwargs={"case_id": case.pk}))
    assert NAME in html.content.decode()
    assert record_opens
    assert any('"keys_recordkeywrap"' in query["sql"] for query in queries.captured_queries)


def test_it_never_gives_the_officer_the_named_print(world, named_batch, record_opens):
    advocacy_request, _case = named_batch
    officer = staff_client_with_keys(world, "advocacy")
    response = officer.get(url("advocacy-print-named-letter", advocacy_request))
    assert response.status_code == 403
    assert NAME not in response.content.decode()
    assert record_opens == []
