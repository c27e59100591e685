"""The copy of the active keys each app server keeps for intake: a stale copy costs a retry,
never a request wrapped to a key that is no longer active (not even when a rotation runs while
the request is stored), and a copy without escrow or a referring team's key is read again
before a request is refused."""

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from safehaven.accounts.actions import do_remove_membership
from safehaven.accounts.models import Membership, Team, TeamKind
from safehaven.core.crypto import new_key_pair
from safehaven.intake.models import HelpRequest, ReferralCode
from safehaven.intake.referral_codes.actions import do_create_referral_code
from safehaven.intake.submission import actions
from safehaven.intake.submission.actions import IntakeUnavailable, do_create_help_request
from safehaven.intake.submission.recipients import current_keys, keys_unchanged, recipients
from safehaven.intake.submission.referral_lookup import find_referral_code
from safehaven.intake.tests.helpers import latest_request, private_key
from safehaven.intake.tests.test_short_transaction import draft, team_wrap_keys
from safehaven.keys.actions.escrow import do_print_recovery_sheet
from safehaven.keys.actions.teams import do_create_team_key, do_rotate_team_key
from safehaven.keys.models import EscrowKey, RecordKeyWrap, RecordWrapKind, TeamKey
from safehaven.keys.records import can_open
from safehaven.keys.tests.tampering import reactivate_first_version, tamper_alarms

pytestmark = pytest.mark.django_db


def count_seals(monkeypatch) -> list[int]:
    real = actions._seal_request
    calls: list[int] = []

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(actions, "_seal_request", counted)
    return calls


def test_it_reuses_its_copy_of_the_keys_while_they_do_not_change(world, monkeypatch):
    do_create_help_request(draft())
    copy = current_keys()
    calls = count_seals(monkeypatch)
    do_create_help_request(draft())
    assert calls == [1]
    assert current_keys() is copy


def test_it_wraps_again_when_another_server_rotated_a_key_since_its_copy(world, monkeypatch):
    do_create_help_request(draft())  # this app server now holds a copy with the old key
    stale = current_keys()
    # Another app server rotates: nothing here is told.
    do_rotate_team_key(world.teams["triage"], None, actor=None)
    assert current_keys() is stale
    calls = count_seals(monkeypatch)
    do_create_help_request(draft())
    assert len(calls) == 2
    new_key = TeamKey.objects.get(team=world.teams["triage"], active=True)
    stored = latest_request()
    assert team_wrap_keys(stored) == {new_key.pk}
    assert can_open(stored.record_id, user=world.users["triage"], private_key=private_key("triage"))
    assert current_keys() is not stale


def test_it_reads_the_keys_again_before_refusing_for_want_of_escrow(db, request):
    with pytest.raises(IntakeUnavailable):
        do_create_help_request(draft())  # no keys at all yet: the copy has no escrow
    assert current_keys().escrow is None
    request.getfixturevalue("world")  # keys and escrow made, as by another process
    assert do_create_help_request(draft()).codename
    assert current_keys().escrow is not None


def second_partner_team(world) -> Team:
    partner = world.teams["partner_a"]
    return Team.objects.create(
        organisation=partner.organisation, name="Second referrals", kind=TeamKind.PARTNER
    )


def test_it_reads_the_keys_again_for_a_partner_team_keyed_since_its_copy(world):
    team = second_partner_team(world)
    copy = current_keys()
    assert all(key.team_id != team.pk for key in copy.team_keys)
    do_create_team_key(team, actor=None)  # as by another app server
    code = do_create_referral_code(team, actor=None, code="TEST-NEW")
    referral = find_referral_code(code)
    assert referral is not None
    to = recipients(referral)
    assert team.pk in {key.team_id for key in to.team_keys}


def test_it_stores_for_triage_alone_a_request_whose_referring_team_has_no_key(world, caplog):
    # find_referral_code passes no such code on (test_receive_help_request); should one come
    # all the same, the person is not refused.
    team = second_partner_team(world)
    referral = ReferralCode.objects.create(
        code_hash="0" * 64, organisation=team.organisation, team=team
    )
    to = recipients(referral)
    triage_key = TeamKey.objects.get(team=world.teams["triage"], active=True)
    assert [key.pk for key in to.team_keys] == [triage_key.pk]
    assert to.escrow is not None
    (error,) = [record for record in caplog.records if record.levelname == "ERROR"]
    assert error.getMessage() == (
        f"team #{team.pk} (organisation #{team.organisation_id}) has no key: a referred help "
        "request is not wrapped to it"
    )


# The check inside the storing transaction. SQLite runs one write transaction at a time
# (BEGIN IMMEDIATE), so nothing can commit while it runs; PostgreSQL (READ COMMITTED) lets
# other transactions commit meanwhile, which the tests below do from other threads, each on a
# connection of its own.


