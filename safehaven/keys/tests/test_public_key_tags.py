"""Public keys in the database are authenticated before anything is wrapped or sealed to them:
someone who can write the database (but has not the server's tag key) swaps a user's, a team's,
escrow's or a record's inbox public key for their own, and nothing goes to it; an alarm does."""

from __future__ import annotations

import uuid

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections, transaction

from safehaven.core.crypto import new_key_pair
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.keys.actions.escrow import do_print_recovery_sheet, do_restore_escrow
from safehaven.keys.actions.teams import do_rotate_team_key
from safehaven.keys.escrow import create_shares, open_escrow
from safehaven.keys.keyring import wrap_team_key_to_escrow, wrap_team_key_to_user
from safehaven.keys.models import (
    EscrowKey,
    EscrowShare,
    RecordKey,
    RecordKeyWrap,
    RecordWrapKind,
    TeamKey,
    TeamKeyWrap,
    UserKeyPair,
)
from safehaven.keys.public_key_tags import (
    PublicKeyTampered,
    public_key_tag,
    record_pending_alarms,
    tag_matches,
)
from safehaven.keys.records import new_record_key, seal_for_inbox
from safehaven.keys.teams import layer_team_wraps_batch
from safehaven.keys.tests.tampering import reactivate_first_version, tamper_alarms

ATTACKER = new_key_pair()


def swap_user_key(user) -> UserKeyPair:
    UserKeyPair.objects.filter(user=user).update(public_key=ATTACKER.public)
    return UserKeyPair.objects.get(user=user)


def swap_team_key(team) -> TeamKey:
    TeamKey.objects.filter(team=team, active=True).update(public_key=ATTACKER.public)
    return TeamKey.objects.get(team=team, active=True)


def swap_escrow_key() -> EscrowKey:
    EscrowKey.objects.update(public_key=ATTACKER.public)
    return EscrowKey.objects.get()


def test_it_tags_every_public_key_the_key_layer_stores(world):
    record_id = uuid.uuid4()
    new_record_key(record_id, readers=[world.triage])
    rows = [
        *UserKeyPair.objects.all(),
        *TeamKey.objects.all(),
        *EscrowKey.objects.all(),
        RecordKey.objects.get(record_id=record_id),
    ]
    assert len(rows) == len(world.users) + 3 + 1 + 1
    assert all(tag_matches(row) for row in rows)


def test_it_tags_keys_stored_in_bulk(world):
    team_key = TeamKey(
        team=world.casework, version=9, public_key=new_key_pair().public, active=False
    )
    TeamKey.objects.bulk_create([team_key])
    assert tag_matches(TeamKey.objects.get(team=world.casework, version=9))


def test_it_binds_the_tag_to_the_kind_the_owner_and_the_key(world, settings):
    team_key = TeamKey.objects.get(team=world.triage, active=True)
    public = bytes(team_key.public_key)
    kind = team_key.public_key_owner()[0]
    triage, organisation = world.triage.pk, world.organisation.pk
    tag = public_key_tag(kind, (triage, 1, "triage", organisation), public)
    assert bytes(team_key.public_key_tag) == tag
    # Another team, version, team kind, organisation, kind of key or secret gives another tag.
    assert public_key_tag(kind, (world.casework.pk, 1, "triage", organisation), public) != tag
    assert public_key_tag(kind, (triage, 2, "triage", organisation), public) != tag
    assert public_key_tag(kind, (triage, 1, "partner", organisation), public) != tag
    assert public_key_tag(kind, (triage, 1, "triage", world.partner.pk), public) != tag
    assert public_key_tag(kind, (triage, 1), public) != tag
    escrow = EscrowKey.objects.get()
    owner = (triage, 1, "triage", organisation)
    assert public_key_tag(escrow.public_key_owner()[0], owner, public) != tag
    settings.PUBLIC_KEY_TAG_KEY = b"\x01" * 32
    assert public_key_tag(kind, owner, public) != tag


