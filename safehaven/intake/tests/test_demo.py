"""The demo's help requests: made through the real action; each user opens what is theirs."""

import re

import pytest

from safehaven.accounts.models import Organisation
from safehaven.intake.demo import DEMO_DRAFTS, describe_demo_requests
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import SHOW_STATUS_URL, requester_client
from safehaven.keys.records import open_record_with_codename

pytestmark = pytest.mark.django_db


def test_it_creates_demo_requests_once_and_proves_who_opens_them(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    lines = describe_demo_requests("http://localhost:8000")
    text = "\n".join(lines)
    assert HelpRequest.objects.count() == len(DEMO_DRAFTS) == 6
    assert "DEMO-EAST-2026" in text
    assert "DEMO-SOUTH-2026" in text
    opens = dict(re.findall(r"^  (\w+) +opens (\d+)  \(as granted\)$", text, re.MULTILINE))
    assert "MISMATCH" not in text
    assert opens == {
        "admin": "0",
        "triage": "6",
        "caseworker": "1",
        "supervisor": "6",
        "finance": "0",
        "advocacy": "0",
        "interpreter": "0",
        "admin2": "0",
        "partner_a": "3",
        "partner_b": "1",
    }
    codenames = (tmp_path / "demo-codenames.txt").read_text().split("\n")[:6]
    assert codenames[0] in text
    first, *_others, last = HelpRequest.objects.order_by("pk")
    assert open_record_with_codename(first.record_id, codenames[0])
    page = requester_client(codenames[0]).get(SHOW_STATUS_URL)
    assert "Signal" in page.content.decode()  # the triage reply waiting for the visitor
    assert first.referred_by == Organisation.objects.get(name="Rainbow Network East")
    assert last.referred_by is None  # an unknown code counts as none

    again = describe_demo_requests("http://localhost:8000")
    assert HelpRequest.objects.count() == 6
    assert codenames[0] in "\n".join(again)
