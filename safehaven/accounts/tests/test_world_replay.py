"""The seeded world written back from a recording is the world a real seed makes."""

import pytest
from django.conf import settings
from django.db import transaction

from safehaven.accounts.models import User
from safehaven.accounts.seed import SEEDED_USERNAMES, seed_world
from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.accounts.tests.world_replay import _rows, _tables, seeded_world
from safehaven.core.audit import verify_chain
from safehaven.intake.tests.helpers import private_key, staff_client_with_keys

pytestmark = pytest.mark.django_db

ADMIN_HOME = "/en/staff/admin/people/"


def real_seed():
    return seed_world(
        password_for=dict.fromkeys(SEEDED_USERNAMES, TEST_PASSWORD), email_domain="staff.test"
    )


def row_counts() -> dict[str, int]:
    return {name: len(_rows(table)) for name, table in _tables().items()}


def test_it_writes_back_as_many_rows_of_each_table_as_a_real_seed():
    with transaction.atomic():
        real = real_seed()
        seeded = row_counts()
        real_people = sorted(User.objects.values_list("username", "email"))
        transaction.set_rollback(True)

    replayed = seeded_world(real_seed)

    assert row_counts() == seeded
    assert sorted(User.objects.values_list("username", "email")) == real_people
    assert set(replayed.users) == set(real.users)
    assert replayed.totp_secrets.keys() == real.totp_secrets.keys()


def test_it_keeps_the_audit_chain_whole_and_the_keys_openable(world):
    assert verify_chain(None, settings.AUDIT_ANCHOR_KEY).ok
    for username in SEEDED_USERNAMES:
        assert private_key(username)
    client = staff_client_with_keys(world, "admin")
    assert client.get(ADMIN_HOME).status_code == 200


def test_it_seeds_for_real_when_the_database_is_not_as_recorded():
    User.objects.create_user("early", "early@staff.test", TEST_PASSWORD)
    built = seeded_world(real_seed)
    assert set(built.users) == set(SEEDED_USERNAMES)
    assert User.objects.count() == len(SEEDED_USERNAMES) + 1
    assert verify_chain(None, settings.AUDIT_ANCHOR_KEY).ok
