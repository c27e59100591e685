"""What the demo data set lacks for the form fuzzer: a row in each state that makes a page show
one more form (an invitation, a pending approval, a suspended user, a duress suspension, failed
logins, a newcomer waiting for the team key, a danger check-in, a person's photo, a case in
verification with nobody asked yet, a draft booking, a booked journey, an arrival with its
follow-ups), made through the real actions with the demo users' keys; and the pages, per role,
that show those forms, for the crawl to start from."""

from __future__ import annotations

import datetime

from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safehaven.accounts.actions import do_invite_staff, do_suspend_user
from safehaven.accounts.approvals.actions import do_request_role_grant
from safehaven.accounts.demo import demo_password
from safehaven.accounts.models import (
    Membership,
    Organisation,
    Role,
    Scope,
    SuspensionReason,
    User,
)
from safehaven.cases.choices import AssignmentRole, CaseState
from safehaven.cases.demo.invented import IR, STORIES, VERIFIED_PATH, DemoCase, draft
from safehaven.cases.demo.steps import _accept, _assign, _key, _user, _walk
from safehaven.cases.models import Case
from safehaven.cases.opening.actions import do_accept_help_request
from safehaven.cases.tests.helpers import primary_request
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.attachments import attach_photo
from safehaven.intake.tests.helpers import latest_request, open_status, submit_request
from safehaven.keys.actions.duress import do_suspend_keys_for_duress
from safehaven.keys.actions.users import do_create_user_keys
from safehaven.travel.bookings.actions import do_book_route
from safehaven.travel.check_ins.actions import do_schedule_check_ins
from safehaven.travel.check_ins.windows import WindowAsked
from safehaven.travel.choices import CheckInPoint, RouteStatus
from safehaven.travel.demo_journey import _confirmed_booking
from safehaven.travel.follow_ups.actions import do_confirm_arrival
from safehaven.travel.models import SavedRoute

S = CaseState
DANGER_PHRASE = "fuzz danger lantern"
CHECK_IN_PHRASE = "fuzz blue teapot"
HOUR = datetime.timedelta(hours=1)


def _spare(username: str, *, keys: bool = False) -> User:
    user = User.objects.create_user(username, f"{username}@staff.test", demo_password(username))
    if keys:
        do_create_user_keys(user, demo_password(username), actor=user)
    return user


def _account_states(admin: User, organisation: Organisation) -> dict[str, list[str]]:
    """An invitation, a role grant waiting for a second administrator, a suspended user, one
    whose keys a duress login suspended, failed logins, and a newcomer to triage who has keys
    but not yet the team key."""
    tokens: list[str] = []

    def accept_url_for(token: str) -> str:
        tokens.append(token)
        return reverse("accounts-accept-invite", kwargs={"token": token})

    do_invite_staff(
        email="invited@staff.test",
        organisation=organisation,
        role=Role.CASEWORKER,
        actor=admin,
        accept_url_for=accept_url_for,
    )
    granted = _spare("fuzz_granted")
    do_request_role_grant(
        user=granted,
        organisation=organisation,
        role=Role.ADMIN,
        scope=Scope.OWN,
        team=None,
        actor=_user("admin2"),
    )
    suspended = _spare("fuzz_suspended")
    do_suspend_user(user=suspended, reason=SuspensionReason.LEFT, actor=admin)
    coerced = _spare("fuzz_coerced", keys=True)
    do_suspend_keys_for_duress(coerced, actor=None)
    locked = _spare("fuzz_locked")
    AccessAttempt.objects.create(
        username=locked.email,
        ip_address="198.51.100.200",
        user_agent="",
        http_accept="",
        path_info="/en/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=5,
    )
    newcomer = _spare("fuzz_newcomer", keys=True)
    team = Membership.objects.get(user__username="triage", role=Role.TRIAGE).team
    Membership.objects.create(user=newcomer, organisation=organisation, team=team, role=Role.TRIAGE)
    person_pages = [
        reverse("accounts-show-user", kwargs={"user_id": user.pk})
        for user in (suspended, coerced, locked)
    ]
    return {
        "anonymous": [reverse("accounts-accept-invite", kwargs={"token": tokens[0]})],
        "admin": [*person_pages, reverse("accounts-list-approvals")],
    }


def _danger_check_in() -> HelpRequest:
    """A request whose person opened their status page with their danger phrase."""
    codename = submit_request(checkin_phrase="fuzz teapot harbour", duress_phrase=DANGER_PHRASE)
    help_request = latest_request()
    assert open_status(Client(), codename, phrase=DANGER_PHRASE).status_code == 302
    return help_request


