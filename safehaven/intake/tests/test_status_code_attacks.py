"""One-time status codes against their attackers: a database-write-only attacker setting or
clearing the code's expiry, a coercer holding a leaked code, a forged status cookie, and the
raw storage (neither the code nor the chosen codename is ever stored in clear)."""

import logging
from datetime import timedelta

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from safehaven.intake.codename import new_codename
from safehaven.intake.models import HelpRequest
from safehaven.intake.status_codes import actions as status_code_actions
from safehaven.intake.status_codes.actions import StatusCodeRefused
from safehaven.intake.status_codes.session import COOKIE_SALT as CHOOSE_COOKIE_SALT
from safehaven.intake.status_page.session import COOKIE_SALT as STATUS_COOKIE_SALT
from safehaven.intake.tests.helpers import (
    SHOW_STATUS_URL,
    STATUS_URL,
    comparable,
    latest_request,
    open_status,
    submit_request,
)
from safehaven.intake.tests.status_code_helpers import (
    CHOOSE_URL,
    choose,
    is_refused_like_a_miss,
    issue_code,
    open_choose_step,
    referral_without_codename,
)
from safehaven.keys.tests.test_raw_storage import (
    forms_found_in,
    forms_found_in_text,
    postgres_columns_containing_any_form,
    raw_sqlite_bytes,
)

pytestmark = pytest.mark.django_db


def test_an_expiry_set_on_a_request_with_a_codename_changes_nothing(world):
    codename = submit_request()
    help_request = latest_request()
    HelpRequest.objects.filter(pk=help_request.pk).update(
        status_code_expires_at=timezone.now() + timedelta(days=3)
    )
    client = Client()
    response = open_status(client, codename)
    assert response.status_code == 302
    assert response["Location"] == SHOW_STATUS_URL  # the status page, not the choose step
    assert "sh_choose" not in response.cookies
    assert client.get(SHOW_STATUS_URL).status_code == 200
    help_request.refresh_from_db()
    assert help_request.codename_hash is not None


def test_a_code_whose_expiry_was_cleared_opens_nothing(world):
    """Clearing the column must not turn a leaked code into a codename that opens the page."""
    help_request = referral_without_codename()
    code = issue_code(help_request)
    HelpRequest.objects.filter(pk=help_request.pk).update(status_code_expires_at=None)
    client = Client()
    assert is_refused_like_a_miss(client, code)
    assert client.get(SHOW_STATUS_URL)["Location"] == STATUS_URL


def test_an_expired_code_whose_expiry_was_moved_on_opens_nothing(world, monkeypatch):
    help_request = referral_without_codename()
    monkeypatch.setattr(status_code_actions, "STATUS_CODE_VALID", timedelta(seconds=-5))
    code = issue_code(help_request)
    HelpRequest.objects.filter(pk=help_request.pk).update(
        status_code_expires_at=timezone.now() + timedelta(days=1)
    )
    unknown = new_codename()
    assert comparable(open_status(Client(), code)) == comparable(open_status(Client(), unknown))


def test_the_steps_cookie_signed_as_a_status_cookie_opens_no_status_page(world):
    """Even with the site's signing key, the step's session is not a status session."""
    client = open_choose_step(issue_code(referral_without_codename()))
    step_value = client.get(CHOOSE_URL).wsgi_request.get_signed_cookie(
        "sh_choose", salt=CHOOSE_COOKIE_SALT
    )
    assert isinstance(step_value, str)
    signed = HttpResponse()
    signed.set_signed_cookie("sh_status", step_value, salt=STATUS_COOKIE_SALT)
    forged = Client()
    forged.cookies["sh_status"] = signed.cookies["sh_status"].value
    response = forged.get(SHOW_STATUS_URL)
    assert response.status_code == 302
    assert response["Location"] == STATUS_URL


def test_a_status_cookie_does_not_open_the_step(world):
    codename = submit_request()
    client = Client()
    open_status(client, codename)
    assert client.get(CHOOSE_URL)["Location"] == STATUS_URL


def issue_and_choose_logged(world, caplog) -> tuple[str, str]:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True
    try:
        help_request = referral_without_codename()
        code = issue_code(help_request)
        codename, response = choose(open_choose_step(code))
        assert response.status_code == 302
    finally:
        connection.force_debug_cursor = False
    assert "INSERT INTO" in caplog.text
    for secret in (code, codename):
        assert forms_found_in_text(caplog.text, secret) == [], secret
    return code, codename


@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True)
def test_neither_the_code_nor_the_codename_is_stored_in_the_sqlite_file_or_logs(world, caplog):
    if connection.vendor != "sqlite":
        pytest.skip("this database is not SQLite")
    code, codename = issue_and_choose_logged(world, caplog)
    raw = raw_sqlite_bytes()
    for secret in (code, codename):
        assert forms_found_in(raw, secret) == [], secret


@pytest.mark.django_db(transaction=True)
def test_neither_the_code_nor_the_codename_is_in_any_postgresql_column(world, caplog):
    if connection.vendor != "postgresql":
        pytest.skip("this database is not PostgreSQL")
    code, codename = issue_and_choose_logged(world, caplog)
    for secret in (code, codename):
        assert postgres_columns_containing_any_form(secret) == [], secret


def test_a_forged_pending_code_does_not_let_staff_replace_a_persons_codename(world):
    """A database writer sets the expiry (or clears the hash) of a request whose person holds a
    codename: the staff page would offer a code, but the action refuses, so the person's
    codename keeps opening their page."""
    codename = submit_request()
    help_request = latest_request()
    for forged in (
        {"status_code_expires_at": timezone.now() + timedelta(days=3)},
        {"codename_hash": None},
    ):
        HelpRequest.objects.filter(pk=help_request.pk).update(**forged)
        with pytest.raises(StatusCodeRefused, match="already has a codename"):
            issue_code(help_request)
    HelpRequest.objects.filter(pk=help_request.pk).update(
        codename_hash=help_request.codename_hash, status_code_expires_at=None
    )
    assert open_status(Client(), codename)["Location"] == SHOW_STATUS_URL


def test_after_a_chosen_codename_a_forged_expiry_still_refuses_a_new_code(world):
    help_request = referral_without_codename()
    codename, _response = choose(open_choose_step(issue_code(help_request)))
    HelpRequest.objects.filter(pk=help_request.pk).update(
        status_code_expires_at=timezone.now() + timedelta(days=3)
    )
    with pytest.raises(StatusCodeRefused, match="already has a codename"):
        issue_code(help_request)
    assert open_status(Client(), codename)["Location"] == SHOW_STATUS_URL
