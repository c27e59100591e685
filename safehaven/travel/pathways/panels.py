"""The case page's pathways panel, for a viewer whose key opens the case's casework: the
case's pathways and their steps, the forms to start, record, end and send a sheet, and what the
catalogue says of each pathway."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone, translation

from safehaven.cases.models import Case
from safehaven.cases.panels import casework_viewer
from safehaven.travel.pathways.actions import sheet_recipients
from safehaven.travel.pathways.catalogue import Pathway
from safehaven.travel.pathways.forms import StartPathwayForm, person_label
from safehaven.travel.pathways.pages import case_pathways


def _previews(entry: Pathway, languages: list[str]) -> list[tuple[str, list[str]]]:
    previews = []
    for language in languages:
        with translation.override(language):
            previews.append((language, [str(p) for p in entry.sheet]))
    return previews


def pathways_panel(request: HttpRequest, case: Case) -> dict[str, object] | None:
    viewer = casework_viewer(request, case)
    if viewer is None:
        return None
    user, private_key, opened = viewer.user, viewer.private_key, viewer.casework
    rows = case_pathways(case, opened, timezone.localdate())
    # Who may receive a sheet (linked by a seal that opens, their thread opened with the
    # viewer's key), and the preview in each language they read their status page in.
    recipients = (
        sheet_recipients(case, casework=opened, actor=user, private_key=private_key)
        if not case.is_closed and any(row.active for row in rows)
        else []
    )
    languages = sorted({r.help_request.page_language or settings.LANGUAGE_CODE for r in recipients})
    return {
        "pathways": {
            "case": case,
            "rows": [(row, _previews(row.entry, languages)) for row in rows],
            "today": timezone.localdate(),
            "recipients": [
                (r.person.pk, person_label(r.person), r.person.is_primary) for r in recipients
            ],
            "can_add": not case.is_closed,
            "start_form": StartPathwayForm(case=case, initial={"owner": user}),
        }
    }
