"""Every URL pattern, every method, every role: the declared outcome, and what the page shows.

The roles are logged in for real (password, then TOTP), so their keys are unlocked: a page
that would show sealed data does, and one help request's sealed sentinels must appear exactly
where declared (``reveals``) and nowhere else, its danger check-in to triage only; so must the
sentinels of the walk's other rows (``walk_rows``: a case given to the caseworker, its journey,
an advocacy request, a donor and a payee; ``shows``), each group where declared and on no other
page; also for a triage member logged in with their duress password and a suspended one whose
session survived. Pages behind a fresh re-authentication are walked again with both factors
fresh (``walk_fresh``). A new view must add its row to EXPECTATIONS, or this test fails.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.urls import reverse

from safehaven.accounts.models import User
from safehaven.accounts.tests import (
    walk_advocacy,
    walk_alarms,
    walk_check_ins,
    walk_crisis_pages,
    walk_duplicates,
    walk_finance_funds,
    walk_finance_grants,
    walk_partner_api,
    walk_partner_portal,
    walk_partner_vetting,
    walk_referral_packages,
    walk_reports_crisis,
    walk_reports_dashboard,
    walk_reports_exports,
    walk_reports_goals,
    walk_reports_public,
    walk_reports_retention,
    walk_status_codes,
    walk_tickets,
)
from safehaven.accounts.tests.walk_checks import walk_url
from safehaven.accounts.tests.walk_expect import (
    AS_FORM_REDIRECT,
    ASSIGNED_CASE_READERS,
    CASE_KEY_HOLDERS,
    CASE_READERS,
    CASE_ROW_UNKNOWN,
    FORBIDDEN,
    METHODS,
    NOT_FOUND,
    OK,
    READERS,
    REDIRECT,
    TRIAGE_READERS,
    Expect,
    admin_only,
    assigned_case_readers,
    everyone,
    members_only,
)
from safehaven.accounts.tests.walk_fresh import FRESH_EXPECTATIONS
from safehaven.accounts.tests.walk_rows import (
    CASEWORK,
    COSTS_SHOWN,
    DONOR,
    JOURNEY,
    PAYEE,
    RECIPIENT,
    row_kwargs,
)
from safehaven.accounts.tests.walk_world import WalkWorld, build_walk_world
from safehaven.cases.models import Case
from safehaven.cases.opening.actions import CallDetails, do_open_case_from_call
from safehaven.core.public_forms.proof_of_work import SPENT
from safehaven.core.tests.urlwalk import is_public, iter_routes
from safehaven.countries.models import Country, Crisis, RiskFact
from safehaven.intake.rate_budgets import LIMITER
from safehaven.intake.tests.attachments import attach_photo

EXPECTATIONS: dict[str, Expect] = {
    # Public pages
    "core-show-landing": Expect(outcomes=everyone(OK)),
    "core-show-clearing-help": Expect(outcomes=everyone(OK)),
    "core-quick-exit": Expect(
        outcomes=everyone(REDIRECT), more_methods={"POST": everyone(REDIRECT)}
    ),
    # allauth's form views take PUT as POST.
    "account_login": Expect(
        outcomes=everyone(REDIRECT, anonymous=OK),
        more_methods=dict.fromkeys(["POST", "PUT"], everyone(REDIRECT, anonymous=OK)),
    ),
    "account_logout": Expect(
        outcomes=members_only(OK, anonymous=REDIRECT), more_methods={"POST": everyone(REDIRECT)}
    ),
    "account_inactive": Expect(outcomes=everyone(OK)),
    # The second-factor step of a login: without a pending login it sends people to log in.
    "mfa_authenticate": Expect(
        outcomes=everyone(REDIRECT),
        more_methods=dict.fromkeys(["POST", "PUT"], everyone(REDIRECT)),
    ),
    "intake-show-request-form": Expect(outcomes=everyone(OK), more_methods={"POST": everyone(OK)}),
    # The requester's status pages: open to anyone with a codename; without a status session
    # (nobody here has one: staff logins are not requester sessions) back to the codename form.
    "intake-open-status": Expect(outcomes=everyone(OK), more_methods={"POST": everyone(OK)}),
    "intake-show-status": Expect(outcomes=everyone(REDIRECT)),
    # A post to a closed page gets the codename form, with a note and what was typed.
    "intake-send-message": Expect("POST", everyone(OK)),
    "intake-change-contacts": Expect(
        outcomes=everyone(REDIRECT), more_methods={"POST": everyone(OK)}
    ),
    "intake-withdraw-request": Expect(
        outcomes=everyone(REDIRECT), more_methods={"POST": everyone(OK)}
    ),
    "intake-leave-status": Expect("POST", everyone(REDIRECT)),
    # Like the contact form: a post to a closed page gets the codename form, with a note.
    "intake-send-document-photo": Expect(
        outcomes=everyone(REDIRECT), more_methods={"POST": everyone(OK)}
    ),
    "accounts-accept-invite": Expect(
        outcomes=everyone(NOT_FOUND),
        kwargs="unknown_token",
        more_methods={"POST": everyone(NOT_FOUND)},
    ),
    # Any staff or partner user
    "accounts-show-home": Expect(outcomes=members_only(OK)),
    "account_reauthenticate": Expect(
        outcomes=members_only(OK), more_methods=dict.fromkeys(["POST", "PUT"], members_only(OK))
    ),
    "accounts-set-duress-password": Expect(
        outcomes=members_only(OK), more_methods={"POST": members_only(OK)}
    ),
    # Only members of the triage team may pass its key on; nobody is waiting for it here.
    "accounts-share-team-key": Expect(
        "POST", members_only(NOT_FOUND), kwargs="triage_team_spare_user"
    ),
    "account_change_password": Expect(
        outcomes=members_only(OK), more_methods=dict.fromkeys(["POST", "PUT"], members_only(OK))
    ),
    "mfa_index": Expect(outcomes=members_only(OK)),
    "mfa_reauthenticate": Expect(
        outcomes=members_only(OK), more_methods=dict.fromkeys(["POST", "PUT"], members_only(OK))
    ),
    # Changing a second factor needs a fresh re-authentication first (the walk's logins are
    # never fresh: see ``never_recently_authenticated``).
    "mfa_activate_totp": Expect(outcomes=members_only(REDIRECT), more_methods=AS_FORM_REDIRECT),
    "mfa_deactivate_totp": Expect(outcomes=members_only(REDIRECT), more_methods=AS_FORM_REDIRECT),
    "mfa_list_webauthn": Expect(outcomes=members_only(OK)),
    "mfa_add_webauthn": Expect(outcomes=members_only(REDIRECT), more_methods=AS_FORM_REDIRECT),
    "mfa_reauthenticate_webauthn": Expect(
        outcomes=members_only(REDIRECT), more_methods=AS_FORM_REDIRECT
    ),
    "mfa_remove_webauthn": Expect(
        outcomes=members_only(REDIRECT), kwargs="unknown_pk", more_methods=AS_FORM_REDIRECT
    ),
    "mfa_edit_webauthn": Expect(
        outcomes=members_only(REDIRECT), kwargs="unknown_pk", more_methods=AS_FORM_REDIRECT
    ),
    # Seeded users have no recovery codes yet; generating them needs re-authentication.
    "mfa_view_recovery_codes": Expect(outcomes=members_only(NOT_FOUND)),
    "mfa_generate_recovery_codes": Expect(
        outcomes=members_only(REDIRECT), more_methods=AS_FORM_REDIRECT
    ),
    "mfa_download_recovery_codes": Expect(
        outcomes=members_only(NOT_FOUND),
        more_methods=dict.fromkeys(["POST", "PUT"], members_only(NOT_FOUND)),
    ),
    # Help requests: triage sees all, a partner only its own referrals (partner B gets 404 for
    # partner A's), everyone else 403; in a duress session the lists are empty and every
    # request is 404. An empty post re-shows the page with the form's errors.
    "cases-list-requests": Expect(outcomes=members_only(FORBIDDEN, triage=OK, supervisor=OK)),
    "cases-list-referrals": Expect(outcomes=members_only(FORBIDDEN, partner_a=OK, partner_b=OK)),
    # A caseworker lists and opens only the requests shared with them: not the walk's.
    "cases-list-shared-requests": Expect(outcomes=members_only(FORBIDDEN, caseworker=OK)),
    "cases-show-request": Expect(
        outcomes=members_only(
            FORBIDDEN,
            triage=OK,
            supervisor=OK,
            partner_a=OK,
            partner_b=NOT_FOUND,
            caseworker=NOT_FOUND,
            triage_under_duress=NOT_FOUND,
        ),
        kwargs="partner_a_referral",
        reveals={"GET": READERS},
    ),
    "cases-reply-to-request": Expect(
        "POST",
        members_only(FORBIDDEN, triage=OK, supervisor=OK, triage_under_duress=NOT_FOUND),
        kwargs="partner_a_referral",
        reveals={"POST": TRIAGE_READERS},
    ),
    "cases-change-request-status": Expect(
        "POST",
        members_only(FORBIDDEN, triage=OK, supervisor=OK, triage_under_duress=NOT_FOUND),
        kwargs="partner_a_referral",
        reveals={"POST": TRIAGE_READERS},
    ),
    "cases-acknowledge-check-in": Expect(
        "POST",
        members_only(FORBIDDEN, triage=OK, supervisor=OK, triage_under_duress=NOT_FOUND),
        kwargs="partner_a_referral",
        reveals={"POST": TRIAGE_READERS},
    ),
    # Triage and administrators; no requester's words on it, so nothing sealed to reveal.
    "intake-show-request-trail": Expect(
        outcomes=members_only(
            FORBIDDEN, triage=OK, supervisor=OK, admin=OK, triage_under_duress=NOT_FOUND
        ),
        kwargs="partner_a_referral",
    ),
    "cases-add-internal-note": Expect(
        "POST",
        members_only(FORBIDDEN, triage=OK, supervisor=OK, triage_under_duress=NOT_FOUND),
        kwargs="partner_a_referral",
        reveals={"POST": TRIAGE_READERS},
    ),
    # A case's keys (K17): on a case that does not exist, 404 for those who may ask for cases.
    "cases-regrant-case": Expect(
        "POST",
        members_only(FORBIDDEN, triage=NOT_FOUND, supervisor=NOT_FOUND, caseworker=NOT_FOUND),
        kwargs="unknown_case_and_user",
    ),
    # Re-keying without the confirmation box ticked goes back to the case page, unchanged.
    "cases-rekey-case": Expect(
        "POST",
        members_only(
            FORBIDDEN, triage=REDIRECT, supervisor=REDIRECT, triage_under_duress=NOT_FOUND
        ),
        kwargs="walk_case",
    ),
    # Assigning and unassigning (issue 17): case managers only; an empty assign form goes back
    # to the case page with a message; an unknown assignment is 404.
    "cases-assign-case": Expect(
        "POST",
        members_only(
            FORBIDDEN, triage=REDIRECT, supervisor=REDIRECT, triage_under_duress=NOT_FOUND
        ),
        kwargs="walk_case",
    ),
    "cases-unassign-case": Expect(
        "POST",
        members_only(
            FORBIDDEN, triage=NOT_FOUND, supervisor=NOT_FOUND, triage_under_duress=NOT_FOUND
        ),
        kwargs="walk_case_unknown_assignment",
    ),
    # A case's messages (M17): those who may read them get 404 for a case that does not exist
    # (an interpreter also for any case not given to them); an empty post re-shows the page.
    "cases-show-case-messages": Expect(
        outcomes=members_only(
            FORBIDDEN,
            triage=NOT_FOUND,
            supervisor=NOT_FOUND,
            caseworker=NOT_FOUND,
            interpreter=NOT_FOUND,
        ),
        kwargs="unknown_case",
        more_methods={
            "POST": members_only(
                FORBIDDEN,
                triage=NOT_FOUND,
                supervisor=NOT_FOUND,
                caseworker=NOT_FOUND,
                interpreter=NOT_FOUND,
            )
        },
    ),
    "cases-share-request": Expect(
        "POST",
        members_only(FORBIDDEN, triage=OK, supervisor=OK, triage_under_duress=NOT_FOUND),
        kwargs="partner_a_referral",
        reveals={"POST": TRIAGE_READERS},
    ),
    # The case page (W17), on the case of the walk's rows (``walk_rows``), given to the
    # caseworker: its summary, consent, booking and check-in (sentinels) and the totals of its
    # grant for those who open it, never a donor or a payee; 404 in a duress session.
    "cases-show-case": Expect(
        outcomes=ASSIGNED_CASE_READERS,
        kwargs="assigned_case",
        shows={"GET": dict.fromkeys((CASEWORK, RECIPIENT, JOURNEY), CASE_KEY_HOLDERS)},
        contains={"GET": dict.fromkeys(CASE_KEY_HOLDERS, COSTS_SHOWN)},
    ),
    # The forms on a case's page, on a case opened after a call (no request's sentinels on
    # it): those who manage cases; a caseworker not assigned gets 404, as in a duress session.
    # An empty post re-shows the page with the form's errors.
    "cases-move-case": Expect("POST", CASE_READERS, kwargs="walk_case"),
    "cases-add-case-task": Expect("POST", CASE_READERS, kwargs="walk_case"),
    # Pathways and travel documents (P18), from the case page's panels: the forms show again
    # on an empty post; the step, pathway and document URLs find no row 999999 in the case.
    "travel-pathway-catalogue": Expect(
        outcomes=members_only(FORBIDDEN, triage=OK, supervisor=OK, caseworker=OK)
    ),
    "travel-start-pathway": Expect(
        outcomes=CASE_READERS, kwargs="walk_case", more_methods={"POST": CASE_READERS}
    ),
    "travel-record-pathway-step": Expect(
        outcomes=CASE_ROW_UNKNOWN,
        kwargs="walk_case_unknown_step",
        more_methods={"POST": CASE_ROW_UNKNOWN},
    ),
    "travel-end-pathway": Expect(
        outcomes=CASE_ROW_UNKNOWN,
        kwargs="walk_case_unknown_pathway",
        more_methods={"POST": CASE_ROW_UNKNOWN},
    ),
    "travel-send-pathway-sheet": Expect(
        "POST", CASE_ROW_UNKNOWN, kwargs="walk_case_unknown_pathway"
    ),
    "travel-add-document": Expect(
        outcomes=CASE_READERS, kwargs="walk_case", more_methods={"POST": CASE_READERS}
    ),
    "travel-remove-document": Expect("POST", CASE_ROW_UNKNOWN, kwargs="walk_case_unknown_document"),
    # Arrival and follow-ups (G19a): the walk's case is not in transit, so confirming shows the
    # form again with the refusal; the follow-up URL finds no follow-up 999999 in the case.
    "travel-confirm-arrival": Expect(
        outcomes=CASE_READERS, kwargs="walk_case", more_methods={"POST": CASE_READERS}
    ),
    # Scheduling follow-ups: the walk's case has not arrived: back to the case page with the
    # refusal.
    "travel-schedule-follow-ups": Expect(
        "POST",
        members_only(
            FORBIDDEN,
            triage=REDIRECT,
            supervisor=REDIRECT,
            caseworker=NOT_FOUND,
            triage_under_duress=NOT_FOUND,
        ),
        kwargs="walk_case",
    ),
    "travel-log-follow-up": Expect(
        outcomes=CASE_ROW_UNKNOWN,
        kwargs="walk_case_unknown_follow_up",
        more_methods={"POST": CASE_ROW_UNKNOWN},
    ),
    # The route planner (R18): the walk's case is not verified, so the page says so (both
    # methods) and plans nothing; outsiders 404, other roles 403.
    "travel-plan-routes": Expect(
        outcomes=CASE_READERS, kwargs="walk_case", more_methods={"POST": CASE_READERS}
    ),
    # Saved routes (V18): an empty save post shows what was wrong; the route-level URLs find no
    # route 999999 in the walk's case. Only supervisors allow a route (403 before any lookup).
    "travel-save-route": Expect("POST", CASE_READERS, kwargs="walk_case"),
    "travel-override-route": Expect(
        "POST",
        members_only(FORBIDDEN, supervisor=NOT_FOUND),
        kwargs="walk_case_unknown_route",
    ),
    "travel-withdraw-route": Expect(
        "POST",
        members_only(FORBIDDEN, triage=NOT_FOUND, supervisor=NOT_FOUND, caseworker=NOT_FOUND),
        kwargs="walk_case_unknown_route",
    ),
    "travel-print-route": Expect(
        outcomes=members_only(
            FORBIDDEN, triage=NOT_FOUND, supervisor=NOT_FOUND, caseworker=NOT_FOUND
        ),
        kwargs="walk_case_unknown_route",
    ),
    # Bookings (G19b): an empty post shows the form's errors; the booking-level URLs on the
    # booking of the walk's rows, confirmed already (confirming again goes back to the case
    # page with the refusal).
    "travel-book-route": Expect(
        outcomes=CASE_READERS, kwargs="walk_case", more_methods={"POST": CASE_READERS}
    ),
    "travel-add-segment": Expect(
        outcomes=ASSIGNED_CASE_READERS,
        kwargs="assigned_case_booking",
        more_methods={"POST": ASSIGNED_CASE_READERS},
    ),
    "travel-tick-document": Expect("POST", ASSIGNED_CASE_READERS, kwargs="assigned_case_booking"),
    "travel-confirm-booking": Expect(
        "POST", assigned_case_readers(REDIRECT), kwargs="assigned_case_booking"
    ),
    "travel-cancel-booking": Expect(
        outcomes=ASSIGNED_CASE_READERS,
        kwargs="assigned_case_booking",
        more_methods={"POST": ASSIGNED_CASE_READERS},
    ),
    # Verification (V17), from the case page's panel: the forms show again on an empty post;
    # asking for approval of a case in screening is refused with a message on the case page.
    "cases-record-verification-item": Expect(
        outcomes=CASE_READERS, kwargs="walk_case", more_methods={"POST": CASE_READERS}
    ),
    "cases-add-evidence": Expect(
        outcomes=CASE_READERS, kwargs="walk_case", more_methods={"POST": CASE_READERS}
    ),
    "cases-request-verification": Expect(
        "POST",
        members_only(
            FORBIDDEN,
            triage=REDIRECT,
            supervisor=REDIRECT,
            caseworker=NOT_FOUND,
            triage_under_duress=NOT_FOUND,
        ),
        kwargs="walk_case",
    ),
    "cases-download-evidence": Expect(
        outcomes=members_only(
            FORBIDDEN, triage=NOT_FOUND, supervisor=NOT_FOUND, caseworker=NOT_FOUND
        ),
        kwargs="unknown_case_and_item",
    ),
    "cases-copy-person-photo": Expect(
        "POST",
        members_only(FORBIDDEN, triage=NOT_FOUND, supervisor=NOT_FOUND, caseworker=NOT_FOUND),
        kwargs="unknown_case_and_item",
    ),
    # Deciding needs a supervisor's password again first, before anything is looked up.
    "cases-approve-verification": Expect(
        "POST", members_only(FORBIDDEN, supervisor=REDIRECT), kwargs="unknown_case_and_approval"
    ),
    "cases-refuse-verification": Expect(
        "POST", members_only(FORBIDDEN, supervisor=REDIRECT), kwargs="unknown_case_and_approval"
    ),
    # The contact and support log (L17), posted from the case page's panel: an empty post
    # shows the form again; nothing sealed of the walk's request on it.
    "cases-log-contact-attempt": Expect("POST", CASE_READERS, kwargs="walk_case"),
    "cases-log-support-session": Expect("POST", CASE_READERS, kwargs="walk_case"),
    "cases-add-case-note": Expect("POST", CASE_READERS, kwargs="walk_case"),
    "cases-complete-case-task": Expect(
        "POST",
        members_only(FORBIDDEN, triage=NOT_FOUND, supervisor=NOT_FOUND, caseworker=NOT_FOUND),
        kwargs="walk_case_unknown_task",
    ),
    # Their own cases and tasks: empty for a caseworker given none, and under duress.
    "cases-show-my-work": Expect(
        outcomes=members_only(FORBIDDEN, triage=OK, supervisor=OK, caseworker=OK)
    ),
    # Opening a case from the request: those who manage cases; an empty post re-shows it.
    "cases-accept-request": Expect(
        "POST",
        members_only(FORBIDDEN, triage=OK, supervisor=OK, triage_under_duress=NOT_FOUND),
        kwargs="partner_a_referral",
        reveals={"POST": TRIAGE_READERS},
    ),
    "cases-join-household": Expect(
        "POST",
        members_only(FORBIDDEN, triage=OK, supervisor=OK, triage_under_duress=NOT_FOUND),
        kwargs="partner_a_referral",
        reveals={"POST": TRIAGE_READERS},
    ),
    # The case queue: triage and supervisors, a caseworker their own cases (no bulk actions);
    # empty under duress. An empty bulk post re-shows the queue. Nothing sealed on it.
    "cases-list-cases": Expect(
        outcomes=members_only(FORBIDDEN, triage=OK, supervisor=OK, caseworker=OK),
        more_methods={"POST": members_only(FORBIDDEN, triage=OK, supervisor=OK)},
    ),
    "cases-open-case-from-call": Expect(
        outcomes=members_only(FORBIDDEN, triage=OK, supervisor=OK),
        more_methods={"POST": members_only(FORBIDDEN, triage=OK, supervisor=OK)},
    ),
    # Country facts: public-law facts, read by anyone with a role (in a duress session too);
    # only administrators change a fact or a crisis. An empty post re-shows the form.
    "countries-list-countries": Expect(outcomes=members_only(OK)),
    "countries-show-country": Expect(outcomes=members_only(OK), kwargs="country_ru"),
    "countries-show-figures": Expect(outcomes=members_only(OK)),
    "countries-change-fact": Expect(
        outcomes=admin_only(), kwargs="a_risk_fact", more_methods={"POST": admin_only()}
    ),
    "countries-list-crises": Expect(outcomes=admin_only()),
    "countries-record-crisis": Expect(outcomes=admin_only(), more_methods={"POST": admin_only()}),
    "countries-change-crisis": Expect(
        outcomes=admin_only(NOT_FOUND),
        kwargs="unknown_crisis",
        more_methods={"POST": admin_only(NOT_FOUND)},
    ),
    # A document photo of the walk's request: for those who read the request (an image, so
    # no sentinel to reveal).
    "intake-download-attachment": Expect(
        outcomes=members_only(
            FORBIDDEN,
            triage=OK,
            supervisor=OK,
            partner_a=OK,
            partner_b=NOT_FOUND,
            caseworker=NOT_FOUND,
            triage_under_duress=NOT_FOUND,
        ),
        kwargs="partner_a_attachment",
    ),
    # Administrators
    "accounts-list-staff": Expect(outcomes=admin_only()),
    # Inviting needs a fresh re-authentication first, before the form is even shown.
    "accounts-invite-staff": Expect(
        outcomes=admin_only(REDIRECT), more_methods={"POST": admin_only(REDIRECT)}
    ),
    "accounts-list-organisations": Expect(outcomes=admin_only()),
    # An empty form is refused and the organisations page reloads.
    "accounts-add-organisation": Expect("POST", admin_only()),
    "accounts-add-team": Expect("POST", admin_only()),
    "accounts-show-audit-log": Expect(outcomes=admin_only()),
    "accounts-show-user": Expect(outcomes=admin_only(), kwargs="triage_user"),
    # Granting a role needs a fresh re-authentication first.
    "accounts-grant-role": Expect("POST", admin_only(REDIRECT), kwargs="triage_user"),
    "accounts-suspend-user": Expect("POST", admin_only(REDIRECT), kwargs="spare_user"),
    "accounts-reinstate-user": Expect("POST", admin_only(REDIRECT), kwargs="spare_user"),
    # Resetting a password needs a fresh re-authentication first.
    "accounts-reset-password": Expect("POST", admin_only(REDIRECT), kwargs="spare_user"),
    "accounts-unlock-user": Expect("POST", admin_only(REDIRECT), kwargs="spare_user"),
    # Without a valid second administrator the form is refused and the page reloads.
    "accounts-restore-after-duress": Expect("POST", admin_only(REDIRECT), kwargs="spare_user"),
    "accounts-revoke-invite": Expect("POST", admin_only(NOT_FOUND), kwargs="unknown_invite"),
    # Removing a role, approving and refusing need a fresh re-authentication first.
    "accounts-remove-membership": Expect("POST", admin_only(REDIRECT), kwargs="unknown_membership"),
    "accounts-list-approvals": Expect(outcomes=admin_only()),
    "accounts-approve-change": Expect("POST", admin_only(REDIRECT), kwargs="unknown_approval"),
    "accounts-refuse-change": Expect("POST", admin_only(REDIRECT), kwargs="unknown_approval"),
}


# The areas that keep their expectations in their own module; a URL name declared twice is a
# mistake the walk refuses.
for _area in (
    walk_tickets,
    walk_check_ins,
    walk_alarms,
    walk_referral_packages,
    walk_advocacy,
    walk_finance_grants,
    walk_finance_funds,
    walk_partner_portal,
    walk_partner_vetting,
    walk_partner_api,
    walk_duplicates,
    walk_status_codes,
    walk_crisis_pages,
    walk_reports_dashboard,
    walk_reports_goals,
    walk_reports_exports,
    walk_reports_public,
    walk_reports_crisis,
    walk_reports_retention,
):
    _twice = EXPECTATIONS.keys() & _area.EXPECTATIONS.keys()
    assert not _twice, f"declared twice in the walk: {sorted(_twice)}"
    EXPECTATIONS |= _area.EXPECTATIONS


def walk_crisis(world: object) -> Crisis:
    crisis = Crisis.objects.filter(name="Walk crisis").first()
    if crisis is None:
        crisis = Crisis.objects.create(
            name="Walk crisis",
            starts_on=datetime.date(2020, 1, 1),
            created_by=world.users["admin"],  # type: ignore[attr-defined]
        )
        crisis.countries.add(Country.objects.get(iso2="RU"))
    return crisis


def spare_user() -> User:
    user, _created = User.objects.get_or_create(
        username="spare", defaults={"email": "spare@staff.test"}
    )
    return user


def walk_case(walk: WalkWorld) -> Case:
    details = CallDetails(
        country="RU",
        languages=["ru"],
        summary="Called from a neighbour's phone.",
        region="",
        citizenships="RU",
        contacts="",
        risk_score=50,
    )
    return do_open_case_from_call(details, reason="A call.", actor=walk.world.users["triage"])


def example_kwargs(name: str, walk: WalkWorld) -> dict[str, object]:
    world = walk.world
    if name == "partner_a_attachment":  # made only when asked for: it writes a row
        return {
            "request_id": walk.help_request.pk,
            "item_id": attach_photo(walk.help_request).item_id,
        }
    if name.startswith("walk_case"):  # made only when asked for: it writes rows
        case = walk_case(walk)
        if name == "walk_case":
            return {"case_id": case.pk}
        if name == "walk_case_unknown_task":
            return {"case_id": case.pk, "task_id": 999999}
        # "walk_case_unknown_<row>": the walk's case and a <row>_id that does not exist.
        row = name.removeprefix("walk_case_unknown_")
        return {"case_id": case.pk, f"{row}_id": 999999}
    builders: dict[str, dict[str, object]] = row_kwargs(walk.rows) | {
        "": {},
        "partner_a_referral": {"request_id": walk.help_request.pk},
        "unknown_token": {"token": "no-such-invitation"},
        "unknown_pk": {"pk": 999999},
        "triage_user": {"user_id": world.users["triage"].pk},
        # Actions that suspend or reset someone act on a user outside the walking roles.
        "spare_user": {"user_id": spare_user().pk},
        "unknown_invite": {"invite_id": 999999},
        "triage_team_spare_user": {"team_id": world.teams["triage"].pk, "user_id": 999999},
        "unknown_membership": {"membership_id": 999999},
        "unknown_approval": {"approval_id": 999999},
        "country_ru": {"iso2": "RU"},
        "a_risk_fact": {
            "fact_id": RiskFact.objects.filter(valid_to__isnull=True).earliest("pk").pk
        },
        "unknown_crisis": {"crisis_id": 999999},
        "unknown_case_and_item": {
            "case_id": 999999,
            "item_id": "00000000-0000-4000-8000-000000000000",
        },
        "unknown_case_and_approval": {"case_id": 999999, "approval_id": 999999},
        "unknown_case": {"case_id": 999999},
        "unknown_case_and_user": {"case_id": 999999, "user_id": 999999},
        # Partners (issue 21).
        "partner_a_organisation": {"organisation_id": world.partner_a.pk},
        "unknown_organisation": {"organisation_id": 999999},
        "unknown_api_token": {"token_id": 999999},
        "unknown_case_pair": {"case_id": 999999, "other_id": 999999},
        # Reports and crises (issue 22): a crisis of the walk's world, open today.
        "walk_crisis": {"crisis_id": walk_crisis(world).pk},
        "unknown_historical_total": {"total_id": 999999},
    }
    return builders[name]


@pytest.fixture(scope="module")
def walk(django_db_setup, django_db_blocker) -> Iterator[WalkWorld]:
    """Built and logged in once for the module (a dozen real logins), in a transaction that
    is rolled back at its end; each test runs in a savepoint inside it, as in a TestCase."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic._from_testcase = True  # type: ignore[attr-defined]  # intake's durable blocks nest
        atomic.__enter__()
        try:
            yield build_walk_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def never_recently_authenticated(settings) -> None:
    """The walk's logins happened a moment ago; pages that need a fresh password must ask
    for it however long the walk takes, so every run sees the same outcomes."""
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0


