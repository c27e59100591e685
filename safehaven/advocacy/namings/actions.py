"""Name a person of an included case in a request's annex: only a holder of the case's
casework key can, only for a person who consented to share with the request's own government
(the country sealed in the consent is the request's: a consent to Canada never names anyone to
another government), and the naming is sealed under that key and audited with ids only. Naming
the same person again replaces the earlier naming (to correct it)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.advocacy.choices import OPEN_STATUSES
from safehaven.advocacy.models import AdvocacyInclusion, AdvocacyNaming
from safehaven.advocacy.namings.queries import naming_details
from safehaven.advocacy.namings.sealing import NamingDetails, naming_to_json
from safehaven.cases.compartments import open_casework
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.links import person_is_linked
from safehaven.cases.models import CasePerson
from safehaven.core.audit import DETAIL_MAX, record_event
from safehaven.core.coarse_time import this_hour
from safehaven.core.event_types import EventType
from safehaven.intake.submission.place_names import country_choices
from safehaven.keys.opened import OpenedRecord
from safehaven.travel.referral_packages.queries import valid_government_consent

NAME_MAX = 200
DOCUMENT_MAX = 60


def _checked(details: NamingDetails) -> NamingDetails:
    name, document = details.name.strip(), details.document.strip()
    if not name or len(name) > NAME_MAX:
        raise CaseActionRefused(_("Give the person's name as on their documents."))
    if len(document) > DOCUMENT_MAX:
        raise CaseActionRefused(_("The document number is too long."))
    if details.nationality and details.nationality not in dict(country_choices()):
        raise CaseActionRefused(_("Choose a nationality from the list."))
    if details.born_on:
        try:
            born = datetime.date.fromisoformat(details.born_on)
        except ValueError as error:
            raise CaseActionRefused(_("Give the date of birth as YYYY-MM-DD.")) from error
        if born > timezone.localdate():
            raise CaseActionRefused(_("The date of birth cannot be in the future."))
    return NamingDetails(name, details.born_on, details.nationality, document)


def refuse_unless_open(inclusion: AdvocacyInclusion) -> None:
    if inclusion.is_removed:
        raise CaseActionRefused(_("This case is no longer counted in the request."))
    if inclusion.advocacy_request.status not in OPEN_STATUSES:
        raise CaseActionRefused(
            _("The government has decided on this request: it no longer changes.")
        )


def withdraw_namings(
    namings: list[AdvocacyNaming], casework: OpenedRecord, *, at: datetime.datetime
) -> list[int]:
    """Mark each naming withdrawn, sealed again with the hour bound in (inside the caller's
    transaction); a naming that does not open is marked only (it is never printed anyway).
    The ids withdrawn."""
    withdrawn = []
    for row in namings:
        details = naming_details(row, casework)
        row.withdrawn_at = at
        if details is not None:
            row.open_with(casework).seal("details", naming_to_json(details))
        row.save(update_fields=["withdrawn_at", "details"])
        withdrawn.append(row.pk)
    return withdrawn


def do_name_person(
    inclusion: AdvocacyInclusion,
    *,
    person: CasePerson,
    details: NamingDetails,
    actor: User,
    private_key: bytes,
) -> AdvocacyNaming:
    """Name ``person`` of the inclusion's case in the request's annex, sealed under the case's
    casework key. Raises CaseActionRefused."""
    refuse_unless_open(inclusion)
    checked = _checked(details)
    case = inclusion.case
    casework = open_casework(case, actor=actor, private_key=private_key)
    if person.case_id != case.pk or not person_is_linked(person, casework):
        raise CaseActionRefused(_("This person is not of this case."))
    with transaction.atomic():
        locked = (
            AdvocacyInclusion.objects.select_for_update()
            .select_related("advocacy_request", "case__organisation")
            .get(pk=inclusion.pk)
        )
        refuse_unless_open(locked)
        government = locked.advocacy_request.government
        consent = valid_government_consent(case, person, government, casework)
        if consent is None:
            raise CaseActionRefused(
                _(
                    "This person has not consented to share their details with the government "
                    "of %(country)s: record their consent to that government first."
                )
                % {"country": dict(country_choices()).get(government, government)}
            )
        earlier = AdvocacyNaming.objects.select_for_update().filter(
            inclusion=locked, person=person, withdrawn_at__isnull=True
        )
        replaced = withdraw_namings(list(earlier), casework, at=this_hour())
        naming = AdvocacyNaming(
            record_id=casework.record_id,
            advocacy_request=locked.advocacy_request,
            inclusion=locked,
            case=locked.case,
            person=person,
            consent=consent.consent,
            named_by=actor,
            named_at=this_hour(),
        )
        naming.open_with(casework).seal("details", naming_to_json(checked))
        naming.save()
        again = f", replaces #{', #'.join(map(str, replaced))}" if replaced else ""
        record_event(
            EventType.ADVOCACY_PERSON_NAMED,
            actor=actor,
            organisation=locked.case.organisation,
            target=locked.case,
            detail=(
                f"advocacy request #{locked.advocacy_request_id}, inclusion #{locked.pk}: "
                f"naming #{naming.pk} of person #{person.pk}, consent #{consent.pk}{again}"
            )[:DETAIL_MAX],
        )
    return naming
