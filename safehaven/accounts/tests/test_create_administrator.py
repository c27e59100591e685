"""Bootstrapping the first administrators of a new installation from the terminal."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from safehaven.accounts.models import Membership, Organisation, Role, User
from safehaven.keys.models import UserKeyPair

pytestmark = pytest.mark.django_db

PASSWORD = "a long first admin passphrase"


@pytest.fixture
def typed_passwords(monkeypatch):
    answers: list[str] = []
    monkeypatch.setattr("getpass.getpass", lambda prompt="": answers.pop(0))
    return answers


def test_it_creates_the_organisation_and_an_administrator_with_keys(typed_passwords):
    typed_passwords.extend([PASSWORD, PASSWORD])
    out = StringIO()
    call_command(
        "create_administrator", "ana", "Ana@Example.org", "--organisation", "Haven", stdout=out
    )
    user = User.objects.get(username="ana")
    assert user.email == "ana@example.org"
    assert user.check_password(PASSWORD)
    assert Membership.objects.filter(user=user, role=Role.ADMIN).exists()
    assert UserKeyPair.objects.filter(user=user).exists()
    assert Organisation.objects.get().name == "Haven"
    assert "init_keys" in out.getvalue()


def test_it_refuses_mismatched_or_weak_passwords(typed_passwords):
    typed_passwords.extend([PASSWORD, PASSWORD + "x"])
    with pytest.raises(CommandError, match="differ"):
        call_command("create_administrator", "ana", "ana@example.org", "--organisation", "H")
    typed_passwords.extend(["short", "short"])
    with pytest.raises(CommandError, match="at least 12"):
        call_command("create_administrator", "ana", "ana@example.org", "--organisation", "H")
    assert not User.objects.exists()


def test_it_needs_an_organisation_name_the_first_time(typed_passwords):
    typed_passwords.extend([PASSWORD, PASSWORD])
    with pytest.raises(CommandError, match="--organisation"):
        call_command("create_administrator", "ana", "ana@example.org")
    assert not User.objects.exists()
