"""Only usable administrators count towards the two escrow holders that must remain."""

import pytest
from django.utils import timezone

from safehaven.keys.actions.escrow import escrow_holder_count_without
from safehaven.keys.models import UserKeyPair

pytestmark = pytest.mark.django_db


def test_it_does_not_count_a_holder_whose_keys_are_suspended(world):
    first, second, _third = world.admins
    assert escrow_holder_count_without(first) == 2
    UserKeyPair.objects.filter(user=second).update(suspended_at=timezone.now())
    assert escrow_holder_count_without(first) == 1


def test_it_does_not_count_a_deactivated_holder(world):
    first, second, _third = world.admins
    second.is_active = False
    second.save(update_fields=["is_active"])
    assert escrow_holder_count_without(first) == 1