@pytest.fixture(autouse=True)
def fresh_intake_memory() -> Iterator[None]:
    LIMITER.clear()
    SPENT.clear()
    yield
    LIMITER.clear()
    SPENT.clear()


def test_it_declares_an_outcome_for_every_url_pattern():
    names = {route.name for route in iter_routes()}
    undeclared = names - set(EXPECTATIONS)
    assert not undeclared, f"declare who may open these views: {sorted(undeclared)}"
    stale = set(EXPECTATIONS) - names
    assert not stale, f"expectations for views that no longer exist: {sorted(stale)}"


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(EXPECTATIONS))
def test_it_gives_each_role_its_declared_outcome_and_content(url_name: str, walk: WalkWorld):
    expect = EXPECTATIONS[url_name]
    public = {route.name: is_public(route.callback) for route in iter_routes()}[url_name]
    url = reverse(url_name, kwargs=example_kwargs(expect.kwargs, walk))
    failures = walk_url(url, expect, walk, public=public)
    assert not failures, f"{url_name} ({url}):\n" + "\n".join(failures)


def test_it_walks_again_only_pages_that_ask_for_both_factors_again():
    stale = set(FRESH_EXPECTATIONS) - set(EXPECTATIONS)
    assert not stale, f"fresh expectations for views the walk does not know: {sorted(stale)}"
    for url_name in FRESH_EXPECTATIONS:
        asked = [EXPECTATIONS[url_name].outcomes_for(method) or {} for method in METHODS]
        assert any(outcomes.get(role) == REDIRECT for outcomes in asked for role in outcomes), (
            f"{url_name}: walked fresh, but never asks for the factors again in the main walk"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(FRESH_EXPECTATIONS))
