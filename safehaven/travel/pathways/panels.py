"""The case page's pathways panel, for a viewer whose key opens the case's casework: the
case's pathways and their steps, the forms to start, record, end and send a sheet, and what the
catalogue says of each pathway."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone, translation

from safehaven.accounts.access import Perm, has_perm
from safehaven.accounts.models import User
from safehaven.cases.choices import CompartmentKind
from safehaven.cases.compartments import open_compartment
from safehaven.cases.models import Case
from safehaven.keys.login_key import unlocked_private_key
from safehaven.travel.pathways.catalogue import Pathway
from safehaven.travel.pathways.forms import StartPathwayForm
from safehaven.travel.pathways.pages import case_pathways


def _previews(entry: Pathway, languages: list[str]) -> list[tuple[str, list[str]]]:
    previews = []
    for language in languages:
        with translation.override(language):
            previews.append((language, [str(p) for p in entry.sheet]))
    return previews


def pathways_panel(request: HttpRequest, case: Case) -> dict[str, object] | None:
    user = request.user
    if not isinstance(user, User) or not has_perm(user, Perm.OPEN_CASES):
        return None
    private_key = unlocked_private_key(request)
    if private_key is None:
        return None
    opened = open_compartment(case, CompartmentKind.CASEWORK, user=user, private_key=private_key)
    if opened is None:
        return None
    rows = case_pathways(case, opened, timezone.localdate())
    # The preview in each language the case's people read their status page in.
    languages = sorted(
        {
            person.help_request.page_language or settings.LANGUAGE_CODE
            for person in case.people.select_related("help_request")
            if person.help_request is not None
        }
    )
    return {
        "pathways": {
            "case": case,
            "rows": [(row, _previews(row.entry, languages)) for row in rows],
            "today": timezone.localdate(),
            "can_add": not case.is_closed,
            "start_form": StartPathwayForm(case=case, initial={"owner": user}),
        }
    }
