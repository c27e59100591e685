"""Reinstating, unlocking and removing a role ask for the administrator's password again, like
the other sensitive administrator actions: a stolen session alone cannot do them."""

import pytest

from safehaven.accounts.models import Membership, Role, SuspensionReason, User

pytestmark = pytest.mark.django_db


def assert_sent_to_reauthenticate(response) -> None:
    assert response.status_code == 302
    assert "/accounts/reauthenticate/" in response["Location"]


def test_it_asks_for_a_fresh_password_before_reinstating(world, staff_client):
    user = world.users["caseworker"]
    user.suspend(SuspensionReason.SECURITY_CONCERN)
    user.save()
    client = staff_client("admin", reauthenticated=False)
    assert_sent_to_reauthenticate(client.post(f"/en/staff/admin/people/{user.pk}/reinstate/"))
    assert User.objects.get(pk=user.pk).is_suspended
    fresh = staff_client("admin")
    assert fresh.post(f"/en/staff/admin/people/{user.pk}/reinstate/").status_code == 302
    assert not User.objects.get(pk=user.pk).is_suspended


def test_it_asks_for_a_fresh_password_before_unlocking(world, staff_client):
    user = world.users["triage"]
    client = staff_client("admin", reauthenticated=False)
    assert_sent_to_reauthenticate(client.post(f"/en/staff/admin/people/{user.pk}/unlock/"))


def test_it_asks_for_a_fresh_password_before_removing_a_role(world, staff_client):
    membership = Membership.objects.get(user=world.users["advocacy"], role=Role.ADVOCACY)
    client = staff_client("admin", reauthenticated=False)
    assert_sent_to_reauthenticate(client.post(f"/en/staff/admin/roles/{membership.pk}/remove/"))
    assert Membership.objects.filter(pk=membership.pk).exists()
    fresh = staff_client("admin")
    assert fresh.post(f"/en/staff/admin/roles/{membership.pk}/remove/").status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