def test_it_shows_what_a_fresh_reauthentication_opens_only_to_its_readers(
    url_name: str, walk: WalkWorld, settings
):
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
    walk.reauthenticate_everyone()  # in each session's row, rolled back with the test
    expect = FRESH_EXPECTATIONS[url_name]
    url = reverse(url_name, kwargs=example_kwargs(expect.kwargs, walk))
    failures = walk_url(url, expect, walk, public=False)
    assert not failures, f"{url_name} ({url}), both factors fresh:\n" + "\n".join(failures)


def test_it_declares_donors_and_payees_to_finance_alone_and_no_case_to_advocacy():
    """No declaration, in either walk, lets another role see a donor or a payee, or the
    advocacy role (which holds no case key) anything sealed of a case or a request."""
    for url_name, expect in [*EXPECTATIONS.items(), *FRESH_EXPECTATIONS.items()]:
        for method, groups in expect.shows.items():
            for group, roles in groups.items():
                if group in (DONOR, PAYEE):
                    assert roles <= {"finance"}, f"{url_name} {method}: {sorted(roles)}"
                else:  # a case's
                    assert "advocacy" not in roles, f"{url_name} {method}: {group}"
        for method, roles in expect.reveals.items():
            assert "advocacy" not in roles, f"{url_name} {method}"
