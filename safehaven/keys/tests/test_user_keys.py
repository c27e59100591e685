"""User key pairs: creation, password change, administrator reset, and what a leak opens."""

import uuid

import pytest
from django.conf import settings

from safehaven.core.crypto import (
    KEY_SIZE,
    SealError,
    decrypt_with_key,
    derive_key,
    password_blob_params,
    unwrap_key,
)
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.keys.actions.records import do_grant_record
from safehaven.keys.actions.users import (
    do_create_user_keys,
    do_replace_user_keys,
    do_rewrap_user_key,
)
from safehaven.keys.exceptions import KeyActionRefused, RecordUnavailable
from safehaven.keys.models import EscrowShare, RecordKeyWrap, TeamKeyWrap, UserKeyPair
from safehaven.keys.records import can_open, new_record_key, open_record
from safehaven.keys.tests.helpers import PASSWORD, private_key_of

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "another long password 9130"


def test_it_protects_the_private_key_with_the_configured_argon2_cost(world):
    pair = UserKeyPair.objects.get(user=world.users["worker"])
    assert password_blob_params(bytes(pair.protected_private_key)) == settings.KEY_ARGON2_PARAMS
    assert len(private_key_of(world.users["worker"])) == KEY_SIZE
    with pytest.raises(SealError):
        private_key_of(world.users["worker"], password="not the password at all")
    assert AuditEvent.objects.filter(
        event_type=EventType.USER_KEYS_CREATED, target_ref=str(world.users["worker"].pk)
    ).exists()


def test_it_refuses_to_create_a_second_key_pair(world):
    with pytest.raises(KeyActionRefused, match="already has a key pair"):
        do_create_user_keys(world.users["worker"], PASSWORD, actor=None)


def test_it_keeps_access_after_a_password_change(world):
    worker = world.users["worker"]
    record_id = uuid.uuid4()
    new_record_key(record_id, readers=[worker, world.casework])
    do_rewrap_user_key(worker, world.key("worker"), NEW_PASSWORD, actor=worker)
    with pytest.raises(SealError):
        private_key_of(worker, PASSWORD)
    key = private_key_of(worker, NEW_PASSWORD)
    assert open_record(record_id, user=worker, private_key=key).record_id == record_id
    assert AuditEvent.objects.filter(
        event_type=EventType.PASSWORD_CHANGED, target_ref=str(worker.pk)
    ).exists()


def test_it_refuses_a_rewrap_with_someone_elses_private_key(world):
    with pytest.raises(KeyActionRefused, match="does not belong"):
        do_rewrap_user_key(
            world.users["worker"], world.key("worker2"), NEW_PASSWORD, actor=world.users["worker"]
        )


def test_it_removes_access_after_an_admin_reset_until_granted_again(world):
    worker = world.users["worker"]
    record_id = uuid.uuid4()
    new_record_key(record_id, readers=[worker, world.casework])
    do_replace_user_keys(worker, NEW_PASSWORD, actor=world.users["admin1"])
    new_key = private_key_of(worker, NEW_PASSWORD)
    assert not TeamKeyWrap.objects.filter(user=worker).exists()
    assert not RecordKeyWrap.objects.filter(user=worker).exists()
    assert not can_open(record_id, user=worker, private_key=new_key)

    # A colleague who can open it grants the record again; the team key is granted separately.
    colleague = world.users["worker2"]
    do_grant_record(
        record_id,
        to_user=worker,
        granter=colleague,
        granter_private_key=world.key("worker2"),
        actor=colleague,
    )
    assert can_open(record_id, user=worker, private_key=new_key)


def test_it_refuses_to_reset_an_escrow_holder_when_fewer_than_two_would_remain(world):
    admin1, admin2, admin3 = world.admins
    do_replace_user_keys(admin3, NEW_PASSWORD, actor=admin1)
    assert not EscrowShare.objects.filter(admin_b=admin3).exists()
    with pytest.raises(KeyActionRefused, match="fewer than two other holders"):
        do_replace_user_keys(admin2, NEW_PASSWORD, actor=admin1)
    do_replace_user_keys(admin2, NEW_PASSWORD, actor=admin1, escrow_recovery_planned=True)
    assert not EscrowShare.objects.exists()


def test_it_opens_nothing_with_the_database_and_settings_but_no_private_key(world):
    """T2: someone holding every row and every server secret, but no one's password."""
    record_id = uuid.uuid4()
    new_record_key(record_id, readers=[world.casework, world.users["worker"]], codename=None)
    outsider = world.users["outsider"]
    with pytest.raises(RecordUnavailable):
        open_record(record_id, user=outsider, private_key=world.key("outsider"))

    secrets = [
        settings.SECRET_KEY.encode(),
        settings.BLIND_INDEX_PEPPER,
        settings.CODENAME_PEPPER,
        settings.AUDIT_ANCHOR_KEY,
    ]
    candidate_keys = [derive_key(secret, "attacker guess") for secret in secrets]
    candidate_keys += [secret[:KEY_SIZE] for secret in secrets if len(secret) >= KEY_SIZE]
    blobs = [bytes(wrap.wrapped) for wrap in RecordKeyWrap.objects.all()]
    blobs += [bytes(wrap.wrapped) for wrap in TeamKeyWrap.objects.all()]
    assert blobs
    for key in candidate_keys:
        for blob in blobs:
            for attempt in (
                lambda key=key, blob=blob: unwrap_key(key, blob[1:], b"x"),
                lambda key=key, blob=blob: unwrap_key(key, blob, b"x"),
                lambda key=key, blob=blob: decrypt_with_key(key, blob, b""),
            ):
                with pytest.raises((SealError, ValueError)):
                    attempt()
