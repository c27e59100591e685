"""The on-call rota pages (travel.on_call.views): the staff of the organisation who may be on
call read it, its supervisors and administrators add and remove shifts, with times entered in
a chosen time zone; a duress session is told a shift was added and nothing is."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.urls import reverse
from django.utils import timezone

from safehaven.accounts.models import Organisation, OrganisationKind
from safehaven.accounts.tests.duress_logins import DURESS, log_in
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.keys.actions.duress import do_set_duress_password
from safehaven.travel.models import OnCallShift
from safehaven.travel.tests.alarm_helpers import HOUR, on_call

pytestmark = pytest.mark.django_db

ROTA = reverse("travel-show-on-call")
ADD = reverse("travel-add-on-call-shift")
REMOVE = reverse("travel-remove-on-call-shift")


def shift_post(world, **more):
    tomorrow = timezone.now().date() + datetime.timedelta(days=1)
    return {
        "organisation": world.organisation.pk,
        "user": world.users["caseworker"].pk,
        "starts": f"{tomorrow}T18:00",
        "ends": f"{tomorrow + datetime.timedelta(days=1)}T08:00",
        "time_zone": "Europe/Berlin",
        "position": 2,
    } | more


@pytest.mark.parametrize("username", ["admin", "triage", "caseworker", "supervisor"])
def test_it_shows_every_staff_member_who_is_on_call(world, staff_client, username):
    on_call(world, "caseworker", 2)
    on_call(world, "triage", 1)
    response = staff_client(username).get(ROTA)
    assert response.status_code == 200
    html = response.content.decode()
    now_list = html.split('class="on-call-now"')[1].split("</ol>")[0]
    assert now_list.index("triage") < now_list.index("caseworker")
    assert ('id="add-on-call-shift"' in html) == (username in ("admin", "supervisor"))


@pytest.mark.parametrize("username", ["finance", "advocacy", "interpreter", "partner_a"])
def test_it_refuses_the_rota_to_roles_never_on_call(world, staff_client, username):
    assert staff_client(username).get(ROTA).status_code == 403


def test_it_shows_only_the_organisations_of_the_reader(world, staff_client):
    other = Organisation.objects.create(name="Elsewhere", kind=OrganisationKind.RELOCATING)
    on_call(world, "admin2", 1, organisation=other)
    html = staff_client("triage").get(ROTA).content.decode()
    assert "Elsewhere" not in html
    assert "admin2" not in html


def test_it_shows_times_in_the_chosen_zone(world, staff_client):
    starts = datetime.datetime(2027, 1, 10, 17, 0, tzinfo=datetime.UTC)
    on_call(world, "caseworker", 1, starts=starts, ends=starts + 14 * HOUR)
    html = staff_client("triage").get(ROTA, {"tz": "Asia/Tokyo"}).content.decode()
    assert "Mon 11 Jan 2027, 02:00" in html
    assert "Times in Asia/Tokyo." in html
    html = staff_client("triage").get(ROTA, {"tz": "Not/AZone"}).content.decode()
    assert "Sun 10 Jan 2027, 17:00" in html


def test_it_adds_a_shift_read_in_the_chosen_time_zone(world, staff_client):
    response = staff_client("supervisor").post(ADD, shift_post(world))
    assert response.status_code == 302
    assert response["Location"] == f"{ROTA}?tz=Europe%2FBerlin"
    shift = OnCallShift.objects.get()
    tomorrow = timezone.now().date() + datetime.timedelta(days=1)
    berlin = datetime.datetime.combine(tomorrow, datetime.time(18, 0), ZoneInfo("Europe/Berlin"))
    assert shift.starts_at == berlin
    assert (shift.user, shift.position) == (world.users["caseworker"], 2)
    assert AuditEvent.objects.filter(event_type=EventType.ON_CALL_SHIFT_ADDED).count() == 1


def test_the_form_offers_only_staff_who_may_be_on_call(world, staff_client):
    html = staff_client("admin").get(ADD).content.decode()
    users = html.split('name="user"')[1].split("</select>")[0]
    for offered in ("triage", "supervisor", "caseworker", "admin"):
        assert f'value="{world.users[offered].pk}"' in users
    for never in ("finance", "advocacy", "interpreter", "partner_a"):
        assert f'value="{world.users[never].pk}"' not in users


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"user": "interpreter"}, "Select a valid choice."),
        ({"user": "advocacy"}, "Select a valid choice."),
        ({"ends": "2020-01-01T08:00", "starts": "2020-01-01T09:00"}, "end after it starts"),
        ({"starts": "soon"}, "Give the time as YYYY-MM-DD HH:MM."),
        ({"position": 0}, "greater than or equal to 1"),
        ({"time_zone": "Mars/Olympus"}, "Select a valid choice."),
        ({"starts": "2031-03-30T02:30", "ends": "2031-03-30T09:00"}, "does not exist"),
    ],
)
def test_it_refuses_bad_input_and_keeps_what_was_typed(world, staff_client, change, message):
    if "user" in change:
        change = {"user": world.users[change["user"]].pk}
    response = staff_client("supervisor").post(ADD, shift_post(world, **change))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'value="Europe/Berlin" selected' in html or "Mars" in str(change)
    assert not OnCallShift.objects.exists()


@pytest.mark.parametrize("username", ["caseworker", "triage", "finance", "interpreter"])
def test_it_refuses_the_forms_to_anyone_who_does_not_keep_the_rota(world, staff_client, username):
    shift = on_call(world, "caseworker", 1)
    client = staff_client(username)
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, shift_post(world)).status_code == 403
    assert client.post(REMOVE, {"shift": shift.pk}).status_code == 403
    assert OnCallShift.objects.count() == 1


def test_it_removes_a_shift(world, staff_client):
    shift = on_call(world, "caseworker", 1)
    client = staff_client("supervisor")
    html = client.get(ROTA).content.decode()
    assert f'name="shift" value="{shift.pk}"' in html
    response = client.post(REMOVE, {"shift": shift.pk, "tz": "Asia/Tokyo"}, follow=True)
    assert response.redirect_chain == [(f"{ROTA}?tz=Asia%2FTokyo", 302)]
    assert "The shift is off the rota." in response.content.decode()
    assert not OnCallShift.objects.exists()


def test_it_answers_404_for_a_shift_of_another_organisation_or_none(world, staff_client):
    other = Organisation.objects.create(name="Elsewhere", kind=OrganisationKind.RELOCATING)
    shift = on_call(world, "admin2", 1, organisation=other)
    client = staff_client("supervisor")
    for posted in ({"shift": shift.pk}, {"shift": "x"}, {}):
        assert client.post(REMOVE, posted).status_code == 404
    assert OnCallShift.objects.count() == 1


def coerced_supervisor(world):
    """The supervisor, logged in with their duress password."""
    supervisor = world.users["supervisor"]
    do_set_duress_password(supervisor, DURESS, actor=supervisor)
    RecoveryCodes.activate(supervisor)
    return log_in(world, "supervisor", DURESS)


def test_a_duress_session_is_told_the_shift_was_added_and_nothing_is(world, staff_client):
    client = coerced_supervisor(world)
    html = client.get(ADD).content.decode()
    organisations = html.split('name="organisation"')[1].split("</select>")[0]
    assert f'value="{world.organisation.pk}"' in organisations
    users = html.split('name="user"')[1].split("</select>")[0]
    # No colleague is named; the form is there as always.
    assert f'value="{world.users["supervisor"].pk}"' in users
    assert f'value="{world.users["caseworker"].pk}"' not in users
    posted = shift_post(world, user=world.users["supervisor"].pk)
    response = client.post(ADD, posted, follow=True)
    assert response.redirect_chain == [(f"{ROTA}?tz=Europe%2FBerlin", 302)]
    assert "The shift is on the rota." in response.content.decode()
    assert not OnCallShift.objects.exists()
    assert not AuditEvent.objects.filter(event_type=EventType.ON_CALL_SHIFT_ADDED).exists()
    # Times that make no sense are refused as in any session.
    late = shift_post(
        world, user=world.users["supervisor"].pk, starts="2020-01-01T09:00", ends="2020-01-01T08:00"
    )
    response = client.post(ADD, late)
    assert response.status_code == 200
    assert "A shift must end after it starts." in response.content.decode()
    # A real session of a rota keeper adds it (the coerced supervisor is on no rota now).
    real = staff_client("admin").post(ADD, shift_post(world))
    assert real.status_code == 302
    assert OnCallShift.objects.get().user == world.users["caseworker"]