def test_it_keeps_the_old_tag_when_a_row_with_a_swapped_key_is_saved_again(world):
    # Saving a row for another reason (a suspension, a password change) must not vouch for
    # a key someone else wrote there.
    pair = swap_user_key(world.users["worker"])
    pair.suspended_at = None
    pair.save()
    pair.protected_private_key = bytes(pair.protected_private_key)
    pair.save(update_fields=["protected_private_key"])
    assert not tag_matches(UserKeyPair.objects.get(pk=pair.pk))


def test_it_tags_a_key_the_key_layer_replaces(world):
    pair = UserKeyPair.objects.get(user=world.users["worker"])
    pair.public_key = new_key_pair().public
    pair.save(update_fields=["public_key", "updated_at"])
    assert tag_matches(UserKeyPair.objects.get(pk=pair.pk))


def test_it_wraps_nothing_to_a_swapped_user_key(world):
    worker = world.users["worker"]
    pair = swap_user_key(worker)
    record_id = uuid.uuid4()
    with pytest.raises(PublicKeyTampered):
        new_record_key(record_id, readers=[world.triage, worker])
    assert not RecordKey.objects.filter(record_id=record_id).exists()
    team_key = TeamKey.objects.get(team=world.casework, active=True)
    with pytest.raises(PublicKeyTampered):
        wrap_team_key_to_user(team_key, b"\x02" * 32, worker)
    assert tamper_alarms() == [("userkeypair", str(pair.pk))] * 2


def test_it_wraps_nothing_to_a_swapped_team_key(world):
    team_key = swap_team_key(world.triage)
    record_id = uuid.uuid4()
    with pytest.raises(PublicKeyTampered):
        new_record_key(record_id, readers=[world.triage])
    assert not RecordKey.objects.filter(record_id=record_id).exists()
    assert tamper_alarms() == [("teamkey", str(team_key.pk))]


def test_it_wraps_nothing_to_a_swapped_escrow_key(world):
    escrow = swap_escrow_key()
    record_id = uuid.uuid4()
    with pytest.raises(PublicKeyTampered):
        new_record_key(record_id, readers=[world.triage])
    assert not RecordKey.objects.filter(record_id=record_id).exists()
    team_key = TeamKey.objects.get(team=world.casework, active=True)
    with pytest.raises(PublicKeyTampered):
        wrap_team_key_to_escrow(team_key, b"\x02" * 32, escrow)
    assert tamper_alarms() == [("escrowkey", str(escrow.pk))] * 2


def test_it_seals_nothing_to_a_swapped_inbox_key(world):
    record_id = uuid.uuid4()
    new_record_key(record_id, readers=[world.triage])
    RecordKey.objects.filter(record_id=record_id).update(inbox_public_key=ATTACKER.public)
    with pytest.raises(PublicKeyTampered):
        seal_for_inbox(record_id, "keys.sealednote.body", "I am at the border")
    record_key = RecordKey.objects.get(record_id=record_id)
    assert tamper_alarms() == [("recordkey", str(record_key.pk))]


def test_it_splits_escrow_to_no_swapped_administrator_key(world):
    holder, _admin_a, _admin_b = open_escrow(world.key("admin1"), world.key("admin2"))
    EscrowShare.objects.filter(admin_b=world.users["admin3"]).delete()
    pair = swap_user_key(world.users["admin3"])
    with pytest.raises(PublicKeyTampered):
        create_shares(holder.escrow, holder.private_key(), world.admins)
    assert not EscrowShare.objects.filter(admin_b=world.users["admin3"]).exists()
    assert tamper_alarms() == [("userkeypair", str(pair.pk))]