TEAM_KEYS_READ = "SELECT k.id, k.team_id, k.version, t.kind, t.organisation_id, o.kind, "
ESCROW_KEY_READ = 'SELECT id, organisation_id, public_key, public_key_tag FROM "keys_escrowkey"'


def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("this database is not PostgreSQL (SQLite runs one writer at a time)")


def test_it_checks_the_keys_with_the_same_two_statements_on_sqlite(world):
    if connection.vendor != "sqlite":
        pytest.skip("this database is not SQLite")
    key_set = current_keys()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert keys_unchanged(key_set)
    statements = [query["sql"] for query in queries.captured_queries]
    # BEGIN IMMEDIATE already keeps every other writer out: nothing is locked, nothing added.
    assert len(statements) == 2, statements
    assert statements[0].startswith(TEAM_KEYS_READ)
    assert statements[1].startswith(ESCROW_KEY_READ)
    assert not any(" FOR " in statement for statement in statements)


def test_it_holds_the_audit_chain_before_checking_the_keys_on_postgresql(world):
    postgresql_only()
    key_set = current_keys()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert keys_unchanged(key_set)
    statements = [query["sql"] for query in queries.captured_queries]
    assert len(statements) == 3, statements
    # The lock every change of the team keys takes before it commits (keys.teams), then the
    # same two reads as on SQLite, in a statement that sees every change committed before.
    assert statements[0].startswith('SELECT sequence, row_hash FROM "core_auditchainhead"')
    assert statements[0].endswith(" FOR UPDATE")
    assert statements[1].startswith(TEAM_KEYS_READ)
    assert statements[2].startswith(ESCROW_KEY_READ)
    assert not any(" FOR " in statement for statement in statements[1:])


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_check_the_keys_outside_a_transaction(world):
    key_set = current_keys()
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
        keys_unchanged(key_set)


class InThread(threading.Thread):
    """Run ``work`` on a connection of its own; keep what it raised for the test to see."""

    def __init__(self, work: Callable[[], object]) -> None:
        super().__init__(daemon=True)
        self.work = work
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.work()
        except BaseException as error:  # reported by finish(): a thread cannot fail the test
            self.error = error
        finally:
            connection.close()

    def finish(self) -> None:
        self.join(timeout=60)
        assert not self.is_alive(), "the thread is still running"
        assert self.error is None, self.error