def _booked_journey_checked_in() -> Case:
    """A case "travel booked" whose person checked in before departure from their status page
    (so the journey can be marked begun)."""
    codename = submit_request(checkin_phrase=CHECK_IN_PHRASE)
    case = do_accept_help_request(
        latest_request(),
        reason="Accepted (fuzz).",
        actor=_user("triage"),
        private_key=_key("triage"),
    )
    _assign(case, "caseworker", AssignmentRole.CASEWORKER)
    _walk(case, DemoCase("journey", IR, [*VERIFIED_PATH, S.PLANNING], caseworker=True))
    case.refresh_from_db()
    booking = _confirmed_booking(case, timezone.now())
    opens = timezone.now().replace(tzinfo=None, second=0, microsecond=0) - HOUR
    window = WindowAsked(
        point=CheckInPoint.BEFORE_DEPARTURE,
        place="Airport",
        opens=opens,
        due_by=opens + 3 * HOUR,
        zone="UTC",
    )
    do_schedule_check_ins(
        booking, windows=[window], actor=_user("caseworker"), private_key=_key("caseworker")
    )
    assert open_status(Client(), codename, phrase=CHECK_IN_PHRASE).status_code == 302
    return case


def _case_states() -> list[Case]:
    """Cases whose page shows a form no demo case shows."""
    in_verification = Case.objects.filter(state=S.VERIFICATION).earliest("pk")
    attach_photo(primary_request(in_verification))
    story, languages = STORIES[IR]
    not_yet_asked, _codename = _accept(draft(story, IR, languages))
    _walk(not_yet_asked, DemoCase("verification, nobody asked", IR, [S.VERIFICATION]))
    planning = Case.objects.filter(state=S.PLANNING).earliest("pk")
    do_book_route(
        planning,
        saved_route=None,
        travellers=list(planning.people.all()),
        actor=_user("caseworker"),
        private_key=_key("caseworker"),
    )
    booked = _booked_journey_checked_in()
    in_transit = Case.objects.filter(state=S.IN_TRANSIT).earliest("pk")
    do_confirm_arrival(
        in_transit, reason="Arrived (fuzz).", actor=_user("triage"), private_key=_key("triage")
    )
    arrived = Case.objects.filter(state=S.ARRIVED).exclude(pk=in_transit.pk).earliest("pk")
    return [in_verification, not_yet_asked, planning, booked, in_transit, arrived]


def add_missing_states() -> dict[str, list[str]]:
    """Make the rows; return the pages that show their forms, per role."""
    admin = _user("admin")
    organisation = Membership.objects.filter(user=admin).earliest("pk").organisation
    pages = _account_states(admin, organisation)
    danger = _danger_check_in()
    cases = _case_states()
    # A case in each state (each shows other panels), besides those made here.
    for state in CaseState:
        first = Case.objects.filter(state=state).order_by("pk").first()
        if first is not None and first not in cases:
            cases.append(first)
    case_pages = [reverse("cases-show-case", kwargs={"case_id": case.pk}) for case in cases]
    messages_page = reverse("cases-show-case-messages", kwargs={"case_id": cases[0].pk})
    request_page = reverse("cases-show-request", kwargs={"request_id": danger.pk})
    # A partner's referral: no codename yet (triage can issue a status code), its messages.
    referred = HelpRequest.objects.filter(referred_by__isnull=False, codename_hash__isnull=True)
    referral = referred.earliest("pk").pk
    referral_pages = [
        reverse("cases-show-request", kwargs={"request_id": referral}),
        reverse("partners-show-referral-messages", kwargs={"request_id": referral}),
    ]
    pages["triage"] = [request_page, messages_page, *referral_pages, *case_pages]
    # What only a supervisor decides: the approval the demo's showcase case waits for, and the
    # route through a criminalising country waiting for an override. (A case page costs a
    # third of a second: the supervisor is not sent round every state again.)
    waiting = SavedRoute.objects.filter(status=RouteStatus.NEEDS_OVERRIDE).earliest("pk").case
    pages["supervisor"] = [
        reverse("cases-show-case", kwargs={"case_id": case.pk}) for case in (cases[0], waiting)
    ]
    pages["admin"].append(reverse("countries-show-country", kwargs={"iso2": "RU"}))
    return pages