def test_it_records_the_alarm_after_the_refused_transaction_rolls_back(world, caplog):
    team_key = swap_team_key(world.triage)
    with pytest.raises(PublicKeyTampered), transaction.atomic():
        new_record_key(uuid.uuid4(), readers=[world.triage])
    # Logged at once, with ids only; audited once the transaction it was refused in is over
    # (at the latest when the request ends), so the rollback does not take the alarm along.
    (error,) = [record for record in caplog.records if record.levelname == "ERROR"]
    assert error.getMessage() == (
        f"public key tampered: team key teamkey #{team_key.pk} does not carry its tag; "
        "nothing was wrapped to it"
    )
    assert tamper_alarms() == []
    request_ends()
    assert tamper_alarms() == [("teamkey", str(team_key.pk))]
    request_ends()
    assert len(tamper_alarms()) == 1


def request_ends() -> None:
    # As Django's test client does: the test's database connection must stay open.
    request_finished.disconnect(close_old_connections)
    try:
        request_finished.send(sender=None)
    finally:
        request_finished.connect(close_old_connections)


def test_it_layers_no_record_wrap_under_a_swapped_team_key(world):
    record_id = uuid.uuid4()
    new_record_key(record_id, readers=[world.triage])
    old_key = TeamKey.objects.get(team=world.triage, active=True)
    # A rotation's new version, whose records the background task has not layered yet.
    TeamKey.objects.filter(pk=old_key.pk).update(active=False)
    TeamKey.objects.create(team=world.triage, version=2, public_key=new_key_pair().public)
    team_key = swap_team_key(world.triage)
    with pytest.raises(PublicKeyTampered), transaction.atomic():
        layer_team_wraps_batch(world.triage, batch_size=10)
    wrap = RecordKeyWrap.objects.get(record_key__record_id=record_id, kind=RecordWrapKind.TEAM)
    assert wrap.team_key_id == old_key.pk
    request_ends()
    assert tamper_alarms() == [("teamkey", str(team_key.pk))]


def test_it_repairs_a_swapped_escrow_key_from_the_recovery_sheet(world):
    sheet = do_print_recovery_sheet(
        admin_a_private=world.key("admin1"), admin_b_private=world.key("admin2"), actor=None
    )
    genuine = bytes(EscrowKey.objects.get().public_key)
    swap_escrow_key()
    do_restore_escrow(sheet, actor=None)
    escrow = EscrowKey.objects.get()
    assert bytes(escrow.public_key) == genuine
    assert tag_matches(escrow)
    assert new_record_key(uuid.uuid4(), readers=[world.triage])
    event = AuditEvent.objects.filter(event_type=EventType.ESCROW_RESTORED).get()
    assert event.detail.endswith("public key repaired")


def test_it_wraps_nothing_to_an_older_team_key_version_marked_active_again(world):
    first = reactivate_first_version(world.triage)
    record_id = uuid.uuid4()
    with pytest.raises(PublicKeyTampered):
        new_record_key(record_id, readers=[world.triage])
    assert not RecordKey.objects.filter(record_id=record_id).exists()
    assert tamper_alarms() == [("teamkey", str(first.pk))]
    event = AuditEvent.objects.get(event_type=EventType.PUBLIC_KEY_TAMPERED)
    assert event.detail == "team public key is an older version marked active"


def test_it_still_rotates_when_a_remaining_member_key_was_swapped(world):
    # A forged key of one teammate must not keep a leaver holding the team's key.
    worker, leaver = world.users["worker"], world.users["worker2"]
    pair = swap_user_key(worker)
    rotated = do_rotate_team_key(world.casework, leaver, actor=world.users["admin1"])
    assert rotated.active
    assert not TeamKeyWrap.objects.filter(team_key__team=world.casework, user=leaver).exists()
    assert not TeamKeyWrap.objects.filter(team_key=rotated, user=worker).exists()
    assert TeamKeyWrap.objects.filter(team_key=rotated, escrow__isnull=False).exists()
    record_pending_alarms()  # as at the end of the request
    assert tamper_alarms() == [("userkeypair", str(pair.pk))]
