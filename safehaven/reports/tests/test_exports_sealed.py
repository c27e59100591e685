"""What never leaves in a figures file: nothing sealed of a real request or case (planted
sentinels, every breakdown and format), and nothing real at all in a duress session (the file
counts nothing, as the finance exports do)."""

from __future__ import annotations

import datetime

import pytest

from safehaven.cases.tests.helpers import open_case
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import submit_request
from safehaven.keys.actions.duress import do_set_duress_password
from safehaven.reports.exports.csv_files import BREAKDOWNS
from safehaven.reports.models import CaseFigures
from safehaven.reports.tests.dashboard_helpers import add_case
from safehaven.reports.tests.exports_helpers import (
    EXPORT_URL,
    exported_events,
    file_rows,
    logged_in,
    reauthenticated,
)
from safehaven.reports.tests.figures_helpers import add_requests

pytestmark = pytest.mark.django_db

SITUATION = "Sentinel-Situation quillwort harbour seven"
CONTACT = "+7 912 345-67-89"
DURESS = "my other phrase 5521 of nothing"
MARCH_2020 = datetime.date(2020, 3, 1)


def test_no_sealed_value_of_a_real_request_or_case_reaches_the_file(world):
    case = open_case(world, situation=SITUATION, contact_signal=CONTACT)
    for _n in range(5):
        submit_request(situation=SITUATION, contact_signal=CONTACT)
    # Into a finished year, so that the file counts them (a current year stops at its last quarter).
    HelpRequest.objects.update(received_month=MARCH_2020)
    add_requests(20, received=MARCH_2020, country="IR")
    CaseFigures.objects.filter(case_id=case.pk).update(received_month=MARCH_2020)
    client = reauthenticated(world, "triage")
    for breakdown in BREAKDOWNS:
        for file_format in ("csv", "hxl"):
            posted = {"first_year": "2020", "breakdown": breakdown, "file_format": file_format}
            rows = file_rows(client.post(EXPORT_URL, posted))
            text = "\n".join(",".join(row) for row in rows)
            for secret in (SITUATION, "quillwort", CONTACT, "345-67-89"):
                assert secret not in text
            if breakdown == "country":  # the six real requests are counted
                assert rows[-1][2:4] == ["Total", "26"]
    assert len(exported_events()) == len(BREAKDOWNS) * 2


def test_a_duress_session_exports_nothing_real(world):
    triage = world.users["triage"]
    do_set_duress_password(triage, DURESS, actor=triage)
    add_requests(30, received=datetime.date(2019, 2, 1))
    add_case(
        world, received=datetime.date(2019, 2, 1), verified=datetime.date(2019, 4, 1), people=7
    )
    client = reauthenticated(world, "triage", DURESS, client=logged_in(world, "triage", DURESS))
    posted = {"first_year": "2019", "breakdown": "country", "file_format": "csv"}
    rows = file_rows(client.post(EXPORT_URL, posted))
    assert rows[1:] == [["2019", "", "Total", "", "", "", ""]]
