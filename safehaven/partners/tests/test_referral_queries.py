"""A partner's list of its referrals: its own only (never another partner's), not erased,
newest first, each with the neutral status its list of referrals shows today."""

import pytest
from django.utils import timezone
from django.utils.translation import override

from safehaven.intake.choices import RequestStatus
from safehaven.intake.models import HelpRequest
from safehaven.partners.referrals.queries import neutral_status, referrals_of
from safehaven.partners.tests.referral_helpers import refer

pytestmark = pytest.mark.django_db


def test_it_lists_only_the_organisations_own_live_referrals_newest_first(world):
    first = refer(world, "partner_a")
    of_b = refer(world, "partner_b")
    second = refer(world, "partner_a")
    erased = refer(world, "partner_a")
    HelpRequest.objects.filter(pk=erased.pk).update(shredded_at=timezone.now())
    assert list(referrals_of(world.partner_a)) == [second, first]
    assert list(referrals_of(world.partner_b)) == [of_b]
    assert list(referrals_of(world.partner_b.pk)) == [of_b]
    assert list(referrals_of(world.organisation)) == []


def test_it_never_loads_a_sealed_column_nor_the_codename_hash_for_the_list(world):
    refer(world)
    (listed,) = referrals_of(world.partner_a)
    deferred = listed.get_deferred_fields()
    assert {"situation", "known_as", "contacts", "codename_hash"} <= deferred
    assert "status" not in deferred


def test_it_shows_the_same_neutral_words_as_the_referrals_list(world, staff_client):
    help_request = refer(world)
    HelpRequest.objects.filter(pk=help_request.pk).update(status=RequestStatus.WILL_CONTACT)
    (listed,) = referrals_of(world.partner_a)
    assert neutral_status(listed) == "We will contact the person"
    page = staff_client("partner_a").get("/en/staff/referrals/").content.decode()
    assert neutral_status(listed) in page
    with override("fr"):
        assert neutral_status(listed) == str(RequestStatus.WILL_CONTACT.label)
