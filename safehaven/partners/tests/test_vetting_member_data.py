"""What is kept in clear about a partner organisation's members: what logging in needs (an
e-mail address to log in with and to send the invitation to, a username of their choosing),
no name, and no address or browser for their sessions."""

from __future__ import annotations

import pytest
from allauth.usersessions.models import UserSession

from safehaven.accounts.actions import (
    ActionRefused,
    do_accept_invite,
    do_invite_staff,
    invite_token_hash,
)
from safehaven.accounts.forms import AcceptInviteForm, InviteStaffForm
from safehaven.accounts.models import Invite, Role, User
from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.partners.vetting.actions import do_suspend_partner


def test_no_form_asks_a_partner_member_for_a_name():
    assert set(InviteStaffForm().fields) == {"email", "organisation", "team", "role", "scope"}
    assert set(AcceptInviteForm().fields) == {
        "acceptance_code",
        "username",
        "password",
        "password_again",
    }
    assert "need not be your real name" in str(AcceptInviteForm().fields["username"].help_text)


@pytest.mark.django_db
def test_an_invited_partner_member_has_no_name_stored(world):
    invite, code = do_invite_staff(
        email="Field.Contact@partner.test",
        organisation=world.partner_a,
        role=Role.PARTNER,
        actor=world.users["admin"],
        accept_url_for=lambda token: f"https://example.test/{token}",
    )
    # The token is mailed, never stored: accept through a token of our own.
    token = "not-kept"
    Invite.objects.filter(pk=invite.pk).update(token_hash=invite_token_hash(token))
    user = do_accept_invite(token=token, code=code, username="lantern", password=TEST_PASSWORD)
    user = User.objects.get(pk=user.pk)
    assert (user.first_name, user.last_name) == ("", "")
    assert user.email == "field.contact@partner.test"
    assert user.username == "lantern"


@pytest.mark.django_db
def test_a_partner_members_session_keeps_no_address_or_browser(world):
    staff_client_with_keys(world, "partner_a")
    (session,) = UserSession.objects.filter(user=world.users["partner_a"])
    assert session.ip == "::"
    assert session.user_agent == ""


@pytest.mark.django_db
def test_an_invitation_to_a_suspended_partner_cannot_be_accepted(world):
    invite, code = do_invite_staff(
        email="late@partner.test",
        organisation=world.partner_a,
        role=Role.PARTNER,
        actor=world.users["admin"],
        accept_url_for=lambda token: f"https://example.test/{token}",
    )
    Invite.objects.filter(pk=invite.pk).update(token_hash=invite_token_hash("late-token"))
    do_suspend_partner(world.partner_a, actor=world.users["admin"])
    with pytest.raises(ActionRefused):
        do_accept_invite(token="late-token", code=code, username="late", password=TEST_PASSWORD)
    assert not User.objects.filter(username="late").exists()
