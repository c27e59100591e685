"""The triage inbox, a partner's referrals and one request: opened, audited, answered."""

import pytest
from django.test import Client

from safehaven.accounts.seed import current_totp
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.choices import MessageKind, RequestStatus
from safehaven.intake.handling.actions import (
    RequestActionRefused,
    do_change_request_status,
    do_reply_to_request,
)
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import (
    SHOW_STATUS_URL,
    latest_request,
    private_key,
    requester_client,
    staff_client_with_keys,
    submit_request,
    thread_bodies,
)
from safehaven.keys.actions.duress import do_set_duress_password
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.models import TeamKeyWrap

pytestmark = pytest.mark.django_db
LIST_URL = "/en/staff/requests/"
DURESS = "a different coerced phrase 9"


def show_url(help_request: HelpRequest) -> str:
    return f"/en/staff/requests/{help_request.pk}/"


def test_it_lists_open_requests_most_at_risk_first(world):
    submit_request(situation="Sentinel low")
    submit_request(situation="Sentinel high", risk_indicators=["threats_state", "violence"])
    submit_request(situation="Sentinel medium", risk_indicators=["outed", "health"])
    low, high, medium = HelpRequest.objects.order_by("pk")
    client = Client()
    client.force_login(world.users["triage"])
    html = client.get(LIST_URL).content.decode()
    positions = [html.index(show_url(item)) for item in (high, medium, low)]
    assert positions == sorted(positions)
    assert "Sentinel" not in html  # nothing sealed in the list
    assert "Critical (75)" in html


def test_it_shows_an_empty_inbox_in_a_duress_session(world):
    submit_request()
    triage = world.users["triage"]
    do_set_duress_password(triage, DURESS, actor=triage)
    client = Client()
    client.post("/en/accounts/login/", {"login": triage.email, "password": DURESS})
    code = current_totp(world.totp_secrets["triage"])
    client.post("/en/accounts/2fa/authenticate/", {"code": code})
    html = client.get(LIST_URL).content.decode()
    assert "There are no requests here." in html
    assert client.get(show_url(latest_request())).status_code == 404


def test_it_opens_a_request_for_triage_and_records_the_read(world):
    submit_request(situation="Sentinel story of the person", region="Dagestan")
    help_request = latest_request()
    client = staff_client_with_keys(world, "triage")
    response = client.get(show_url(help_request))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sentinel story of the person" in html
    assert "Dagestan" in html
    assert "+7 912 345-67-89" in html
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(event_type=EventType.REQUEST_VIEWED)
    assert event.actor == world.users["triage"]
    assert event.target_ref == str(help_request.record_id)


def test_it_explains_a_session_without_a_key(world):
    submit_request(situation="Sentinel story")
    client = Client()
    client.force_login(world.users["triage"])  # no password step: no key in this session
    html = client.get(show_url(latest_request())).content.decode()
    assert "Log out and log in again with your password." in html
    assert "Sentinel story" not in html
    assert not AuditEvent.objects.filter(event_type=EventType.REQUEST_VIEWED).exists()


def test_it_explains_a_key_that_cannot_open_the_request(world):
    submit_request(situation="Sentinel story")
    # A new supervisor may triage but holds no triage team key until someone shares it.
    TeamKeyWrap.objects.filter(user=world.users["supervisor"]).delete()
    html = (
        staff_client_with_keys(world, "supervisor").get(show_url(latest_request())).content.decode()
    )
    assert "Your key cannot open this request." in html
    assert "Sentinel story" not in html


def test_it_lets_only_someone_whose_key_opens_a_request_change_its_status(world):
    submit_request()
    help_request = latest_request()
    TeamKeyWrap.objects.filter(user=world.users["supervisor"]).delete()
    client = staff_client_with_keys(world, "supervisor")
    response = client.post(
        f"/en/staff/requests/{help_request.pk}/status/", {"status": RequestStatus.CLOSED}
    )
    # Closing takes a request out of the inbox: never by someone who could not read it.
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your key cannot open this request." in html
    assert 'name="change-status"' not in html
    assert latest_request().status == RequestStatus.RECEIVED
    assert not AuditEvent.objects.filter(event_type=EventType.REQUEST_STATUS_CHANGED).exists()
    with pytest.raises(RecordUnavailable):
        do_change_request_status(
            help_request,
            actor=world.users["supervisor"],
            private_key=private_key("supervisor"),
            status=RequestStatus.CLOSED,
        )
    assert latest_request().status == RequestStatus.RECEIVED


