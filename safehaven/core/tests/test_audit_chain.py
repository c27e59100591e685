"""The audit hash chain: writing, tamper detection, anchors, concurrency and the log page."""

import itertools
import stat
import threading

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from safehaven.accounts.audit_views import show_audit_log
from safehaven.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from safehaven.core.audit import (
    AnchorRefused,
    AuditOutsideTransaction,
    Reason,
    record_event,
    verify_chain,
    write_anchor,
)
from safehaven.core.event_types import EventType
from safehaven.core.models import GENESIS_HASH, AuditChainHead, AuditEvent, AuditRowImmutable

KEY = settings.AUDIT_ANCHOR_KEY


def record(count: int) -> list[AuditEvent]:
    with transaction.atomic():
        return [record_event(EventType.LOGIN_FAILED, detail=f"test {i}") for i in range(count)]


def delete_row_behind_the_orm(event: AuditEvent) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])


def rehash_from(sequence: int) -> None:
    """What an attacker with database access does: recompute every hash after an edit."""
    previous = AuditEvent.objects.get(sequence=sequence - 1).row_hash if sequence > 1 else None
    for event in AuditEvent.objects.filter(sequence__gte=sequence).order_by("sequence"):
        event.previous_hash = previous or GENESIS_HASH
        event.row_hash = event.compute_row_hash()
        AuditEvent.objects.filter(pk=event.pk).update(
            previous_hash=event.previous_hash, row_hash=event.row_hash
        )
        previous = event.row_hash
    AuditChainHead.objects.update(sequence=event.sequence, row_hash=previous)


@pytest.fixture
def anchors(tmp_path):
    return tmp_path / "anchors" / "audit-anchors.log"


@pytest.mark.django_db
def test_it_verifies_a_clean_chain_of_linked_rows():
    events = record(5)
    assert [event.sequence for event in events] == [1, 2, 3, 4, 5]
    assert events[0].previous_hash == GENESIS_HASH
    assert all(b.previous_hash == a.row_hash for a, b in itertools.pairwise(events))
    result = verify_chain(None, KEY)
    assert result.ok, result
    assert result.rows_checked == 5


@pytest.mark.django_db
def test_it_hashes_the_same_after_a_database_round_trip():
    (event,) = record(1)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.row_hash == event.row_hash == stored.compute_row_hash()
    assert stored.created_at.microsecond == event.created_at.microsecond


@pytest.mark.django_db
def test_it_names_a_row_whose_detail_was_edited():
    events = record(5)
    AuditEvent.objects.filter(pk=events[2].pk).update(detail="nothing happened")
    result = verify_chain(None, KEY)
    assert not result.ok
    assert (result.first_bad_sequence, result.first_bad_id) == (3, events[2].pk)
    assert result.reason == Reason.ROW_EDITED
    assert result.rows_checked == 2


@pytest.mark.django_db
def test_it_names_a_deleted_middle_row():
    events = record(5)
    delete_row_behind_the_orm(events[2])
    result = verify_chain(None, KEY)
    assert not result.ok
    assert result.first_bad_sequence == 3
    assert result.reason == Reason.ROW_MISSING


@pytest.mark.django_db
def test_it_detects_two_rows_swapped():
    events = record(5)
    AuditEvent.objects.filter(pk=events[1].pk).update(sequence=1000)
    AuditEvent.objects.filter(pk=events[2].pk).update(sequence=2)
    AuditEvent.objects.filter(pk=events[1].pk).update(sequence=3)
    result = verify_chain(None, KEY)
    assert not result.ok
    assert (result.first_bad_sequence, result.first_bad_id) == (2, events[2].pk)
    assert result.reason == Reason.OUT_OF_ORDER


@pytest.mark.django_db
def test_it_detects_a_forged_row_appended_out_of_order():
    events = record(3)
    forged = AuditEvent(
        id=1004,
        sequence=4,
        event_type=EventType.LOGIN_SUCCEEDED,
        created_at=events[0].created_at,
        previous_hash=events[0].row_hash,
        row_hash="",
    )
    forged.save()
    AuditEvent.objects.filter(pk=forged.pk).update(row_hash=forged.compute_row_hash())
    result = verify_chain(None, KEY)
    assert not result.ok
    assert (result.first_bad_sequence, result.first_bad_id) == (4, forged.pk)
    assert result.reason == Reason.OUT_OF_ORDER


