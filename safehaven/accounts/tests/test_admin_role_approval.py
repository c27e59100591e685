"""The administrator role needs a second administrator's approval: one administrator alone
must not mint another administrator (whose invitation link and code they hold) who then
approves their requests (outside review, finding 5)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from safehaven.accounts.actions import ActionRefused, do_add_membership, do_invite_staff
from safehaven.accounts.approvals.actions import do_approve_change, do_request_role_grant
from safehaven.accounts.approvals.checks import ApprovalMissing
from safehaven.accounts.models import AdminApproval, ApprovalState, Membership, Role, Scope
from safehaven.keys.tests.helpers import make_user

pytestmark = pytest.mark.django_db


def is_admin(user) -> bool:
    return Membership.objects.filter(user=user, role=Role.ADMIN).exists()


def request_admin_role(world, user, *, by: str = "admin") -> AdminApproval:
    return do_request_role_grant(
        user=user,
        organisation=world.organisation,
        team=None,
        role=Role.ADMIN,
        scope=Scope.ORGANISATION,
        actor=world.users[by],
    )


def test_it_refuses_an_invitation_as_administrator(world):
    with pytest.raises(ActionRefused, match="second administrator's approval"):
        do_invite_staff(
            email="puppet@x.test",
            organisation=world.organisation,
            role=Role.ADMIN,
            actor=world.users["admin"],
            accept_url_for=lambda token: token,
        )


def test_it_refuses_the_administrator_role_from_one_administrator_alone(world):
    puppet = make_user("puppet")
    with pytest.raises(ApprovalMissing):
        do_add_membership(
            user=puppet,
            organisation=world.organisation,
            role=Role.ADMIN,
            actor=world.users["admin"],
        )
    assert not is_admin(puppet)


def test_it_grants_the_administrator_role_when_a_second_administrator_approves(world):
    newcomer = make_user("newcomer")
    approval = request_admin_role(world, newcomer)
    assert not is_admin(newcomer)
    do_approve_change(approval=approval, actor=world.users["admin2"])
    assert is_admin(newcomer)


def test_it_does_not_count_an_approver_who_became_administrator_after_the_request(world):
    insider = world.users["admin"]
    approval = do_request_role_grant(
        user=insider,
        organisation=world.organisation,
        team=world.teams["triage"],
        role=Role.TRIAGE,
        scope=Scope.TEAM,
        actor=insider,
    )
    AdminApproval.objects.filter(pk=approval.pk).update(
        requested_at=timezone.now() - timedelta(hours=1)
    )
    approval.refresh_from_db()
    late_admin = make_user("late_admin")
    Membership.objects.create(user=late_admin, organisation=world.organisation, role=Role.ADMIN)
    with pytest.raises(ActionRefused, match="who already was one when this was asked"):
        do_approve_change(approval=approval, actor=late_admin)
    approval.refresh_from_db()
    assert approval.state == ApprovalState.PENDING
    assert not Membership.objects.filter(user=insider, team=world.teams["triage"]).exists()


def test_it_only_asks_when_an_administrator_grants_the_administrator_role_on_the_page(
    world, staff_client
):
    subject = world.users["advocacy"]
    response = staff_client("admin").post(
        f"/en/staff/admin/people/{subject.pk}/roles/",
        {"organisation": world.organisation.pk, "role": Role.ADMIN, "scope": Scope.ORGANISATION},
        follow=True,
    )
    assert "A second administrator must approve this" in response.content.decode()
    assert not is_admin(subject)
    approval = AdminApproval.objects.get()
    assert approval.role == Role.ADMIN
    assert approval.team is None
    page = staff_client("admin2").get("/en/staff/admin/approvals/").content.decode()
    assert f"Grant {subject.username} the role “Administrator”" in page


def test_it_does_not_offer_the_administrator_role_on_the_invitation_page(world, staff_client):
    page = staff_client("admin").get("/en/staff/admin/people/invite/").content.decode()
    assert 'value="admin"' not in page
    assert "ask for the administrator role on their page" in page


def test_the_review_poc_the_inviter_cannot_mint_an_approving_puppet(world):
    # Adapted from the outside review: invite a puppet as administrator, accept with the code
    # the inviter holds, and have the puppet approve the inviter's own triage grant.
    insider = world.users["admin"]
    with pytest.raises(ActionRefused):
        do_invite_staff(
            email="puppet@x.test",
            organisation=world.organisation,
            role=Role.ADMIN,
            actor=insider,
            accept_url_for=lambda token: token,
        )
    puppet = make_user("puppet")
    with pytest.raises(ApprovalMissing):
        do_add_membership(
            user=puppet, organisation=world.organisation, role=Role.ADMIN, actor=insider
        )
    approval = do_request_role_grant(
        user=insider,
        organisation=world.organisation,
        role=Role.TRIAGE,
        scope=Scope.OWN,
        team=world.teams["triage"],
        actor=insider,
    )
    with pytest.raises(ActionRefused):
        do_approve_change(approval=approval, actor=puppet)
    assert not Membership.objects.filter(user=insider, team=world.teams["triage"]).exists()
