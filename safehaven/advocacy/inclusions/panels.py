"""The case page's advocacy panel, for a viewer whose own key opens the case's casework: the
requests the case is counted in (the government and programme, never another case), the
people named for it, and the forms to count it, take it out or name someone."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from safehaven.advocacy.access import open_requests_of
from safehaven.advocacy.choices import OPEN_STATUSES
from safehaven.advocacy.inclusions.actions import may_be_counted
from safehaven.advocacy.inclusions.forms import IncludeCaseForm, request_label
from safehaven.advocacy.models import AdvocacyInclusion, AdvocacyRequest
from safehaven.advocacy.namings.queries import OpenedNaming, open_namings, person_label
from safehaven.cases.models import Case
from safehaven.cases.panels import casework_viewer
from safehaven.intake.submission.place_names import country_choices


@dataclass(frozen=True, repr=False)
class PanelNaming:
    opened: OpenedNaming
    person: str  # the person's place in the case


@dataclass(frozen=True, repr=False)
class PanelInclusion:
    inclusion: AdvocacyInclusion
    label: str
    is_open: bool
    namings: list[PanelNaming]


def requests_to_offer(case: Case) -> list[AdvocacyRequest]:
    """The open requests of the case's organisation it is not counted in yet."""
    counted = AdvocacyInclusion.objects.filter(case=case, removed_at__isnull=True).values(
        "advocacy_request_id"
    )
    return list(open_requests_of(case.organisation).exclude(pk__in=counted))


def advocacy_panel(request: HttpRequest, case: Case) -> dict[str, object] | None:
    viewer = casework_viewer(request, case)
    if viewer is None:
        return None
    names = dict(country_choices())
    inclusions = AdvocacyInclusion.objects.filter(
        case=case, removed_at__isnull=True
    ).select_related("case", "advocacy_request__crisis")
    shown = [
        PanelInclusion(
            inclusion,
            request_label(inclusion.advocacy_request, names),
            inclusion.advocacy_request.status in OPEN_STATUSES,
            [
                PanelNaming(opened, person_label(opened.row.person))
                for opened in open_namings(inclusion, viewer.casework)
            ],
        )
        for inclusion in inclusions
    ]
    offered = requests_to_offer(case) if may_be_counted(case) else []
    if not shown and not offered:
        return None
    form = IncludeCaseForm(requests=offered, auto_id="advocacy-%s") if offered else None
    return {"advocacy": {"case": case, "inclusions": shown, "include_form": form}}
