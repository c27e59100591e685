"""Saving a row whose key was reloaded, or loaded late, never tags a key someone wrote into the
database meanwhile (follow-up review of issue 14, a latent bug of ``TaggedPublicKey``)."""

import pytest

from safehaven.core.crypto import new_key_pair
from safehaven.keys.models import UserKeyPair
from safehaven.keys.public_key_tags import tag_matches

pytestmark = pytest.mark.django_db


def write_forged_key(pair: UserKeyPair) -> bytes:
    forged = new_key_pair().public
    UserKeyPair.objects.filter(pk=pair.pk).update(public_key=forged)
    return forged


def test_it_does_not_tag_a_key_written_before_a_refresh(world):
    pair = UserKeyPair.objects.get(user=world.users["worker"])
    forged = write_forged_key(pair)
    pair.refresh_from_db()
    assert bytes(pair.public_key) == forged
    assert not pair.public_key_set_here()
    pair.save()
    assert not tag_matches(UserKeyPair.objects.get(pk=pair.pk))


def test_it_does_not_tag_a_key_loaded_after_it_was_deferred(world):
    pair = UserKeyPair.objects.defer("public_key").get(user=world.users["worker"])
    forged = write_forged_key(pair)
    assert bytes(pair.public_key) == forged  # loaded now, from the database
    assert not pair.public_key_set_here()
    pair.save()
    assert not tag_matches(UserKeyPair.objects.get(pk=pair.pk))


def test_it_does_not_count_a_deferred_key_as_set_here(world):
    pair = UserKeyPair.objects.defer("public_key").get(user=world.users["worker"])
    assert not pair.public_key_set_here()


def test_it_still_tags_a_key_that_code_sets_after_a_refresh(world):
    pair = UserKeyPair.objects.get(user=world.users["worker"])
    pair.refresh_from_db()
    pair.public_key = new_key_pair().public
    assert pair.public_key_set_here()
    pair.save(update_fields=["public_key"])
    assert tag_matches(UserKeyPair.objects.get(pk=pair.pk))
