"""Suspension ends every session at once; password resets; the last admins stay."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client

from safehaven.accounts.actions import ActionRefused, do_remove_membership, do_suspend_user
from safehaven.accounts.models import Membership, Role, SuspensionReason, User
from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def logged_in_via_login_view(user, totp_code, secret) -> Client:
    client = Client()
    client.post("/en/accounts/login/", {"login": user.email, "password": TEST_PASSWORD})
    client.post("/en/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert client.get("/en/staff/").status_code == 200
    return client


def test_it_ends_all_sessions_when_suspending(world, totp_code):
    user = world.users["caseworker"]
    laptop = logged_in_via_login_view(user, totp_code, world.totp_secrets["caseworker"])
    admin = Client()
    admin.force_login(world.users["admin"])
    response = admin.post(f"/en/staff/admin/people/{user.pk}/suspend/", {"reason": "lost_device"})
    assert response.status_code == 302
    assert laptop.get("/en/staff/").status_code == 302
    user.refresh_from_db()
    assert user.is_suspended
    assert user.suspension_reason == SuspensionReason.LOST_DEVICE
    assert not user.is_active
    assert AuditEvent.objects.filter(event_type=EventType.USER_SUSPENDED).exists()
    # and the password no longer logs in
    response = Client().post(
        "/en/accounts/login/", {"login": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code != 302 or "2fa" not in response.get("Location", "")


def test_it_refuses_a_suspension_without_a_reason(world):
    admin = Client()
    admin.force_login(world.users["admin"])
    user = world.users["caseworker"]
    admin.post(f"/en/staff/admin/people/{user.pk}/suspend/", {"reason": ""})
    user.refresh_from_db()
    assert not user.is_suspended


def test_it_refuses_a_reason_in_free_text(world, staff_client):
    user = world.users["caseworker"]
    response = staff_client("admin").post(
        f"/en/staff/admin/people/{user.pk}/suspend/",
        {"reason": "drinks with Ahmed from the Bishkek shelter"},
        follow=True,
    )
    assert "Choose a reason for the suspension." in response.content.decode()
    user.refresh_from_db()
    assert not user.is_suspended
    assert user.suspension_reason == ""


def test_it_shows_the_reason_in_words(world, staff_client):
    user = world.users["caseworker"]
    client = staff_client("admin")
    client.post(f"/en/staff/admin/people/{user.pk}/suspend/", {"reason": "on_leave"})
    assert "(On leave)" in client.get(f"/en/staff/admin/people/{user.pk}/").content.decode()


def test_it_turns_free_text_reasons_written_before_into_other(world):
    migration = importlib.import_module(
        "safehaven.accounts.migrations.0004_suspension_reason_from_a_fixed_list"
    )
    User.objects.filter(pk=world.users["caseworker"].pk).update(
        suspension_reason="met Ahmed in Bishkek"
    )
    User.objects.filter(pk=world.users["finance"].pk).update(suspension_reason="on_leave")
    migration.replace_free_text_with_other(apps, SimpleNamespace(connection=connection))
    reasons = dict(User.objects.values_list("username", "suspension_reason"))
    assert reasons["caseworker"] == SuspensionReason.OTHER
    assert reasons["finance"] == SuspensionReason.ON_LEAVE
    assert reasons["triage"] == ""


def test_it_refuses_self_suspension(world):
    with pytest.raises(ActionRefused):
        do_suspend_user(
            user=world.users["admin"], reason=SuspensionReason.OTHER, actor=world.users["admin"]
        )


def test_it_keeps_at_least_two_admins(world):
    membership = Membership.objects.get(user=world.users["admin2"], role=Role.ADMIN)
    with pytest.raises(ActionRefused, match="two administrators"):
        do_remove_membership(membership=membership, actor=world.users["admin"])


def test_it_resets_a_password_showing_it_once(world, staff_client):
    admin = staff_client("admin")
    user = world.users["finance"]
    response = admin.post(f"/en/staff/admin/people/{user.pk}/reset-password/")
    assert response.status_code == 200
    password = response.context["password"]
    user.refresh_from_db()
    assert user.check_password(password)
    assert not user.check_password(TEST_PASSWORD)


def test_it_keeps_two_other_admins_when_suspending(world):
    with pytest.raises(ActionRefused, match="two administrators"):
        do_suspend_user(
            user=world.users["admin2"], reason=SuspensionReason.OTHER, actor=world.users["admin"]
        )


def test_it_rotates_team_keys_when_suspending(world):
    from safehaven.keys.models import TeamKey

    team = world.teams["triage"]
    before = TeamKey.objects.filter(team=team).count()
    do_suspend_user(
        user=world.users["triage"], reason=SuspensionReason.LEFT, actor=world.users["admin"]
    )
    assert TeamKey.objects.filter(team=team).count() == before + 1
