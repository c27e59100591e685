"""A crisis batch's letter with its annex of named people: it lists the right cases (counted,
not others, not those taken out), only what the viewer's own key opens, and audits every
sealed inclusion it shows (advocacy.letters.actions.do_open_named_letter and its page)."""

from dataclasses import dataclass

import pytest

from safehaven.advocacy.inclusions.actions import do_count_crisis_cases, do_remove_case
from safehaven.advocacy.letters.actions import do_open_named_letter
from safehaven.advocacy.models import AdvocacyInclusion, AdvocacyNaming, AdvocacyRequest
from safehaven.advocacy.tests.helpers import (
    a_crisis,
    as_user,
    draft,
    government_consent,
    household_of_two,
    include,
    name,
    tagged,
    url,
)
from safehaven.cases.models import Case
from safehaven.cases.tests.helpers import open_case
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.travel.referral_packages.actions import (
    do_record_referral_consent,
    do_withdraw_referral_consent,
)
from safehaven.travel.tests.helpers import assigned_case, primary_person

pytestmark = pytest.mark.django_db


@dataclass
class Batch:
    advocacy_request: AdvocacyRequest
    household: Case  # the caseworker's, both people named
    triages: Case  # triage's own (not the caseworker's), one person named
    taken_out: Case  # counted by the batch, named, then taken out by its caseworker
    withdrawn: Case  # counted, named, then the person withdrew their consent
    elsewhere: Case  # named in another request only
    named: dict[str, AdvocacyNaming]


def inclusion_of(case: Case, advocacy_request: AdvocacyRequest) -> AdvocacyInclusion:
    return AdvocacyInclusion.objects.get(
        advocacy_request=advocacy_request, case=case, removed_at__isnull=True
    )


def batch(world) -> Batch:
    crisis = a_crisis(world)
    advocacy_request = draft(world, crisis=crisis)
    household, second = household_of_two(world)
    tagged(household, crisis)
    government_consent(world, household)
    government_consent(world, household, second)
    triages = tagged(open_case(world), crisis)
    do_record_referral_consent(
        triages,
        person=primary_person(triages),
        recipient_kind="government",
        government_country="CA",
        recipient_name="Ministry",
        recipient_contact="Office",
        how_given="In writing",
        note="",
        **as_user("triage"),
    )
    taken_out = tagged(assigned_case(world), crisis)
    government_consent(world, taken_out)
    withdrawn = tagged(assigned_case(world), crisis)
    withdrawn_consent = government_consent(world, withdrawn)
    elsewhere = assigned_case(world)
    government_consent(world, elsewhere)

    counted = do_count_crisis_cases(advocacy_request, actor=world.users["advocacy"])
    assert len(counted) == 4
    named = {
        "first": name(inclusion_of(household, advocacy_request), full_name="Named-First Amir"),
        "second": name(
            inclusion_of(household, advocacy_request), second, full_name="Named-Second Bela"
        ),
        "triages": name(
            inclusion_of(triages, advocacy_request), full_name="Named-Triage Cem", username="triage"
        ),
        "taken_out": name(inclusion_of(taken_out, advocacy_request), full_name="Named-Out Dana"),
        "withdrawn": name(inclusion_of(withdrawn, advocacy_request), full_name="Named-Gone Emil"),
        "elsewhere": name(include(elsewhere, draft(world)), full_name="Named-Elsewhere Fay"),
    }
    do_remove_case(inclusion_of(taken_out, advocacy_request), **as_user())
    do_withdraw_referral_consent(withdrawn_consent, **as_user())
    return Batch(advocacy_request, household, triages, taken_out, withdrawn, elsewhere, named)


def printed_events() -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(event_type=EventType.ADVOCACY_NAMED_LETTER_PRINTED).order_by(
            "sequence"
        )
    )


def names_in(annex) -> list[list[str]]:
    return [
        [item.details.name for item in household.people if item.details]
        for household in annex.households
    ]


def test_it_lists_the_counted_cases_a_supervisor_opens_and_audits_each(world):
    made = batch(world)
    annex = do_open_named_letter(made.advocacy_request, **as_user("supervisor"))
    assert names_in(annex) == [["Named-First Amir", "Named-Second Bela"], ["Named-Triage Cem"]]
    assert (annex.not_shown, annex.damaged, annex.withdrawn_consent) == (0, 0, 1)
    pk = made.advocacy_request.pk
    first, second, triages = (made.named[key].pk for key in ("first", "second", "triages"))
    assert [(event.target_ref, event.detail) for event in printed_events()] == [
        (
            str(made.household.pk),
            f"advocacy request #{pk}, inclusion #{made.named['first'].inclusion_id}: "
            f"namings #{first}, #{second}",
        ),
        (
            str(made.triages.pk),
            f"advocacy request #{pk}, inclusion #{made.named['triages'].inclusion_id}: "
            f"namings #{triages}",
        ),
    ]
    assert all(event.actor_id == world.users["supervisor"].pk for event in printed_events())


def test_it_shows_a_caseworker_only_the_cases_their_key_opens(world):
    made = batch(world)
    annex = do_open_named_letter(made.advocacy_request, **as_user("caseworker"))
    assert names_in(annex) == [["Named-First Amir", "Named-Second Bela"]]
    assert annex.not_shown == 1  # triage's case: counted, not shown
    assert [event.target_ref for event in printed_events()] == [str(made.household.pk)]


def test_it_audits_nothing_when_nothing_sealed_is_shown(world):
    made = batch(world)
    AdvocacyNaming.objects.filter(case=made.household).delete()
    annex = do_open_named_letter(made.advocacy_request, **as_user("caseworker"))
    assert annex.households == []
    assert annex.not_shown == 1
    assert printed_events() == []


def test_it_prints_the_right_names_on_the_page_and_refuses_the_advocacy_role(world):
    made = batch(world)
    client = staff_client_with_keys(world, "supervisor")
    response = client.get(url("advocacy-print-named-letter", made.advocacy_request))
    assert response.status_code == 200
    html = response.content.decode()
    for shown in ("Named-First Amir", "Named-Second Bela", "Named-Triage Cem", "Household 2"):
        assert shown in html, shown
    for hidden in ("Named-Out Dana", "Named-Gone Emil", "Named-Elsewhere Fay", "Household 3"):
        assert hidden not in html, hidden
    # The figures count the three cases still counted: two, one and one person.
    assert '<dd id="advocacy-cases">3</dd>' in html
    assert '<dd id="advocacy-people">4</dd>' in html
    assert len(printed_events()) == 2
    officer = staff_client_with_keys(world, "advocacy")
    assert officer.get(url("advocacy-print-named-letter", made.advocacy_request)).status_code == 403
    assert len(printed_events()) == 2
