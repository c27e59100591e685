"""A TOTP secret or recovery-code seed opens only in its own user's authenticator row."""

import importlib

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from safehaven.accounts.mfa_secrets import seal_unbound
from safehaven.accounts.seed import current_totp

pytestmark = pytest.mark.django_db

TOTP = Authenticator.Type.TOTP
migration = importlib.import_module("safehaven.keys.migrations.0006_bind_mfa_secrets_to_user")


def stored(user, kind=TOTP) -> dict:
    return Authenticator.objects.filter(user=user, type=kind).values_list("data", flat=True).get()


def accepts(user, code: str, kind=TOTP) -> bool:
    authenticator = Authenticator.objects.get(user=user, type=kind)
    try:
        return bool(authenticator.wrap().validate_code(code))
    except ValueError:
        return False


def test_it_stores_a_new_secret_bound_to_its_user(world):
    caseworker = world.users["caseworker"]
    assert stored(caseworker)["secret"].startswith(f"v2:{caseworker.pk}:")
    assert accepts(caseworker, current_totp(world.totp_secrets["caseworker"]))


def test_it_refuses_a_secret_copied_to_another_users_row(world):
    caseworker, triage = world.users["caseworker"], world.users["triage"]
    Authenticator.objects.filter(user=triage, type=TOTP).update(data=stored(caseworker))
    assert not accepts(triage, current_totp(world.totp_secrets["caseworker"]))
    # Renaming the user inside the copied value breaks its binding instead.
    renamed = stored(caseworker)["secret"].replace(f"v2:{caseworker.pk}:", f"v2:{triage.pk}:")
    Authenticator.objects.filter(user=triage, type=TOTP).update(data={"secret": renamed})
    assert not accepts(triage, current_totp(world.totp_secrets["caseworker"]))
    assert accepts(caseworker, current_totp(world.totp_secrets["caseworker"]))


def test_it_refuses_recovery_codes_copied_to_another_users_row(world):
    caseworker, triage = world.users["caseworker"], world.users["triage"]
    codes = RecoveryCodes.activate(caseworker).get_unused_codes()
    # bulk_create writes the row as it is, as a database writer would.
    Authenticator.objects.bulk_create(
        [
            Authenticator(
                user=triage,
                type=Authenticator.Type.RECOVERY_CODES,
                data=stored(caseworker, Authenticator.Type.RECOVERY_CODES),
            )
        ]
    )
    assert not accepts(triage, codes[0], Authenticator.Type.RECOVERY_CODES)
    assert accepts(caseworker, codes[0], Authenticator.Type.RECOVERY_CODES)


def test_it_refuses_an_unbound_value_in_the_database(world):
    caseworker = world.users["caseworker"]
    secret = world.totp_secrets["caseworker"]
    Authenticator.objects.filter(user=caseworker, type=TOTP).update(
        data={"secret": seal_unbound(secret)}
    )
    assert not accepts(caseworker, current_totp(secret))


def test_the_migration_binds_existing_secrets_to_their_user(world):
    caseworker = world.users["caseworker"]
    secret = world.totp_secrets["caseworker"]
    Authenticator.objects.filter(user=caseworker, type=TOTP).update(
        data={"secret": seal_unbound(secret)}
    )
    # The migration's own (historical) models: the live model would refuse the v1 value.
    state = MigrationLoader(connection).project_state(("keys", migration.__name__.split(".")[-1]))
    migration.bind(state.apps, None)
    assert stored(caseworker)["secret"].startswith(f"v2:{caseworker.pk}:")
    assert accepts(caseworker, current_totp(secret))
    migration.unbind(state.apps, None)
    assert stored(caseworker)["secret"].startswith("v1:")
