"""The real rows the authorisation walk opens, built once with its world by the features' own
actions and test builders: a case from a call given to the walk's caseworker, counted in an
advocacy request with the person's consent to that government, booked by hand for a journey
whose check-in was missed (one alert raised by the timer's work), and paid for from a fund: a
donation, a grant asked for by the caseworker, approved by finance and partly paid.

Each sealed value holds a sentinel of its own (a group below): the walk declares who must see
each group on which page, and fails wherever anyone else sees one."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from safehaven.advocacy.models import AdvocacyInclusion, AdvocacyRequest
from safehaven.advocacy.tests.helpers import draft, government_consent, include
from safehaven.cases.assignment.actions import do_assign_case
from safehaven.cases.choices import AssignmentRole, CaseState
from safehaven.cases.models import Case
from safehaven.cases.tests.verification_helpers import approved_in_place
from safehaven.finance.choices import EntryKind, GrantCategory
from safehaven.finance.disbursements.sealing import PayeeDetails
from safehaven.finance.grants.actions import do_approve_grant, do_request_grant
from safehaven.finance.models import Disbursement, Donation, Fund, Grant, JournalEntry
from safehaven.finance.tests.helpers import donate, finance_team, make_fund, officer, pay
from safehaven.intake.tests.helpers import private_key
from safehaven.travel.bookings.actions import do_book_route, do_confirm_booking
from safehaven.travel.models import Booking, ExpectedCheckIn, JourneyAlert, ReferralConsent
from safehaven.travel.tests.alarm_helpers import watch
from safehaven.travel.tests.booking_helpers import as_user, fill_segment, tick_all
from safehaven.travel.tests.check_in_helpers import TRANSIT, schedule, window
from safehaven.travel.tests.helpers import call_case, primary_person, verified
from safehaven.travel.tests.referral_helpers import HOW_GIVEN, RECIPIENT_CONTACT, RECIPIENT_NAME

# Sentinel groups (a group shows whole or not at all; nothing in them that HTML escapes), each
# for those who open the case but never advocacy, or for finance alone. Sealed in the case's
# casework compartment: its summary, and how the person consented to share with a government
# (the referral tests' sentinels); the recipient of that consent, shown on its package too.
CASEWORK = ("Sentinel-Case-Thornbury hid at a cousin", HOW_GIVEN)
RECIPIENT = (RECIPIENT_NAME, RECIPIENT_CONTACT)
# The missed check-in's place and the booking's reference, sealed in the travel compartment.
JOURNEY = ("Sentinel-Transit-Gallowmere", "SNTLBOOK7Q")
# The donor's name, sealed for finance: never shown outside finance.
DONOR = ("Sentinel-Donor-Ashgrove",)
# The payee's details and the payment's reference, sealed for finance: only finance opens them.
PAYEE = ("Sentinel-Payee-Marlowe", "SNTLACCT-73310492", "SNTLREF-5581")
ROW_SENTINELS = (CASEWORK, RECIPIENT, JOURNEY, DONOR, PAYEE)

# The case's grant, approved, and the part paid so far; as the case page's costs panel shows
# them (white space taken as one space).
GRANT_AMOUNT, PAID_AMOUNT = "300", "250"
COSTS_SHOWN = (
    '<tr id="case-costs-approved"> <th scope="row">Approved</th> <td>$300.00</td> </tr>',
    '<tr id="case-costs-paid"> <th scope="row">Paid</th> <td>$250.00</td> </tr>',
)


@dataclass(frozen=True)
class WalkRows:
    case: Case
    consent: ReferralConsent
    advocacy_request: AdvocacyRequest
    inclusion: AdvocacyInclusion
    booking: Booking
    check_in: ExpectedCheckIn
    alert: JourneyAlert
    fund: Fund
    donation: Donation
    grant: Grant
    disbursement: Disbursement
    entry: JournalEntry


def _assigned_call_case(world: Any) -> Case:
    case = call_case(world, summary=CASEWORK[0])
    do_assign_case(
        case,
        user=world.users["caseworker"],
        role=AssignmentRole.CASEWORKER,
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    approved_in_place(case)
    return verified(case)


def _money(world: Any, case: Case) -> tuple[Fund, Donation, Grant, Disbursement]:
    finance_team(world)
    fund = make_fund(world, "USD", name="Walk fund")
    donation = donate(fund, "1000", donor=DONOR[0], keys=officer())
    grant = do_request_grant(
        fund,
        category=GrantCategory.AIRFARE,
        amount=GRANT_AMOUNT,
        case=case,
        actor=world.users["caseworker"],
    )
    grant = do_approve_grant(grant, **officer())
    name, account, reference = PAYEE
    payee = PayeeDetails(name=name, account=account)
    paid = pay(grant, PAID_AMOUNT, payee=payee, reference=reference, keys=officer())
    return fund, donation, grant, paid


def _journey(case: Case) -> tuple[Booking, ExpectedCheckIn, JourneyAlert]:
    """Booked by hand, confirmed by a supervisor ("travel booked"), one check-in window open
    now scheduled, and the timer's work run as it runs once the window has closed with no
    check-in: its alert is raised."""
    # As the travel tests do: the case's own steps to planning are walked elsewhere.
    Case.objects.filter(pk=case.pk).update(state=CaseState.PLANNING)
    booking = do_book_route(
        case, saved_route=None, travellers=[primary_person(case)], **as_user("caseworker")
    )
    fill_segment(booking, None, from_place="Grozny", to_place="Yerevan", reference=JOURNEY[1])
    tick_all(booking, case)
    do_confirm_booking(booking, **as_user("supervisor"))  # booked by hand: a supervisor's
    [check_in] = schedule(booking, window(TRANSIT, place=JOURNEY[0]))
    watch(now=check_in.due_by + datetime.timedelta(minutes=1))
    return booking, check_in, JourneyAlert.objects.get(expected=check_in)


def build_walk_rows(world: Any) -> WalkRows:
    case = _assigned_call_case(world)
    consent = government_consent(world, case)
    advocacy_request = draft(world)
    # Counted before the journey: a travelling case is not counted in a request.
    inclusion = include(case, advocacy_request)
    fund, donation, grant, disbursement = _money(world, case)
    booking, check_in, alert = _journey(case)
    return WalkRows(
        case=Case.objects.get(pk=case.pk),
        consent=consent,
        advocacy_request=advocacy_request,
        inclusion=inclusion,
        booking=booking,
        check_in=check_in,
        alert=alert,
        fund=fund,
        donation=donation,
        grant=grant,
        disbursement=disbursement,
        entry=JournalEntry.objects.get(disbursement=disbursement, kind=EntryKind.DISBURSEMENT),
    )


def row_kwargs(rows: WalkRows) -> dict[str, dict[str, object]]:
    """The example arguments naming the walk's rows (``Expect.kwargs``)."""
    case: dict[str, object] = {"case_id": rows.case.pk}
    booking = case | {"booking_id": rows.booking.pk}
    return {
        "assigned_case": case,
        "assigned_case_booking": booking,
        # A booking of the case, a ticket file that does not exist.
        "assigned_case_booking_unknown_ticket": booking | {"ticket_id": 999999},
        "assigned_case_check_in": case | {"check_in_id": rows.check_in.pk},
        "assigned_case_alert": case | {"alert_id": rows.alert.pk},
        "assigned_case_consent": case | {"consent_id": rows.consent.pk},
        "assigned_case_inclusion": case | {"inclusion_id": rows.inclusion.pk},
        "walk_advocacy_request": {"advocacy_request_id": rows.advocacy_request.pk},
        "walk_fund": {"fund_id": rows.fund.pk},
        "walk_grant": {"grant_id": rows.grant.pk},
        "walk_disbursement": {"disbursement_id": rows.disbursement.pk},
        "walk_entry": {"entry_id": rows.entry.pk},
    }