def test_it_shows_partners_the_thread_without_the_names_of_triage_staff(world, partner_codes):
    submit_request(referral_code=partner_codes["partner_a"])
    help_request = latest_request()
    triage = world.users["triage"]
    do_reply_to_request(
        help_request, actor=triage, private_key=private_key("triage"), text="We read you 3d9."
    )
    partner_page = staff_client_with_keys(world, "partner_a").get(show_url(help_request))
    html = partner_page.content.decode()
    assert "We read you 3d9." in html
    assert "Triage team" in html
    assert f"{triage.username} wrote" not in html
    triage_page = (
        staff_client_with_keys(world, "triage").get(show_url(help_request)).content.decode()
    )
    assert f"{triage.username} wrote" in triage_page


def test_it_sends_a_reply_to_the_persons_thread(world):
    codename = submit_request()
    help_request = latest_request()
    client = staff_client_with_keys(world, "triage")
    response = client.post(
        f"/en/staff/requests/{help_request.pk}/reply/", {"body": "Are you safe tonight?"}
    )
    assert response.status_code == 302
    assert thread_bodies(help_request) == [(MessageKind.FROM_STAFF, "Are you safe tonight?")]
    assert AuditEvent.objects.filter(event_type=EventType.REQUEST_MESSAGE_SENT).count() == 1
    page = requester_client(codename).get(SHOW_STATUS_URL).content.decode()
    assert "Are you safe tonight?" in page


def test_it_explains_a_reply_it_cannot_take(world):
    submit_request()
    help_request = latest_request()
    client = staff_client_with_keys(world, "triage")
    response = client.post(f"/en/staff/requests/{help_request.pk}/reply/", {"body": "x" * 5001})
    assert response.status_code == 200
    assert "Please shorten this to at most 5000 characters" in response.content.decode()
    assert thread_bodies(help_request) == []


