"""Audit events of a requester's actions: the hour only, a ref per row that only the record's
ref key finds, and a chain that still verifies."""

import os
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.db import transaction

from safehaven.accounts.models import Organisation
from safehaven.core import coarse_time
from safehaven.core.audit import record_event, verify_chain
from safehaven.core.audit_requester import find_requester_events, record_requester_event
from safehaven.core.event_types import EventType

pytestmark = pytest.mark.django_db

AT_10_37 = datetime(2026, 12, 6, 10, 37, 12, 345678, tzinfo=UTC)
AT_10 = datetime(2026, 12, 6, 10, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch):
    """Both clocks the audit reads, set to one moment."""

    def set_to(moment: datetime) -> None:
        monkeypatch.setattr(coarse_time.timezone, "now", lambda: moment)
        monkeypatch.setattr("safehaven.core.audit.timezone.now", lambda: moment)

    set_to(AT_10_37)
    return set_to


@pytest.fixture
def target():
    return Organisation.objects.create(name="Target of the events")


def requester_event(target, key: bytes, event_type=EventType.REQUEST_MESSAGE_RECEIVED):
    with transaction.atomic():
        return record_requester_event(event_type, target=target, record_ref_key=key)


def test_it_keeps_only_the_hour_of_a_requester_event(clock, target):
    event = requester_event(target, os.urandom(32), EventType.REQUEST_RECEIVED)
    event.refresh_from_db()
    assert event.created_at == AT_10
    assert event.actor_id is None


def test_it_keeps_only_the_hour_of_an_erasure_and_the_exact_time_of_staff_events(clock):
    with transaction.atomic():
        shredded = record_event(
            EventType.RECORD_SHREDDED, target_type="record", target_ref="some-record-id"
        )
        staff = record_event(EventType.LOGIN_FAILED)
    assert shredded.created_at == AT_10
    assert staff.created_at == AT_10_37


def test_it_names_each_event_by_its_own_ref_which_only_the_key_finds(clock, target):
    key, other_key = os.urandom(32), os.urandom(32)
    first, second = requester_event(target, key), requester_event(target, key)
    other = requester_event(target, other_key)
    refs = {first.target_ref, second.target_ref, other.target_ref}
    assert len(refs) == 3
    assert str(target.pk) not in refs
    assert all(len(ref) == 64 for ref in refs)
    assert find_requester_events(key, target_type="organisation") == [first, second]
    assert find_requester_events(other_key, target_type="organisation") == [other]
    assert find_requester_events(os.urandom(32), target_type="organisation") == []
    assert find_requester_events(key, target_type="organisation", since=AT_10_37) == []


def test_it_refuses_a_requester_action_written_as_an_ordinary_event(target):
    with transaction.atomic(), pytest.raises(ValueError, match="record_requester_event"):
        record_event(EventType.REQUEST_WITHDRAWN, target=target)


def test_it_refuses_an_ordinary_event_written_as_a_requester_action(target):
    with transaction.atomic(), pytest.raises(ValueError, match="use record_event"):
        record_requester_event(EventType.LOGIN_FAILED, target=target, record_ref_key=bytes(32))


def test_it_refuses_a_ref_key_of_the_wrong_size(target):
    with transaction.atomic(), pytest.raises(ValueError, match="32 bytes"):
        record_requester_event(EventType.REQUEST_RECEIVED, target=target, record_ref_key=b"short")


def test_it_verifies_a_chain_whose_coarse_times_repeat_and_go_back(clock, target):
    key = os.urandom(32)
    clock(datetime(2026, 12, 6, 10, 59, tzinfo=UTC))
    with transaction.atomic():
        record_event(EventType.LOGIN_FAILED)
    requester_event(target, key)  # 10:00, after a row of 10:59
    requester_event(target, key)  # 10:00 again
    clock(datetime(2026, 12, 6, 11, 1, tzinfo=UTC))
    with transaction.atomic():
        record_event(EventType.LOGIN_FAILED)
    result = verify_chain(None, settings.AUDIT_ANCHOR_KEY)
    assert result.ok, result
    assert result.rows_checked == 4
