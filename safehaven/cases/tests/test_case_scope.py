"""Whose cases a case manager sees, and who is told a request's case number."""

import pytest

from safehaven.accounts.access import Perm
from safehaven.accounts.models import Membership, Organisation, OrganisationKind, Role
from safehaven.cases.access import cases_visible_to
from safehaven.cases.choices import AssignmentRole
from safehaven.cases.models import CaseAssignment
from safehaven.cases.opening.actions import do_accept_help_request
from safehaven.cases.tests.helpers import bare_case
from safehaven.intake.tests.helpers import (
    latest_request,
    private_key,
    staff_client_with_keys,
    submit_request,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_organisation():
    return Organisation.objects.create(
        name="Another Haven", kind=OrganisationKind.RELOCATING, country="DE"
    )


def test_it_shows_a_case_manager_only_the_cases_of_organisations_they_manage(
    world, other_organisation
):
    triage = world.users["triage"]
    Membership.objects.create(user=triage, organisation=other_organisation, role=Role.CASEWORKER)
    own = bare_case(world)
    elsewhere = bare_case(world, organisation=other_organisation)
    given = bare_case(world, organisation=other_organisation)
    CaseAssignment.objects.create(case=given, user=triage, role=AssignmentRole.CASEWORKER)

    visible = set(cases_visible_to(triage))
    assert own in visible
    assert elsewhere not in visible
    assert given in visible  # as their caseworker there
    managed = set(cases_visible_to(triage, Perm.MANAGE_CASES))
    assert managed == {own}


def test_it_shows_the_case_number_to_case_staff_but_not_to_the_referring_partner(
    world, partner_codes
):
    submit_request(referral_code=partner_codes["partner_a"])
    help_request = latest_request()
    case = do_accept_help_request(
        help_request,
        reason="Accepted.",
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    url = f"/en/staff/requests/{help_request.pk}/"

    partner = staff_client_with_keys(world, "partner_a").get(url)
    assert partner.status_code == 200
    assert 'id="request-case"' not in partner.content.decode()
    triage = staff_client_with_keys(world, "triage").get(url).content.decode()
    assert f"#{case.pk}</a>" in triage