@pytest.mark.parametrize(
    ("username", "url"), [("triage", LIST_URL), ("partner_a", "/en/staff/referrals/")]
)
def test_it_lists_without_reading_any_sealed_column(world, partner_codes, username, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    submit_request(referral_code=partner_codes["partner_a"])
    client = staff_client_with_keys(world, username)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert show_url(latest_request()) in html
    listing = [q["sql"] for q in queries if "intake_helprequest" in q["sql"]]
    assert listing
    for column in ("situation", "contacts", "region", "codename_hash", "referral_code"):
        assert not any(f'"{column}"' in sql for sql in listing), column


def test_it_changes_the_status_and_records_it(world):
    submit_request()
    help_request = latest_request()
    client = staff_client_with_keys(world, "triage")
    url = f"/en/staff/requests/{help_request.pk}/status/"
    assert client.post(url, {"status": "reviewing"}).status_code == 302
    help_request.refresh_from_db()
    assert help_request.status == "reviewing"
    event = AuditEvent.objects.get(event_type=EventType.REQUEST_STATUS_CHANGED)
    assert event.detail == "received -> reviewing"
    refused = client.post(url, {"status": "withdrawn"})
    assert refused.status_code == 200
    assert "Please choose one of the options shown." in refused.content.decode()


def test_it_clears_new_activity_when_triage_reads_it(world):
    codename = submit_request()
    requester_client(codename).post("/en/status/request/message/", {"body": "hello"})
    help_request = latest_request()
    assert help_request.unread_since is not None
    staff_client_with_keys(world, "triage").get(show_url(help_request))
    help_request.refresh_from_db()
    assert help_request.unread_since is None


def test_it_shows_possible_duplicates(world):
    submit_request(contact_signal="+7 912 345 67 89")
    submit_request(contact_signal="+79123456789")
    first, second = HelpRequest.objects.order_by("pk")
    html = staff_client_with_keys(world, "triage").get(show_url(second)).content.decode()
    assert 'id="duplicates"' in html
    assert show_url(first) in html


def test_it_shows_a_partner_only_its_own_referrals(world, partner_codes):
    submit_request(referral_code=partner_codes["partner_a"])
    referral_of_a = latest_request()
    submit_request(referral_code=partner_codes["partner_b"])
    referral_of_b = latest_request()
    submit_request()
    unreferred = latest_request()

    partner_b = staff_client_with_keys(world, "partner_b")
    listing = partner_b.get("/en/staff/referrals/").content.decode()
    assert show_url(referral_of_b) in listing
    assert show_url(referral_of_a) not in listing
    assert show_url(unreferred) not in listing
    assert partner_b.get(show_url(referral_of_a)).status_code == 404
    assert partner_b.get(show_url(unreferred)).status_code == 404
    assert partner_b.get(show_url(referral_of_b)).status_code == 200
    assert partner_b.get(LIST_URL).status_code == 403
    assert partner_b.post(f"/en/staff/requests/{referral_of_b.pk}/reply/").status_code == 403

    partner_a = staff_client_with_keys(world, "partner_a")
    html = partner_a.get(show_url(referral_of_a)).content.decode()
    assert "My family found my messages" in html
    assert "Answer the person" not in html  # partners read; triage answers


def test_it_forbids_staff_without_a_triage_role(world):
    submit_request()
    client = Client()
    client.force_login(world.users["finance"])
    assert client.get(LIST_URL).status_code == 403
    assert client.get(show_url(latest_request())).status_code == 403


@pytest.mark.parametrize(
    ("username", "link"),
    [("triage", LIST_URL), ("supervisor", LIST_URL), ("partner_a", "/en/partners/referrals/")],
)
def test_it_is_linked_from_the_staff_home(world, username, link):
    client = Client()
    client.force_login(world.users[username])
    assert f'href="{link}"' in client.get("/en/staff/").content.decode()


def test_it_never_reopens_a_request_withdrawn_while_staff_had_it_open(world):
    codename = submit_request()
    seen_by_staff = latest_request()  # loaded before the person withdraws
    requester_client(codename).post("/en/status/request/withdraw/", {"confirm": "on"})
    assert latest_request().withdrawn_at is not None
    with pytest.raises(RequestActionRefused, match="withdrew"):
        do_change_request_status(
            seen_by_staff,
            actor=world.users["triage"],
            private_key=private_key("triage"),
            status=RequestStatus.REVIEWING,
        )
    after = latest_request()
    assert after.status == RequestStatus.WITHDRAWN
    assert not AuditEvent.objects.filter(event_type=EventType.REQUEST_STATUS_CHANGED).exists()
    # What the refusal page shows is read again too: when the request will be erased.
    assert seen_by_staff.withdrawn_at == after.withdrawn_at
    assert seen_by_staff.shred_due_at == after.shred_due_at is not None


@pytest.mark.parametrize("key", ["not unlocked", "cannot open"])
def test_it_gives_back_an_answer_it_could_not_send(world, key):
    submit_request()
    help_request = latest_request()
    if key == "not unlocked":
        client = Client()
        client.force_login(world.users["triage"])  # no password step: no key in this session
    else:
        TeamKeyWrap.objects.filter(user=world.users["supervisor"]).delete()
        client = staff_client_with_keys(world, "supervisor")
    typed = 'Are you safe? <b>"Call us"</b> 7f3e'
    response = client.post(f"/en/staff/requests/{help_request.pk}/reply/", {"body": typed})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your answer was not sent" in html
    assert "&lt;b&gt;&quot;Call us&quot;&lt;/b&gt; 7f3e" in html
    assert "<b>" not in html
    assert thread_bodies(help_request) == []


WITHDREW = "The person withdrew this request: it can no longer be answered or changed."


def withdrawn_request() -> HelpRequest:
    codename = submit_request()
    requester_client(codename).post("/en/status/request/withdraw/", {"confirm": "on"})
    help_request = latest_request()
    assert help_request.withdrawn_at is not None
    return help_request


def test_it_explains_an_answer_refused_because_the_person_withdrew(world):
    client = staff_client_with_keys(world, "triage")  # the page was open before the person withdrew
    help_request = withdrawn_request()
    typed = 'Are you safe? <b>"Call us"</b> 7f3e'
    response = client.post(f"/en/staff/requests/{help_request.pk}/reply/", {"body": typed})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count(WITHDREW) == 1
    assert "Your answer was not sent" in html
    assert "&lt;b&gt;&quot;Call us&quot;&lt;/b&gt; 7f3e</textarea>" in html
    assert "<b>" not in html
    assert "Send answer" not in html  # no form to send it again
    assert thread_bodies(help_request) == []
    assert not AuditEvent.objects.filter(event_type=EventType.REQUEST_MESSAGE_SENT).exists()


def test_it_explains_a_status_change_refused_because_the_person_withdrew(world):
    client = staff_client_with_keys(world, "triage")
    help_request = withdrawn_request()
    response = client.post(f"/en/staff/requests/{help_request.pk}/status/", {"status": "reviewing"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count(WITHDREW) == 1
    assert "Your answer was not sent" not in html  # no answer was typed
    assert latest_request().status == RequestStatus.WITHDRAWN
    assert not AuditEvent.objects.filter(event_type=EventType.REQUEST_STATUS_CHANGED).exists()


def test_it_gives_back_an_answer_to_a_withdrawn_request_without_a_key(world):
    help_request = withdrawn_request()
    client = Client()
    client.force_login(world.users["triage"])  # no password step: no key in this session
    response = client.post(f"/en/staff/requests/{help_request.pk}/reply/", {"body": "Sentinel"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Log out and log in again with your password." in html
    assert "Sentinel</textarea>" in html
    assert thread_bodies(help_request) == []


def test_it_shows_no_refusal_on_a_withdrawn_request_only_read(world):
    help_request = withdrawn_request()
    html = staff_client_with_keys(world, "triage").get(show_url(help_request)).content.decode()
    assert "The person withdrew consent" in html
    assert WITHDREW not in html
    assert "Your answer was not sent" not in html
    assert "Send answer" not in html
    assert "Change status" not in html
