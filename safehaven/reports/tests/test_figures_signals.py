"""A real case moved through the workflow's actions updates its figures row once each change
is committed (reports.figures.signals): opening, a household joining, verification, the
journey, the arrival and its country, and a merge."""

from __future__ import annotations

from safehaven.cases.choices import CaseOutcome, CaseState
from safehaven.cases.opening.actions import do_join_household
from safehaven.cases.tests.helpers import open_case
from safehaven.cases.tests.verification_helpers import case_in_verification, confirm_checklist
from safehaven.cases.verification.actions import do_approve_verification, do_request_verification
from safehaven.cases.workflow.actions import do_move_case
from safehaven.core.coarse_time import this_hour
from safehaven.intake.tests.helpers import latest_request, private_key, submit_request
from safehaven.reports.models import CaseFigures
from safehaven.travel.follow_ups.actions import do_confirm_arrival

S = CaseState


def _as(world, username):
    return {"actor": world.users[username], "private_key": private_key(username)}


def test_a_case_moved_through_the_workflow_updates_its_row(
    world, django_capture_on_commit_callbacks
):
    this_month = this_hour().date().replace(day=1)
    with django_capture_on_commit_callbacks(execute=True):
        case = case_in_verification(world)
    row = CaseFigures.objects.get(case_id=case.pk)
    assert (row.state, row.verified_month, row.people) == (S.VERIFICATION, None, 1)

    with django_capture_on_commit_callbacks(execute=True):
        submit_request(country="RU")
        do_join_household(case, latest_request(), **_as(world, "triage"))
        confirm_checklist(world, case)
        approval = do_request_verification(case, **_as(world, "caseworker"))
        do_approve_verification(approval, note="Checked.", **_as(world, "supervisor"))
    row.refresh_from_db()
    assert (row.state, row.verified_month, row.supported_month, row.people) == (
        S.VERIFIED,
        this_month,
        None,
        2,
    )

    worker = _as(world, "caseworker")
    with django_capture_on_commit_callbacks(execute=True):
        for state in (S.PLANNING, S.TRAVEL_BOOKED, S.IN_TRANSIT):
            case.refresh_from_db()
            do_move_case(case, to_state=state, reason="Next step.", **worker)
    row.refresh_from_db()
    assert (row.state, row.supported_month, row.arrived_month) == (S.IN_TRANSIT, this_month, None)

    with django_capture_on_commit_callbacks(execute=True):
        do_confirm_arrival(case, reason="Called on arrival.", arrived_in="ca", **worker)
    row.refresh_from_db()
    assert (row.state, row.arrived_month, row.destination) == (S.ARRIVED, this_month, "CA")


def test_a_merged_case_keeps_its_row_marked_merged(world, django_capture_on_commit_callbacks):
    from safehaven.cases.merging.actions import do_merge_cases

    with django_capture_on_commit_callbacks(execute=True):
        kept = open_case(world)
        absorbed = open_case(world)
        do_merge_cases(kept, absorbed, **_as(world, "triage"))
    assert CaseFigures.objects.get(case_id=absorbed.pk).outcome == CaseOutcome.MERGED
    assert CaseFigures.objects.get(case_id=kept.pk).people == 2
