"""The demo's advocacy: a crisis batch with its letter and one person named, and a granted
request, made by the real actions; the advocacy officer sees counts, the caseworker's own key
prints the named person."""

import pytest

from safehaven.accounts.demo import demo_password
from safehaven.advocacy.choices import AdvocacyStatus
from safehaven.advocacy.demo import describe_demo_advocacy
from safehaven.advocacy.letters.actions import do_open_named_letter
from safehaven.advocacy.models import AdvocacyRequest
from safehaven.advocacy.requests.counts import request_counts
from safehaven.cases.demo.steps import describe_demo_cases
from safehaven.core.crypto import unprotect_with_password
from safehaven.intake.demo import describe_demo_requests
from safehaven.keys.models import UserKeyPair
from safehaven.travel.demo import describe_demo_travel

pytestmark = pytest.mark.django_db

BASE = "http://localhost:8000"


def test_it_adds_advocacy_the_caseworker_prints_and_the_officer_counts(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    describe_demo_requests(BASE)
    describe_demo_cases(BASE)
    describe_demo_travel(BASE)
    text = "\n".join(describe_demo_advocacy(BASE))
    assert "Advocacy: requests to governments Drafted: 1, Granted: 1." in text
    batch = AdvocacyRequest.objects.get(status=AdvocacyStatus.DRAFTED)
    counts = request_counts(batch)
    assert (counts.cases, counts.people, counts.named) == (3, 4, 1)
    assert "Urgent protection" in batch.letter_text
    granted = AdvocacyRequest.objects.get(status=AdvocacyStatus.GRANTED)
    assert granted.people_granted == 1
    pair = UserKeyPair.objects.select_related("user").get(user__username="caseworker")
    key = unprotect_with_password(bytes(pair.protected_private_key), demo_password("caseworker"))
    annex = do_open_named_letter(batch, actor=pair.user, private_key=key)
    names = [item.details.name for item in annex.households[0].people if item.details]
    assert (len(annex.households), names) == (1, ["Chidi Okonkwo-Demo"])
    describe_demo_advocacy(BASE)
    assert AdvocacyRequest.objects.count() == 2