@pytest.mark.django_db
def test_it_detects_a_forged_row_spliced_into_the_middle():
    events = record(4)
    for event in reversed(events[2:]):
        AuditEvent.objects.filter(pk=event.pk).update(sequence=event.sequence + 1)
    forged = AuditEvent(
        id=1003,
        sequence=3,
        event_type=EventType.LOGIN_SUCCEEDED,
        created_at=events[2].created_at,
        previous_hash=events[1].row_hash,
        row_hash="",
    )
    forged.save()
    AuditEvent.objects.filter(pk=forged.pk).update(row_hash=forged.compute_row_hash())
    result = verify_chain(None, KEY)
    assert not result.ok
    # The forged row is self-consistent; the row it displaced no longer follows its new
    # predecessor.
    assert (result.first_bad_sequence, result.first_bad_id) == (4, events[2].pk)
    assert result.reason == Reason.OUT_OF_ORDER


@pytest.mark.django_db
def test_it_detects_a_tail_cut_after_an_anchor(anchors):
    events = record(5)
    write_anchor(anchors, KEY)
    for event in events[3:]:
        delete_row_behind_the_orm(event)
    AuditChainHead.objects.update(sequence=3, row_hash=events[2].row_hash)
    assert verify_chain(None, KEY).ok  # without the anchor the cut is invisible
    result = verify_chain(anchors, KEY)
    assert not result.ok
    assert result.first_bad_sequence == 4
    assert result.reason == Reason.TAIL_CUT


@pytest.mark.django_db
def test_it_notices_a_tail_cut_without_anchors_while_the_head_remembers():
    events = record(4)
    delete_row_behind_the_orm(events[3])
    result = verify_chain(None, KEY)
    assert (result.ok, result.first_bad_sequence, result.reason) == (False, 4, Reason.ROW_MISSING)


@pytest.mark.django_db
def test_it_detects_a_chain_rewritten_behind_an_anchor(anchors):
    events = record(5)
    write_anchor(anchors, KEY)
    AuditEvent.objects.filter(pk=events[1].pk).update(detail="rewritten")
    rehash_from(2)
    assert verify_chain(None, KEY).ok
    result = verify_chain(anchors, KEY)
    assert not result.ok
    assert (result.first_bad_sequence, result.first_bad_id) == (5, events[4].pk)
    assert result.reason == Reason.ROW_EDITED


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tamper",
    [
        lambda parts: [parts[0], "2", *parts[2:]],
        lambda parts: [*parts[:2], "a" * 64, parts[3]],
        lambda parts: ["2020-01-01T00:00:00+00:00", *parts[1:]],
        lambda parts: ["gärbage", *parts[1:]],
        lambda parts: parts[:3],
    ],
)
def test_it_rejects_a_tampered_anchor_line(anchors, tamper):
    record(3)
    line = write_anchor(anchors, KEY)
    anchors.write_text(" ".join(tamper(line.split(" "))) + "\n", encoding="utf-8")
    result = verify_chain(anchors, KEY)
    assert not result.ok
    assert result.reason == Reason.ANCHOR_FORGED


@pytest.mark.django_db
def test_it_writes_private_anchor_lines_that_verify(anchors):
    record(2)
    first = write_anchor(anchors, KEY)
    record(1)
    second = write_anchor(anchors, KEY)
    assert stat.S_IMODE(anchors.stat().st_mode) == 0o600
    assert anchors.read_text().splitlines() == [first, second]
    assert first.split(" ")[1] == "2"
    assert second.split(" ")[1:3] == ["3", AuditEvent.objects.get(sequence=3).row_hash]
    result = verify_chain(anchors, KEY)
    assert (result.ok, result.rows_checked, result.anchors_checked) == (True, 3, 2)


@pytest.mark.django_db
def test_it_anchors_an_empty_chain(anchors):
    line = write_anchor(anchors, KEY)
    assert line.split(" ")[1:3] == ["0", GENESIS_HASH]
    assert verify_chain(anchors, KEY).ok


