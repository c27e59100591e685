"""Issuing a one-time status code (intake.status_codes.actions.do_issue_status_code)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from safehaven.accounts.models import User
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.codename import codename_lookup_hash
from safehaven.intake.handling.actions import do_share_help_request
from safehaven.intake.models import HelpRequest
from safehaven.intake.status_codes.actions import StatusCodeRefused, do_issue_status_code
from safehaven.intake.tests.helpers import latest_request, private_key, submit_request
from safehaven.intake.tests.status_code_helpers import (
    issue_code,
    open_choose_step,
    referral_without_codename,
)
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.models import RecordKeyWrap, RecordWrapKind
from safehaven.keys.records import open_record_with_codename

pytestmark = pytest.mark.django_db


def requester_wraps(help_request: HelpRequest) -> list[RecordKeyWrap]:
    return list(
        RecordKeyWrap.objects.filter(
            record_key__record_id__in=help_request.record_ids, kind=RecordWrapKind.CODENAME
        )
    )


def test_it_wraps_both_records_to_the_code_and_keeps_only_its_hash(world, partner_codes):
    help_request = referral_without_codename(referral_code=partner_codes["partner_a"])
    before = timezone.now()
    code = issue_code(help_request)
    help_request.refresh_from_db()
    assert len(code.split()) == 7
    assert help_request.codename_hash == codename_lookup_hash(code).hex()
    expires_at = help_request.status_code_expires_at
    assert expires_at is not None
    assert before + timedelta(days=7) - timedelta(seconds=2) <= expires_at
    assert expires_at <= timezone.now() + timedelta(days=7)
    wraps = requester_wraps(help_request)
    assert len(wraps) == 2  # the request's record and its thread's
    assert {wrap.record_key.record_id for wrap in wraps} == set(help_request.record_ids)
    # A code is no codename: it never opens a record as one, whatever the columns say.
    for record_id in help_request.record_ids:
        with pytest.raises(RecordUnavailable):
            open_record_with_codename(record_id, code)


def test_it_records_one_event_naming_only_ids(world):
    help_request = referral_without_codename()
    code = issue_code(help_request)
    event = AuditEvent.objects.get(event_type=EventType.STATUS_CODE_ISSUED)
    assert event.actor == world.users["triage"]
    assert event.target_ref == str(help_request.record_id)
    assert event.detail == ""
    for row in AuditEvent.objects.all():
        for word in code.split():
            assert word not in f"{row.detail} {row.target_ref}"


def test_it_replaces_an_earlier_code(world):
    help_request = referral_without_codename()
    first = issue_code(help_request)
    second = issue_code(help_request)
    assert first != second
    help_request.refresh_from_db()
    assert help_request.codename_hash == codename_lookup_hash(second).hex()
    assert len(requester_wraps(help_request)) == 2
    open_choose_step(second)


def test_it_refuses_a_request_whose_person_has_a_codename(world):
    submit_request()
    help_request = latest_request()
    wraps_before = requester_wraps(help_request)
    with pytest.raises(StatusCodeRefused, match="already has a codename"):
        issue_code(help_request)
    help_request.refresh_from_db()
    assert help_request.status_code_expires_at is None
    assert requester_wraps(help_request) == wraps_before
    assert not AuditEvent.objects.filter(event_type=EventType.STATUS_CODE_ISSUED).exists()


def test_it_refuses_a_withdrawn_request(world):
    help_request = referral_without_codename()
    HelpRequest.objects.filter(pk=help_request.pk).update(withdrawn_at=timezone.now())
    with pytest.raises(StatusCodeRefused, match="withdrew"):
        issue_code(help_request)


def test_it_refuses_a_partner_even_one_whose_team_key_opens_the_referral(world, partner_codes):
    help_request = referral_without_codename(referral_code=partner_codes["partner_a"])
    with pytest.raises(StatusCodeRefused, match="key holders"):
        issue_code(help_request, "partner_a")
    help_request.refresh_from_db()
    assert help_request.codename_hash is None
    assert requester_wraps(help_request) == []


def test_it_needs_a_key_that_opens_the_request(world):
    help_request = referral_without_codename()
    with pytest.raises(RecordUnavailable):
        issue_code(help_request, "caseworker")
    help_request.refresh_from_db()
    assert help_request.codename_hash is None


def test_a_caseworker_the_request_is_shared_with_may_issue(world):
    help_request = referral_without_codename()
    triage = User.objects.get(username="triage")
    do_share_help_request(
        help_request,
        to_user=world.users["caseworker"],
        actor=triage,
        private_key=private_key("triage"),
    )
    code = issue_code(help_request, "caseworker")
    open_choose_step(code)


def test_it_refuses_roles_without_keys_to_requests(world):
    help_request = referral_without_codename()
    for username in ("admin", "finance", "advocacy", "interpreter"):
        with pytest.raises(StatusCodeRefused):
            do_issue_status_code(
                help_request, actor=world.users[username], private_key=private_key(username)
            )
