"""Escrow: two administrators together open it, one alone cannot; the recovery sheet."""

import io
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safehaven.accounts.models import Membership, Role
from safehaven.core.crypto import new_key_pair
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.keys.actions.escrow import (
    do_add_escrow_holder,
    do_print_recovery_sheet,
    do_restore_escrow,
    release_escrow_holder,
)
from safehaven.keys.actions.records import open_with_escrow
from safehaven.keys.actions.users import do_replace_user_keys
from safehaven.keys.escrow import format_sheet
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.models import EscrowShare, TeamKey
from safehaven.keys.records import new_record_key
from safehaven.keys.tests.helpers import PASSWORD, make_user, private_key_of

pytestmark = pytest.mark.django_db


def test_it_opens_any_record_with_two_admins(world):
    direct, via_team = uuid.uuid4(), uuid.uuid4()
    new_record_key(direct, readers=[world.casework])
    new_record_key(via_team, readers=[world.casework], include_escrow=False)
    for record_id in (direct, via_team):
        opened = open_with_escrow(record_id, world.key("admin1"), world.key("admin3"))
        assert opened.record_id == record_id
    assert AuditEvent.objects.filter(event_type=EventType.ESCROW_USED).count() == 2


def test_it_refuses_one_admin_alone(world):
    record_id = uuid.uuid4()
    new_record_key(record_id, readers=[world.casework])
    with pytest.raises(KeyActionRefused, match="Two different administrators"):
        open_with_escrow(record_id, world.key("admin1"), world.key("admin1"))
    with pytest.raises(KeyActionRefused, match="active administrators"):
        open_with_escrow(record_id, world.key("admin1"), world.key("worker"))
    assert not AuditEvent.objects.filter(event_type=EventType.ESCROW_USED).exists()


def test_it_never_leaves_fewer_than_two_holders(world):
    _admin1, admin2, admin3 = world.admins
    release_escrow_holder(admin3)
    assert not EscrowShare.objects.filter(admin_b=admin3).exists()
    with pytest.raises(KeyActionRefused, match="At least two administrators"):
        release_escrow_holder(admin2)
    assert EscrowShare.objects.count() == 1


def test_it_adds_a_holder_only_with_two_current_holders(world):
    newcomer = make_user("admin4")
    Membership.objects.create(user=newcomer, organisation=world.organisation, role=Role.ADMIN)
    with pytest.raises(KeyActionRefused):
        open_with_escrow(uuid.uuid4(), private_key_of(newcomer), world.key("admin1"))
    do_add_escrow_holder(
        newcomer,
        admin_a_private=world.key("admin1"),
        admin_b_private=world.key("admin2"),
        actor=None,
    )
    record_id = uuid.uuid4()
    new_record_key(record_id, readers=[world.triage])
    assert open_with_escrow(record_id, private_key_of(newcomer), world.key("admin2"))


def test_it_prints_the_recovery_sheet_once_and_restores_from_it(world):
    admin1, admin2, admin3 = world.admins
    sheet = do_print_recovery_sheet(
        admin_a_private=world.key("admin1"), admin_b_private=world.key("admin2"), actor=admin1
    )
    assert sheet.startswith("SAFEHAVEN ESCROW RECOVERY SHEET v1")
    with pytest.raises(KeyActionRefused, match="already printed"):
        do_print_recovery_sheet(
            admin_a_private=world.key("admin1"), admin_b_private=world.key("admin2"), actor=admin1
        )
    assert AuditEvent.objects.filter(event_type=EventType.ESCROW_SHEET_PRINTED).count() == 1

    # Every holder forgot their password: escrow is unusable until the sheet restores it.
    record_id = uuid.uuid4()
    new_record_key(record_id, readers=[world.casework])
    for admin in world.admins:
        do_replace_user_keys(
            admin, "fresh password 8812x", actor=None, escrow_recovery_planned=True
        )
    assert not EscrowShare.objects.exists()
    do_restore_escrow(sheet.lower().replace(" ", "  "), actor=None)
    assert EscrowShare.objects.count() == 3
    opened = open_with_escrow(
        record_id,
        private_key_of(admin2, "fresh password 8812x"),
        private_key_of(admin3, "fresh password 8812x"),
    )
    assert opened.record_id == record_id
    assert AuditEvent.objects.filter(event_type=EventType.ESCROW_RESTORED).exists()


def test_it_rejects_a_mistyped_or_foreign_sheet(world):
    sheet = do_print_recovery_sheet(
        admin_a_private=world.key("admin1"), admin_b_private=world.key("admin2"), actor=None
    )
    key_line = sheet.splitlines()[4]
    typo = ("B" if key_line[0] != "B" else "C") + key_line[1:]
    with pytest.raises(KeyActionRefused, match="checksum"):
        do_restore_escrow(sheet.replace(key_line, typo), actor=None)
    with pytest.raises(KeyActionRefused, match="incomplete"):
        do_restore_escrow(sheet.replace(key_line, key_line[:-5]), actor=None)
    foreign = format_sheet("Another", new_key_pair().private)
    with pytest.raises(KeyActionRefused, match="another escrow key"):
        do_restore_escrow(foreign, actor=None)


def test_it_creates_escrow_and_team_keys_with_init_keys(db, monkeypatch):
    from safehaven.accounts.models import Organisation, OrganisationKind, Team, TeamKind

    organisation = Organisation.objects.create(name="Haven", kind=OrganisationKind.RELOCATING)
    team = Team.objects.create(organisation=organisation, name="Triage", kind=TeamKind.TRIAGE)
    with pytest.raises(CommandError, match="two active administrators"):
        call_command("init_keys", stdout=io.StringIO())
    admins = [make_user(name) for name in ("a1", "a2")]
    for admin in admins:
        Membership.objects.create(user=admin, organisation=organisation, role=Role.ADMIN)
    out = io.StringIO()
    call_command("init_keys", stdout=out)
    assert "Escrow key created" in out.getvalue()
    assert TeamKey.objects.filter(team=team, active=True).exists()
    call_command("init_keys", stdout=out)
    assert "already exists" in out.getvalue()

    passwords = iter([PASSWORD, PASSWORD, PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(passwords))
    out = io.StringIO()
    call_command(
        "print_recovery_sheet", admin_a="a1@staff.test", admin_b="a2@staff.test", stdout=out
    )
    sheet = out.getvalue()
    assert "Escrow key fingerprint" in sheet
    with pytest.raises(CommandError, match="already printed"):
        call_command(
            "print_recovery_sheet", admin_a="a1@staff.test", admin_b="a2@staff.test", stdout=out
        )
    sheet_file = io.StringIO(sheet)
    monkeypatch.setattr("sys.stdin", sheet_file)
    out = io.StringIO()
    call_command("restore_escrow", stdout=out, stderr=io.StringIO())
    assert "1 administrator pairs" in out.getvalue()
