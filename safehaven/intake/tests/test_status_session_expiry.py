"""The status cookie ends with the browser session; expired status-session rows are deleted
as soon as anyone uses a status page, not only by the hourly ``shred_withdrawn``."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from safehaven.intake.models import StatusSession
from safehaven.intake.tests.helpers import SHOW_STATUS_URL, requester_client, submit_request

pytestmark = pytest.mark.django_db


def test_it_sets_a_status_cookie_that_ends_with_the_browser(world):
    requester = requester_client(submit_request())
    response = requester.get(SHOW_STATUS_URL)
    cookie = response.cookies["sh_status"]
    assert cookie.value
    assert not cookie["max-age"]
    assert not cookie["expires"]


def test_it_still_closes_an_idle_page_on_the_server(world, settings):
    requester = requester_client(submit_request())
    settings.INTAKE_STATUS_IDLE = timedelta(seconds=0)  # the signed cookie is now too old
    assert requester.get(SHOW_STATUS_URL).status_code == 302


def test_it_deletes_expired_rows_when_a_status_page_is_used(world):
    first = requester_client(submit_request())
    second = requester_client(submit_request())
    oldest = StatusSession.objects.order_by("pk").values_list("pk", flat=True)[0]
    StatusSession.objects.filter(pk=oldest).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert StatusSession.objects.count() == 2
    assert second.get(SHOW_STATUS_URL).status_code == 200
    assert StatusSession.objects.count() == 1  # the expired one is gone, the live one stays
    assert first.get(SHOW_STATUS_URL).status_code == 302
    assert Client().get(SHOW_STATUS_URL).status_code == 302
