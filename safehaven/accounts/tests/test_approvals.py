"""Granting a role in a team that holds keys: one administrator asks, a second one approves
from their own, re-authenticated session (SECURITY.md, two-person rules)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from safehaven.accounts.actions import ActionRefused, do_add_membership
from safehaven.accounts.approvals.actions import (
    do_approve_change,
    do_refuse_change,
    do_request_role_grant,
)
from safehaven.accounts.approvals.checks import ApprovalMissing
from safehaven.accounts.models import AdminApproval, ApprovalState, Invite, Membership, Role, Scope
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.keys.models import UserKeyPair

pytestmark = pytest.mark.django_db


def grant_triage_form(world) -> dict[str, object]:
    return {
        "organisation": world.organisation.pk,
        "team": world.teams["triage"].pk,
        "role": Role.TRIAGE,
        "scope": Scope.TEAM,
    }


def requested_grant(world, *, subject: str = "advocacy", by: str = "admin") -> AdminApproval:
    return do_request_role_grant(
        user=world.users[subject],
        organisation=world.organisation,
        team=world.teams["triage"],
        role=Role.TRIAGE,
        scope=Scope.TEAM,
        actor=world.users[by],
    )


def holds_triage_role(user) -> bool:
    return Membership.objects.filter(user=user, role=Role.TRIAGE).exists()


def test_it_only_asks_when_one_administrator_grants_a_role_in_a_keyed_team(world, staff_client):
    subject = world.users["advocacy"]
    response = staff_client("admin").post(
        f"/en/staff/admin/people/{subject.pk}/roles/", grant_triage_form(world), follow=True
    )
    assert "A second administrator must approve this on the Approvals page" in (
        response.content.decode()
    )
    assert not holds_triage_role(subject)
    approval = AdminApproval.objects.get()
    assert approval.state == ApprovalState.PENDING
    assert approval.requested_by == world.users["admin"]
    assert AuditEvent.objects.filter(event_type=EventType.APPROVAL_REQUESTED).count() == 1


def test_it_grants_the_role_once_a_second_administrator_approves(world, staff_client):
    subject = world.users["advocacy"]
    staff_client("admin").post(
        f"/en/staff/admin/people/{subject.pk}/roles/", grant_triage_form(world)
    )
    approval = AdminApproval.objects.get()
    second = staff_client("admin2")
    listing = second.get("/en/staff/admin/approvals/").content.decode()
    assert "Grant advocacy the role" in listing
    response = second.post(f"/en/staff/admin/approvals/{approval.pk}/approve/", follow=True)
    assert "Approved and done." in response.content.decode()
    assert holds_triage_role(subject)
    approval.refresh_from_db()
    assert approval.state == ApprovalState.APPROVED
    assert approval.decided_by == world.users["admin2"]
    given = AuditEvent.objects.get(event_type=EventType.APPROVAL_GIVEN)
    assert given.actor_id == world.users["admin2"].pk
    assert f"asked by #{world.users['admin'].pk}" in given.detail
    added = AuditEvent.objects.get(event_type=EventType.MEMBERSHIP_ADDED)
    assert added.actor_id == world.users["admin2"].pk


def test_it_refuses_approval_by_the_administrator_who_asked(world, staff_client):
    approval = requested_grant(world)
    response = staff_client("admin").post(
        f"/en/staff/admin/approvals/{approval.pk}/approve/", follow=True
    )
    assert "A second administrator must approve what you asked for." in (response.content.decode())
    assert not holds_triage_role(world.users["advocacy"])
    approval.refresh_from_db()
    assert approval.state == ApprovalState.PENDING


def test_it_refuses_approval_by_the_person_the_change_is_about(world, staff_client):
    # admin2 asks for admin to get the triage role; admin may not approve it.
    approval = requested_grant(world, subject="admin", by="admin2")
    response = staff_client("admin").post(
        f"/en/staff/admin/approvals/{approval.pk}/approve/", follow=True
    )
    assert "A change about you must be approved by someone else." in response.content.decode()
    assert not holds_triage_role(world.users["admin"])


def test_it_refuses_an_expired_request(world, staff_client):
    approval = requested_grant(world)
    AdminApproval.objects.filter(pk=approval.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = staff_client("admin2").post(
        f"/en/staff/admin/approvals/{approval.pk}/approve/", follow=True
    )
    assert "This request has expired. Ask again." in response.content.decode()
    assert not holds_triage_role(world.users["advocacy"])
    assert (
        "Grant advocacy"
        not in staff_client("admin2").get("/en/staff/admin/approvals/").content.decode()
    )


def test_it_refuses_a_request_used_already(world):
    approval = requested_grant(world)
    do_approve_change(approval=approval, actor=world.users["admin2"])
    with pytest.raises(ActionRefused, match="already approved or refused"):
        do_approve_change(approval=approval, actor=world.users["admin2"])
    assert Membership.objects.filter(user=world.users["advocacy"], role=Role.TRIAGE).count() == 1


def test_it_refuses_to_approve_a_refused_request(world, staff_client):
    approval = requested_grant(world)
    response = staff_client("admin2").post(
        f"/en/staff/admin/approvals/{approval.pk}/refuse/", follow=True
    )
    assert "Refused. Nothing was changed." in response.content.decode()
    assert AuditEvent.objects.filter(event_type=EventType.APPROVAL_REFUSED).count() == 1
    with pytest.raises(ActionRefused, match="already approved or refused"):
        do_approve_change(approval=approval, actor=world.users["admin2"])
    assert not holds_triage_role(world.users["advocacy"])


def test_it_forbids_approval_pages_to_anyone_but_administrators(world, staff_client):
    approval = requested_grant(world)
    client = staff_client("supervisor")
    assert client.get("/en/staff/admin/approvals/").status_code == 403
    assert client.post(f"/en/staff/admin/approvals/{approval.pk}/approve/").status_code == 403
    assert not holds_triage_role(world.users["advocacy"])


def test_it_sends_an_administrator_without_a_fresh_password_to_reauthenticate(world, staff_client):
    approval = requested_grant(world)
    client = staff_client("admin2", reauthenticated=False)
    response = client.post(f"/en/staff/admin/approvals/{approval.pk}/approve/")
    assert response.status_code == 302
    assert "/accounts/reauthenticate/" in response["Location"]
    assert not holds_triage_role(world.users["advocacy"])


def test_it_refuses_an_approver_whose_keys_a_duress_login_suspended(world):
    approval = requested_grant(world)
    UserKeyPair.objects.filter(user=world.users["admin2"]).update(suspended_at=timezone.now())
    with pytest.raises(ActionRefused, match="Only an active administrator"):
        do_approve_change(approval=approval, actor=world.users["admin2"])
    assert not holds_triage_role(world.users["advocacy"])


def test_it_refuses_an_approver_who_is_no_administrator(world):
    approval = requested_grant(world)
    with pytest.raises(ActionRefused, match="Only an active administrator"):
        do_approve_change(approval=approval, actor=world.users["supervisor"])


def test_it_refuses_when_the_requester_was_suspended_since(world):
    approval = requested_grant(world)
    world.users["admin"].suspend("security_concern")
    world.users["admin"].save()
    with pytest.raises(ActionRefused, match="no longer active"):
        do_approve_change(approval=approval, actor=world.users["admin2"])


def test_it_lets_the_requester_withdraw(world):
    approval = requested_grant(world)
    do_refuse_change(approval=approval, actor=world.users["admin"])
    approval.refresh_from_db()
    assert approval.state == ApprovalState.REFUSED


def test_it_grants_a_role_outside_keyed_teams_in_one_step(world, staff_client):
    subject = world.users["advocacy"]
    response = staff_client("admin").post(
        f"/en/staff/admin/people/{subject.pk}/roles/",
        {"organisation": world.organisation.pk, "role": Role.INTERPRETER, "scope": "own"},
        follow=True,
    )
    assert "Role granted." in response.content.decode()
    assert Membership.objects.filter(user=subject, role=Role.INTERPRETER).exists()
    assert not AdminApproval.objects.exists()


def test_it_pretends_to_approve_in_a_duress_session_and_changes_nothing(world, staff_client):
    approval = requested_grant(world)
    # A duress login suspends the key pair; the session then shows an empty workspace.
    UserKeyPair.objects.filter(user=world.users["admin2"]).update(suspended_at=timezone.now())
    coerced = staff_client("admin2")
    assert "Grant advocacy" not in coerced.get("/en/staff/admin/approvals/").content.decode()
    response = coerced.post(f"/en/staff/admin/approvals/{approval.pk}/approve/", follow=True)
    assert "Saved." in response.content.decode()
    assert not holds_triage_role(world.users["advocacy"])
    approval.refresh_from_db()
    assert approval.state == ApprovalState.PENDING


def test_it_refuses_an_invitation_into_a_team_that_holds_keys(world, staff_client):
    response = staff_client("admin").post(
        "/en/staff/admin/people/invite/",
        {
            "email": "newcomer@staff.test",
            "organisation": world.organisation.pk,
            "team": world.teams["triage"].pk,
            "role": Role.TRIAGE,
            "scope": Scope.TEAM,
        },
    )
    assert response.status_code == 200
    assert "Invite them without a team. A role in a team that holds keys is granted" in (
        response.content.decode()
    )
    assert not Invite.objects.exists()


def test_it_refuses_a_role_in_a_keyed_team_without_an_approval(world):
    # The two-person rule lives in the action too: a view that skipped the request step
    # could not grant the role in one move.
    with pytest.raises(ApprovalMissing):
        do_add_membership(
            user=world.users["finance"],
            organisation=world.organisation,
            role=Role.TRIAGE,
            team=world.teams["triage"],
            actor=world.users["admin"],
        )
    assert not Membership.objects.filter(
        user=world.users["finance"], team=world.teams["triage"]
    ).exists()


def test_it_refuses_an_approval_that_covers_another_change(world):
    admin1, admin2 = world.users["admin"], world.users["admin2"]
    approval = do_request_role_grant(
        user=world.users["finance"],
        organisation=world.organisation,
        role=Role.TRIAGE,
        scope=Scope.OWN,
        team=world.teams["triage"],
        actor=admin1,
    )
    do_refuse_change(approval=approval, actor=admin2)
    approval.refresh_from_db()
    for subject, actor in ((world.users["finance"], admin2), (world.users["advocacy"], admin2)):
        with pytest.raises(ApprovalMissing):
            do_add_membership(
                user=subject,
                organisation=world.organisation,
                role=Role.TRIAGE,
                team=world.teams["triage"],
                actor=actor,
                approval=approval,
            )