@pytest.mark.django_db
def test_it_refuses_to_anchor_a_broken_chain(anchors):
    events = record(3)
    write_anchor(anchors, KEY)
    record(2)
    AuditEvent.objects.filter(sequence=5).update(detail="edited")
    with pytest.raises(AnchorRefused, match="sequence 5"):
        write_anchor(anchors, KEY)
    delete_row_behind_the_orm(events[2])
    with pytest.raises(AnchorRefused, match="#3 was anchored and is gone"):
        write_anchor(anchors, KEY)


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_record_outside_a_transaction():
    with pytest.raises(AuditOutsideTransaction):
        record_event(EventType.LOGIN_FAILED)
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_it_refuses_to_change_or_delete_an_event_through_the_orm():
    (event,) = record(1)
    event.detail = "changed"
    with pytest.raises(AuditRowImmutable):
        event.save()
    with pytest.raises(AuditRowImmutable):
        event.delete()
    with pytest.raises(AuditRowImmutable):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).detail == "test 0"


@pytest.mark.django_db
def test_it_refers_to_a_target_by_record_id_or_primary_key():
    organisation = Organisation.objects.create(name="Org", kind=OrganisationKind.RELOCATING)
    with transaction.atomic():
        by_pk = record_event(EventType.ORGANISATION_CREATED, target=organisation)
        organisation.record_id = "5b0d9c4e-0000-4000-8000-000000000001"  # type: ignore[attr-defined]
        by_record_id = record_event(EventType.ORGANISATION_CHANGED, target=organisation)
    assert (by_pk.target_type, by_pk.target_ref) == ("organisation", str(organisation.pk))
    assert by_record_id.target_ref == "5b0d9c4e-0000-4000-8000-000000000001"
    with transaction.atomic(), pytest.raises(ValueError, match="saved first"):
        record_event(EventType.ORGANISATION_CREATED, target=Organisation(name="Unsaved"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("event_type", "kwargs", "error"),
    [
        ("login.failed", {"detail": "x" * 201}, "longer than 200"),
        ("login.failed", {"detail": "two\nlines"}, "control characters"),
        ("login.failed", {"target_ref": "x" * 65}, "longer than 64"),
        ("not.a.type", {}, r"not\.a\.type"),
    ],
)
def test_it_refuses_bad_event_types_and_oversized_or_multi_line_text(event_type, kwargs, error):
    with transaction.atomic(), pytest.raises(ValueError, match=error):
        record_event(event_type, **kwargs)


@pytest.mark.django_db(transaction=True)
def test_it_serialises_concurrent_writers_into_one_chain():
    per_thread = 25
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def write(name: str) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    record_event(EventType.LOGIN_FAILED, detail=f"{name} {i}")
        except BaseException as error:  # reported below: a thread cannot fail the test itself
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    rows = list(AuditEvent.objects.order_by("sequence").values_list("sequence", "previous_hash"))
    assert [sequence for sequence, _ in rows] == list(range(1, 2 * per_thread + 1))
    assert len({previous for _, previous in rows}) == len(rows)  # no two rows share a parent
    result = verify_chain(None, KEY)
    assert (result.ok, result.rows_checked) == (True, 2 * per_thread)
    assert AuditChainHead.objects.get().sequence == 2 * per_thread


# The audit log page. Called through RequestFactory so the tests do not depend on the URL
# configuration or the second-factor middleware.


def make_user(username: str, role: Role | None) -> User:
    user = User.objects.create_user(username=username, email=f"{username}@example.org")
    if role is not None:
        organisation, _ = Organisation.objects.get_or_create(
            name="Relocation", kind=OrganisationKind.RELOCATING
        )
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def get_audit_log(user: User, **params: str):
    request = RequestFactory().get("/staff/admin/audit/", params)
    request.user = user
    return show_audit_log(request)


@pytest.mark.django_db
def test_it_shows_and_filters_the_audit_log_for_an_admin():
    admin = make_user("admin", Role.ADMIN)
    caseworker = make_user("caseworker", Role.CASEWORKER)
    with transaction.atomic():
        record_event(EventType.LOGIN_SUCCEEDED, actor=caseworker, detail="marker-login")
        record_event(EventType.TEAM_CREATED, actor=admin, detail="marker-team")
    response = get_audit_log(admin)
    html = response.content.decode()
    assert response.status_code == 200
    assert "marker-login" in html
    assert "marker-team" in html
    html = get_audit_log(admin, event_type=EventType.TEAM_CREATED).content.decode()
    assert "marker-team" in html
    assert "marker-login" not in html
    html = get_audit_log(admin, actor="caseworker").content.decode()
    assert "marker-login" in html
    assert "marker-team" not in html
    html = get_audit_log(admin, date_from="2000-01-01", date_to="2000-01-02").content.decode()
    assert "No events match these filters." in html


@pytest.mark.django_db
def test_it_pages_the_audit_log_by_fifty():
    admin = make_user("admin", Role.ADMIN)
    with transaction.atomic():
        for i in range(60):
            record_event(EventType.LOGIN_FAILED, detail=f"row-{i:02d}-end")
    # Filtered, so the AUDIT_VIEWED row the first view adds does not shift the second page.
    first = get_audit_log(admin, event_type=EventType.LOGIN_FAILED).content.decode()
    second = get_audit_log(admin, event_type=EventType.LOGIN_FAILED, page="2").content.decode()
    assert first.count("-end</td>") == 50
    assert second.count("-end</td>") == 10
    assert "row-59-end" in first
    assert "row-00-end" in second
    assert "?event_type=login.failed&amp;page=2" in first


@pytest.mark.django_db
def test_it_records_each_view_of_the_audit_log():
    admin = make_user("admin", Role.ADMIN)
    get_audit_log(admin, event_type=EventType.LOGIN_FAILED, page="1")
    event = AuditEvent.objects.get(event_type=EventType.AUDIT_VIEWED)
    assert event.actor == admin
    assert event.organisation is not None
    assert event.detail == "page 1; type=login.failed"
    assert verify_chain(None, KEY).ok


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.SUPERVISOR, None])
def test_it_refuses_the_audit_log_to_anyone_but_an_admin(role):
    user = make_user("someone", role)
    with pytest.raises(PermissionDenied):
        get_audit_log(user)
    assert not AuditEvent.objects.filter(event_type=EventType.AUDIT_VIEWED).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "yesterday"}, "Enter a valid date."),
        ({"date_from": "2026-02-02", "date_to": "2026-01-01"}, "end date is before"),
        ({"event_type": "no.such"}, "Select a valid choice."),
        ({"actor": "bad name!"}, "Enter a valid username."),
    ],
)
def test_it_shows_errors_for_bad_filters_and_reads_nothing(params, message):
    admin = make_user("admin", Role.ADMIN)
    response = get_audit_log(admin, **params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(event_type=EventType.AUDIT_VIEWED).exists()


@pytest.mark.django_db
def test_it_writes_each_event_once_complete_with_its_id_as_its_sequence():
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        event = record_event(EventType.LOGIN_SUCCEEDED)
    assert event.pk == event.sequence
    statements = [q["sql"] for q in queries.captured_queries if "core_auditevent" in q["sql"]]
    written = [sql for sql in statements if not sql.startswith("SELECT")]
    assert len(written) == 1
    assert written[0].startswith("INSERT")
    assert AuditEvent.objects.get(pk=event.pk).row_hash == event.compute_row_hash()


@pytest.mark.django_db
def test_the_upgrade_refuses_a_log_whose_ids_are_not_its_sequences():
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps

    check_ids = import_module("safehaven.core.migrations.0002_audit_ids_are_sequences").check_ids
    editor = SimpleNamespace(connection=connection)
    with transaction.atomic():
        event = record_event(EventType.LOGIN_FAILED)
    check_ids(apps, editor)  # every row written now passes
    AuditEvent.objects.filter(pk=event.pk).update(sequence=event.sequence + 50)
    with pytest.raises(RuntimeError, match="1 audit rows have an id other than"):
        check_ids(apps, editor)
