"""Restoring a coerced colleague's keys: asked by one administrator, approved by a second
in their own re-authenticated session. No page asks for another person's password."""

import pytest
from django.utils import timezone

from safehaven.accounts.actions import ActionRefused
from safehaven.accounts.approvals.actions import do_request_restore_after_duress
from safehaven.accounts.models import AdminApproval, ApprovalKind, ApprovalState
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.keys.models import UserKeyPair

pytestmark = pytest.mark.django_db


def suspend_keys_of(user) -> None:
    UserKeyPair.objects.filter(user=user).update(suspended_at=timezone.now())


def keys_suspended(user) -> bool:
    return UserKeyPair.objects.filter(user=user, suspended_at__isnull=False).exists()


def test_it_asks_for_no_password_of_a_second_administrator(world, staff_client):
    member = world.users["triage"]
    suspend_keys_of(member)
    page = staff_client("admin").get(f"/en/staff/admin/people/{member.pk}/").content.decode()
    assert "Ask to restore keys" in page
    assert 'type="password"' not in page


def test_it_restores_keys_only_after_a_second_administrator_approves(world, staff_client):
    member = world.users["triage"]
    suspend_keys_of(member)
    response = staff_client("admin").post(
        f"/en/staff/admin/people/{member.pk}/restore-keys/", follow=True
    )
    assert "A second administrator must approve this on the Approvals page" in (
        response.content.decode()
    )
    assert keys_suspended(member)
    approval = AdminApproval.objects.get(kind=ApprovalKind.RESTORE_AFTER_DURESS)
    second = staff_client("admin2")
    response = second.post(f"/en/staff/admin/approvals/{approval.pk}/approve/", follow=True)
    assert "Approved and done." in response.content.decode()
    assert not keys_suspended(member)
    approval.refresh_from_db()
    assert approval.state == ApprovalState.APPROVED
    restored = AuditEvent.objects.get(event_type=EventType.DURESS_RESTORED)
    assert restored.actor_id == world.users["admin2"].pk
    assert f"#{world.users['admin'].pk}" in restored.detail


def test_it_refuses_the_asking_administrator_as_the_second(world, staff_client):
    member = world.users["triage"]
    suspend_keys_of(member)
    client = staff_client("admin")
    client.post(f"/en/staff/admin/people/{member.pk}/restore-keys/")
    approval = AdminApproval.objects.get()
    response = client.post(f"/en/staff/admin/approvals/{approval.pk}/approve/", follow=True)
    assert "A second administrator must approve what you asked for." in (response.content.decode())
    assert keys_suspended(member)


def test_it_refuses_to_ask_for_keys_that_are_not_suspended(world, staff_client):
    member = world.users["triage"]
    response = staff_client("admin").post(
        f"/en/staff/admin/people/{member.pk}/restore-keys/", follow=True
    )
    assert "This person&#x27;s keys are not suspended." in response.content.decode()
    assert not AdminApproval.objects.exists()


def test_it_refuses_to_let_a_coerced_administrator_ask_for_their_own_keys(world):
    admin = world.users["admin"]
    suspend_keys_of(admin)
    with pytest.raises(ActionRefused, match="cannot restore them"):
        do_request_restore_after_duress(user=admin, actor=admin)
