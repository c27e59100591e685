"""After an administrator reset, the person chooses their own password and gets fresh keys."""

import pytest
from django.test import Client

from safehaven.keys.models import UserKeyPair

pytestmark = pytest.mark.django_db

OWN_PASSWORD = "only I know this one 99"


def test_it_forces_a_password_change_with_a_fresh_key_pair(world, staff_client, totp_code):
    finance = world.users["finance"]
    old_public_key = bytes(UserKeyPair.objects.get(user=finance).public_key)
    response = staff_client("admin").post(f"/en/staff/admin/people/{finance.pk}/reset-password/")
    temporary = response.context["password"]

    client = Client()
    client.post("/en/accounts/login/", {"login": finance.email, "password": temporary})
    client.post(
        "/en/accounts/2fa/authenticate/", {"code": totp_code(world.totp_secrets["finance"])}
    )
    home = client.get("/en/staff/")
    assert home.status_code == 302
    assert home["Location"] == "/en/accounts/password/change/"

    response = client.post(
        "/en/accounts/password/change/",
        {"oldpassword": temporary, "password1": OWN_PASSWORD, "password2": OWN_PASSWORD},
    )
    assert response.status_code == 302
    finance.refresh_from_db()
    assert not finance.must_change_password
    assert finance.check_password(OWN_PASSWORD)
    assert bytes(UserKeyPair.objects.get(user=finance).public_key) != old_public_key
    assert client.get("/en/staff/").status_code == 200
