"""Re-keying a case that has a travel compartment: every compartment gets a new key, the travel
rows open for the caseworker under it, and the old key opens nothing."""

import datetime

import pytest

from safehaven.cases.choices import CompartmentKind
from safehaven.cases.rekeying.actions import do_rekey_case
from safehaven.intake.tests.helpers import private_key
from safehaven.travel.compartment import open_travel
from safehaven.travel.documents.actions import do_add_travel_document
from safehaven.travel.models import TravelDocument
from safehaven.travel.tests.helpers import assigned_case, primary_person

pytestmark = pytest.mark.django_db

NUMBER = "SENTINEL-passport-4471"


def test_it_re_keys_every_compartment_of_a_case_that_has_travel_records(world):
    case = assigned_case(world)
    caseworker = world.users["caseworker"]
    do_add_travel_document(
        case,
        person=primary_person(case),
        kind="passport",
        issuing_country="RU",
        for_country="",
        number=NUMBER,
        valid_until=datetime.date(2031, 1, 1),
        actor=caseworker,
        private_key=private_key("caseworker"),
    )
    before = {c.kind: c.record_id for c in case.compartments.all()}
    do_rekey_case(case, actor=world.users["triage"], private_key=private_key("triage"))
    after = {c.kind: c.record_id for c in case.compartments.all()}
    assert set(after) == {CompartmentKind.CASEWORK, CompartmentKind.TRAVEL}
    assert all(after[kind] != before[kind] for kind in after)
    opened = open_travel(case, actor=caseworker, private_key=private_key("caseworker"))
    assert opened is not None
    assert opened.record_id == after[CompartmentKind.TRAVEL]
    document = TravelDocument.objects.get(case=case)
    assert document.record_id == opened.record_id
    details = document.open_with(opened).sealed("details")
    assert details is not None
    assert NUMBER in details