def someone_waits_for_a_lock(timeout: float = 10) -> bool:
    """Whether another connection of this database waits for a lock within ``timeout`` s."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


def pause_after_the_key_check(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """Make the first storing transaction stop right after it checked the keys; return
    (checked, go_on)."""
    checked, go_on = threading.Event(), threading.Event()
    real = actions.keys_unchanged

    def check_then_pause(key_set):
        unchanged = real(key_set)
        if not checked.is_set():
            checked.set()
            go_on.wait(30)
        return unchanged

    monkeypatch.setattr(actions, "keys_unchanged", check_then_pause)
    return checked, go_on


def rotate_triage_key(world) -> None:
    do_rotate_team_key(world.teams["triage"], None, actor=None)


def remove_supervisor_from_triage(world) -> None:
    # The way a rotation usually comes: the removal is audited first, then the key rotated.
    membership = Membership.objects.get(user=world.users["supervisor"], team=world.teams["triage"])
    do_remove_membership(membership=membership, actor=world.users["admin"])


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", [rotate_triage_key, remove_supervisor_from_triage])
def test_it_keeps_a_rotation_from_committing_between_its_key_check_and_its_commit(
    world, monkeypatch, change
):
    postgresql_only()
    triage = world.teams["triage"]
    old_key = TeamKey.objects.get(team=triage, active=True)
    checked, go_on = pause_after_the_key_check(monkeypatch)
    intake = InThread(lambda: do_create_help_request(draft()))
    intake.start()
    assert checked.wait(30)
    # The rotation (and, with the test's task backend, the re-wrap of the team's records in
    # the same transaction) starts while the request is checked but not stored.
    rotation = InThread(lambda: change(world))
    rotation.start()
    rotation_waited = someone_waits_for_a_lock()
    go_on.set()
    intake.finish()
    rotation.finish()
    assert rotation_waited
    new_key = TeamKey.objects.get(team=triage, active=True)
    assert new_key != old_key
    # The request was stored first, so the re-wrap found it: it opens only with the new key.
    stored = latest_request()
    assert team_wrap_keys(stored) == {new_key.pk}
    assert can_open(stored.record_id, user=world.users["triage"], private_key=private_key("triage"))


@pytest.mark.django_db(transaction=True)
def test_it_waits_for_a_rotation_in_progress_then_wraps_to_the_new_key(world, monkeypatch, caplog):
    postgresql_only()
    triage = world.teams["triage"]
    rotated, go_on = threading.Event(), threading.Event()

    def rotate_and_hold():
        with transaction.atomic():
            rotate_triage_key(world)
            rotated.set()
            go_on.wait(30)

    rotation = InThread(rotate_and_hold)
    rotation.start()
    assert rotated.wait(30)
    seals = count_seals(monkeypatch)
    intake = InThread(lambda: do_create_help_request(draft()))
    intake.start()
    intake_waited = someone_waits_for_a_lock()
    go_on.set()
    rotation.finish()
    intake.finish()
    assert intake_waited
    new_key = TeamKey.objects.get(team=triage, active=True)
    assert team_wrap_keys(latest_request()) == {new_key.pk}
    assert len(seals) == 2  # wrapped once more, to the keys read after the rotation committed
    assert not [record for record in caplog.records if record.levelname == "ERROR"]


@pytest.mark.django_db(transaction=True)
def test_it_stores_a_request_while_a_recovery_sheet_is_printed(world, monkeypatch):
    # Printing counts on the escrow key's row, which every new request refers to, then waits
    # for the audit chain that the request holds from its key check on: it must not lock that
    # row against the request meanwhile (each would wait for the other).
    postgresql_only()
    admin_a, admin_b = private_key("admin"), private_key("admin2")
    checked, go_on = pause_after_the_key_check(monkeypatch)
    intake = InThread(lambda: do_create_help_request(draft()))
    intake.start()
    assert checked.wait(30)
    printing = InThread(
        lambda: do_print_recovery_sheet(
            admin_a_private=admin_a, admin_b_private=admin_b, actor=None
        )
    )
    printing.start()
    printing_waited = someone_waits_for_a_lock()
    go_on.set()
    intake.finish()
    printing.finish()
    assert printing_waited
    assert HelpRequest.objects.count() == 1
    assert EscrowKey.objects.get().sheet_print_count == 1


# Defence in depth for issue 14 (items 1 and 5): only the relocating organisation's triage teams
# receive new requests, and only keys whose tags match (keys.public_key_tags).


def test_it_wraps_no_request_to_a_triage_team_of_a_partner_organisation(world):
    partner = world.teams["partner_a"].organisation
    posing = Team.objects.create(organisation=partner, name="Our triage", kind=TeamKind.TRIAGE)
    posing_key = do_create_team_key(posing, actor=None)
    do_create_help_request(draft())
    triage_key = TeamKey.objects.get(team=world.teams["triage"], active=True)
    assert team_wrap_keys(latest_request()) == {triage_key.pk}
    assert not RecordKeyWrap.objects.filter(team_key=posing_key).exists()
    assert posing.pk not in current_keys().triage_team_ids


def test_it_stores_a_request_but_not_for_a_swapped_triage_key(world, caplog):
    do_create_help_request(draft())  # this app server's copy has the key as it was
    TeamKey.objects.filter(team=world.teams["triage"], active=True).update(
        public_key=new_key_pair().public
    )
    swapped = TeamKey.objects.get(team=world.teams["triage"], active=True)
    do_create_help_request(draft())
    stored = latest_request()
    # Not lost: escrow (and the codename) open it; nothing is wrapped to the swapped key.
    assert team_wrap_keys(stored) == set()
    assert RecordKeyWrap.objects.filter(
        record_key__record_id=stored.record_id, kind=RecordWrapKind.ESCROW
    ).exists()
    # The first request's, and its thread's.
    assert RecordKeyWrap.objects.filter(team_key=swapped).count() == 2
    assert tamper_alarms() == [("teamkey", str(swapped.pk))]
    errors = [record.getMessage() for record in caplog.records if record.levelname == "ERROR"]
    assert (
        f"public key tampered: team key teamkey #{swapped.pk} does not carry its tag; "
        in (errors[0])
    )
    # Checked once per read of the keys, not once per request.
    do_create_help_request(draft())
    assert len(tamper_alarms()) == 1


def test_it_refuses_a_request_when_the_escrow_key_is_swapped(world):
    do_create_help_request(draft())
    EscrowKey.objects.update(public_key=new_key_pair().public)
    with pytest.raises(IntakeUnavailable):
        do_create_help_request(draft())
    assert HelpRequest.objects.count() == 1
    assert tamper_alarms() == [("escrowkey", str(EscrowKey.objects.get().pk))]


def test_it_stores_a_request_but_not_for_an_older_triage_key_marked_active_again(world):
    triage = world.teams["triage"]
    do_create_help_request(draft())
    first = reactivate_first_version(triage)
    do_create_help_request(draft())
    assert team_wrap_keys(latest_request()) == set()
    assert tamper_alarms() == [("teamkey", str(first.pk))]
