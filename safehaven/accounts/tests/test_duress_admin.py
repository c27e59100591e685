"""A coerced administrator's session reveals nothing and changes nothing (SECURITY.md T4)."""

import pytest
from django.test import Client

from safehaven.accounts.models import Invite, User
from safehaven.accounts.tests.helpers import TEST_PASSWORD, mark_reauthenticated
from safehaven.core.models import AuditEvent
from safehaven.keys.actions.duress import do_set_duress_password

pytestmark = pytest.mark.django_db

DURESS = "the garden gate is open"


def log_in(user, password: str, secret: str, totp_code) -> Client:
    client = Client()
    response = client.post("/en/accounts/login/", {"login": user.email, "password": password})
    assert response.status_code == 302
    client.post("/en/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert client.get("/en/staff/").status_code == 200
    return client


@pytest.fixture
def coerced_admin(world, totp_code) -> Client:
    admin = world.users["admin"]
    do_set_duress_password(admin, DURESS, actor=admin)
    client = log_in(admin, DURESS, world.totp_secrets["admin"], totp_code)
    mark_reauthenticated(client, admin)
    return client


def test_it_shows_empty_lists_and_hides_people(world, coerced_admin):
    people = coerced_admin.get("/en/staff/admin/people/").content.decode()
    assert "admin2" not in people
    assert "partner_a" not in people
    organisations = coerced_admin.get("/en/staff/admin/organisations/").content.decode()
    assert "Rainbow Network East" not in organisations
    own_page = coerced_admin.get(f"/en/staff/admin/people/{world.users['admin'].pk}/")
    assert own_page.status_code == 404
    assert (
        coerced_admin.get(f"/en/staff/admin/people/{world.users['admin2'].pk}/").status_code == 404
    )
    audit = coerced_admin.get("/en/staff/admin/audit/")
    assert audit.status_code == 200
    assert list(audit.context["events"]) == []


def test_it_pretends_to_save_but_changes_nothing(world, coerced_admin):
    admin2 = world.users["admin2"]
    response = coerced_admin.post(
        f"/en/staff/admin/people/{admin2.pk}/suspend/", {"reason": "told to"}, follow=True
    )
    assert response.status_code == 200
    assert "Saved." in response.content.decode()
    admin2.refresh_from_db()
    assert not admin2.is_suspended
    events_before = AuditEvent.objects.count()
    coerced_admin.post(
        "/en/staff/admin/people/invite/",
        {
            "email": "agent@example.org",
            "organisation": world.organisation.pk,
            "role": "triage",
            "scope": "own",
        },
    )
    assert not Invite.objects.exists()
    assert AuditEvent.objects.count() == events_before


def test_it_accepts_the_duress_password_as_current_and_keeps_the_real_one(world, coerced_admin):
    response = coerced_admin.post(
        "/en/accounts/password/change/",
        {
            "oldpassword": DURESS,
            "password1": "chosen by the coercer 1",
            "password2": "chosen by the coercer 1",
        },
    )
    assert response.status_code == 302
    admin = User.objects.get(pk=world.users["admin"].pk)
    assert admin.check_password(TEST_PASSWORD)
    assert not admin.check_password("chosen by the coercer 1")
