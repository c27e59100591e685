"""The demo's travel data: pathways, travel documents and saved routes added to the demo cases
by the real actions; the demo caseworker's own key opens each saved route, and their own page
reminds them of the overdue step and the passport to renew."""

import pytest
from django.utils import timezone

from safehaven.accounts.demo import demo_password
from safehaven.cases.choices import AssignmentRole, CaseState
from safehaven.cases.demo.steps import describe_demo_cases
from safehaven.cases.models import Case
from safehaven.core.crypto import unprotect_with_password
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.demo import describe_demo_requests
from safehaven.keys.models import UserKeyPair
from safehaven.travel.choices import PathwayState, RouteStatus, StepOutcome, TravelDocumentKind
from safehaven.travel.compartment import open_travel
from safehaven.travel.demo import describe_demo_travel
from safehaven.travel.models import CasePathway, PathwayStep, SavedRoute, TravelDocument
from safehaven.travel.reminders import travel_reminders
from safehaven.travel.saved_routes.queries import open_saved_route

pytestmark = pytest.mark.django_db

BASE = "http://localhost:8000"


def _caseworker():
    pair = UserKeyPair.objects.select_related("user").get(user__username="caseworker")
    key = unprotect_with_password(bytes(pair.protected_private_key), demo_password("caseworker"))
    return pair.user, key


def test_it_adds_travel_data_that_the_caseworker_opens(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    describe_demo_requests(BASE)
    describe_demo_cases(BASE)
    text = "\n".join(describe_demo_travel(BASE))

    today = timezone.localdate()
    for state in (CaseState.VERIFIED, CaseState.PLANNING, CaseState.TRAVEL_BOOKED):
        assert CasePathway.objects.filter(case__state=state).exists(), state
    assert CasePathway.objects.filter(state=PathwayState.SUCCEEDED).exists()
    assert PathwayStep.objects.filter(outcome=StepOutcome.DONE).exists()
    assert TravelDocument.objects.filter(kind=TravelDocumentKind.PASSPORT).count() >= 2
    assert TravelDocument.objects.filter(kind=TravelDocumentKind.VISA).exists()
    assert AuditEvent.objects.filter(event_type=EventType.PATHWAY_SHEET_SENT).exists()
    assert "Travel: pathways" in text

    worker, key = _caseworker()
    reminders = travel_reminders(worker, Case.objects.filter(assignments__user=worker), today)
    assert any(step.due_on < today for step in reminders["steps"])  # type: ignore[attr-defined]
    assert [d.kind for d in reminders["documents"]] == [TravelDocumentKind.PASSPORT]  # type: ignore[attr-defined]

    statuses = set(SavedRoute.objects.values_list("status", flat=True))
    assert statuses == {RouteStatus.SAVED, RouteStatus.NEEDS_OVERRIDE}
    for saved in SavedRoute.objects.select_related("case"):
        assert saved.case.assignments.filter(user=worker, role=AssignmentRole.CASEWORKER).exists()
        travel = open_travel(saved.case, actor=worker, private_key=key)
        assert travel is not None
        content = open_saved_route(saved, travel).content
        assert content is not None, saved
        assert content.route.flagged == (saved.status == RouteStatus.NEEDS_OVERRIDE)

    counts = (CasePathway.objects.count(), TravelDocument.objects.count())
    describe_demo_travel(BASE)
    assert (CasePathway.objects.count(), TravelDocument.objects.count()) == counts
