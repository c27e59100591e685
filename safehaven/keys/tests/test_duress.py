"""Duress password (T4): a normal-looking login to an empty workspace that silently suspends
the user's keys and sessions and alerts the administrators."""

import uuid

import pytest
from django.contrib.auth import authenticate
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client

from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.keys import backends, duress
from safehaven.keys.actions.duress import do_restore_after_duress, do_set_duress_password
from safehaven.keys.exceptions import KeyActionRefused, RecordUnavailable
from safehaven.keys.login_key import UNLOCKED_ATTRIBUTE, is_duress_session
from safehaven.keys.models import RecordKeyWrap, TeamKeyWrap, UserKeyPair
from safehaven.keys.records import can_open, new_record_key, open_record
from safehaven.keys.tests.helpers import PASSWORD, request_with_session

pytestmark = pytest.mark.django_db
DURESS = "my other phrase 5521 of nothing"
LOGIN_URL = "/en/accounts/login/"


@pytest.fixture
def coerced(world):
    worker = world.users["worker"]
    do_set_duress_password(worker, DURESS, actor=worker)
    return worker


def login(email, password):
    client = Client()
    response = client.post(LOGIN_URL, {"login": email, "password": password})
    return client, response


def test_it_looks_like_a_normal_login_and_opens_an_empty_workspace(world, coerced):
    real_client, real = login(coerced.email, PASSWORD)
    duress_client, duress = login(coerced.email, DURESS)
    assert (duress.status_code, duress["Location"]) == (real.status_code, real["Location"])
    assert sorted(duress.cookies) == sorted(real.cookies)
    assert duress_client.session["workspace_empty"] is True
    assert "workspace_empty" not in Client().session
    # The real session that was open before is gone.
    assert not Session.objects.filter(session_key=real_client.session.session_key).exists()


def test_it_suspends_every_key_until_two_admins_restore(world, coerced):
    record_id = uuid.uuid4()
    new_record_key(record_id, readers=[coerced, world.casework])
    real_key = world.key("worker")
    request = request_with_session()
    assert authenticate(request, email=coerced.email, password=DURESS) == coerced
    assert is_duress_session(request)
    # A decoy fills the cookie so the browser looks the same; it is not the private key.
    assert getattr(request, UNLOCKED_ATTRIBUTE)[1] != real_key

    assert UserKeyPair.objects.get(user=coerced).suspended_at is not None
    assert not TeamKeyWrap.objects.filter(user=coerced, suspended=False).exists()
    assert not RecordKeyWrap.objects.filter(user=coerced, suspended=False).exists()
    with pytest.raises(RecordUnavailable):
        open_record(record_id, user=coerced, private_key=real_key)
    # Even the real password now unlocks nothing, and its workspace looks just as empty.
    request = request_with_session()
    assert authenticate(request, email=coerced.email, password=PASSWORD) == coerced
    assert not hasattr(request, UNLOCKED_ATTRIBUTE)
    request.user = coerced
    assert is_duress_session(request)

    admin1, admin2, _admin3 = world.admins
    with pytest.raises(KeyActionRefused, match="Two different administrators"):
        do_restore_after_duress(coerced, admin_a=admin1, admin_b=admin1, actor=admin1)
    with pytest.raises(KeyActionRefused, match="active administrators"):
        do_restore_after_duress(
            coerced, admin_a=admin1, admin_b=world.users["worker2"], actor=admin1
        )
    with pytest.raises(KeyActionRefused, match="cannot restore them"):
        do_restore_after_duress(coerced, admin_a=admin1, admin_b=coerced, actor=admin1)
    assert not can_open(record_id, user=coerced, private_key=real_key)

    do_restore_after_duress(coerced, admin_a=admin1, admin_b=admin2, actor=admin2)
    assert can_open(record_id, user=coerced, private_key=real_key)
    assert not is_duress_session(request)
    assert AuditEvent.objects.filter(event_type=EventType.DURESS_RESTORED).exists()


def test_it_records_and_mails_a_neutral_alert(world, coerced):
    login(coerced.email, DURESS)
    assert AuditEvent.objects.filter(
        event_type=EventType.DURESS_LOGIN, target_ref=str(coerced.pk)
    ).exists()
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(admin.email for admin in world.admins)
    for message in mail.outbox:
        assert message.subject == "Workspace notice"
        # It names the page as the menu does, so the administrator can find it.
        assert "open the audit log" in message.body
        for revealing in (coerced.username, coerced.email, "duress", "coerc"):
            assert revealing not in (message.subject + message.body).lower()


def test_it_checks_both_hashes_and_unwraps_once_on_every_login(world, coerced, monkeypatch):
    duress_checks, unwraps = [], []
    real_check, real_unprotect = backends.check_password, backends.unprotect_with_password

    def counted_check(*args):
        duress_checks.append(1)
        return real_check(*args)

    def counted_unprotect(*args):
        unwraps.append(1)
        return real_unprotect(*args)

    # The duress hash is checked in keys.duress; an unknown address pays a dummy check in the
    # backend instead.
    monkeypatch.setattr(backends, "check_password", counted_check)
    monkeypatch.setattr(duress, "check_password", counted_check)
    monkeypatch.setattr(backends, "unprotect_with_password", counted_unprotect)
    for email, password, expected_unwraps in (
        (coerced.email, PASSWORD, 1),
        (coerced.email, DURESS, 1),
        (coerced.email, "wrong password entirely", 0),
        ("nobody@staff.test", PASSWORD, 0),
        (world.users["worker2"].email, PASSWORD, 1),
    ):
        duress_checks.clear()
        unwraps.clear()
        authenticate(request_with_session(), email=email, password=password)
        assert len(duress_checks) == 1, email
        assert len(unwraps) == expected_unwraps, email


def test_it_refuses_a_duress_password_equal_to_the_real_one(world):
    worker = world.users["worker"]
    with pytest.raises(KeyActionRefused, match="must differ"):
        do_set_duress_password(worker, PASSWORD, actor=worker)
    with pytest.raises(KeyActionRefused, match="Only the person"):
        do_set_duress_password(worker, DURESS, actor=world.users["admin1"])
    assert AuditEvent.objects.filter(event_type=EventType.DURESS_PASSWORD_SET).count() == 0
