"""A key pair row put back from before a password change is caught at the person's next login
and suspended, so nothing more is wrapped to it (follow-up review of issue 14, finding 4)."""

import pytest
from django.conf import settings
from django.contrib.auth import authenticate

from safehaven.accounts.actions import do_reset_password
from safehaven.core.crypto import new_key_pair, protect_with_password, unprotect_with_password
from safehaven.keys.actions.teams import do_add_team_member_key, do_rotate_team_key
from safehaven.keys.actions.users import do_replace_user_keys
from safehaven.keys.keyring import UserHolder
from safehaven.keys.login_key import UNLOCKED_ATTRIBUTE
from safehaven.keys.models import TeamKey, TeamKeyWrap, UserKeyPair
from safehaven.keys.public_key_tags import record_pending_alarms
from safehaven.keys.tests.helpers import PASSWORD, request_with_session
from safehaven.keys.tests.tampering import tamper_alarms

pytestmark = pytest.mark.django_db

OWN_PASSWORD = "the person's own new password 55"


def log_in(user, password: str):
    request = request_with_session()
    assert authenticate(request, email=user.email, password=password) == user
    record_pending_alarms()  # as at the end of the request
    return request


def test_it_suspends_a_key_pair_row_put_back_from_before_a_password_change(world):
    # The reviewer's proof of concept: the administrator saw the temporary password of a
    # reset; a database writer copied the key pair row it protected and puts it back after
    # the person chose their own password and got a fresh key pair.
    worker = world.users["worker"]
    temporary = do_reset_password(user=worker, actor=world.admins[0])
    old = UserKeyPair.objects.get(user=worker)
    old_row = (bytes(old.public_key), bytes(old.public_key_tag), bytes(old.protected_private_key))
    # What the password change form does after a reset (accounts/forms_keys.py).
    worker.set_password(OWN_PASSWORD)
    worker.must_change_password = False
    worker.save(update_fields=["password", "must_change_password"])
    do_replace_user_keys(worker, OWN_PASSWORD, actor=worker)
    do_add_team_member_key(
        world.casework, worker, world.key("worker2"), actor=world.users["worker2"]
    )
    UserKeyPair.objects.filter(user=worker).update(
        public_key=old_row[0], public_key_tag=old_row[1], protected_private_key=old_row[2]
    )
    request = log_in(worker, OWN_PASSWORD)

    pair = UserKeyPair.objects.get(user=worker)
    assert pair.suspended_at is not None
    assert not hasattr(request, UNLOCKED_ATTRIBUTE)
    assert tamper_alarms() == [("userkeypair", str(pair.pk))]
    do_rotate_team_key(world.casework, None, actor=world.admins[0])  # any later rotation
    rotated = TeamKey.objects.get(team=world.casework, active=True)
    assert not TeamKeyWrap.objects.filter(team_key=rotated, user=worker, suspended=False).exists()
    admins_copy = unprotect_with_password(old_row[2], temporary)
    with pytest.raises(Exception, match="cannot be opened"):
        UserHolder(worker, admins_copy)


def test_it_suspends_a_key_pair_whose_private_key_is_not_the_stored_public_keys(world):
    worker = world.users["worker"]
    stranger = new_key_pair()
    UserKeyPair.objects.filter(user=worker).update(
        protected_private_key=protect_with_password(
            stranger.private, PASSWORD, settings.KEY_ARGON2_PARAMS
        )
    )
    request = log_in(worker, PASSWORD)
    pair = UserKeyPair.objects.get(user=worker)
    assert pair.suspended_at is not None
    assert not hasattr(request, UNLOCKED_ATTRIBUTE)
    assert tamper_alarms() == [("userkeypair", str(pair.pk))]


def test_it_unlocks_and_suspends_nothing_on_an_ordinary_login(world):
    worker = world.users["worker"]
    request = log_in(worker, PASSWORD)
    assert UserKeyPair.objects.get(user=worker).suspended_at is None
    assert getattr(request, UNLOCKED_ATTRIBUTE) == (worker.pk, world.key("worker"))
    assert not tamper_alarms()
