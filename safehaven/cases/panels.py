"""The case page's panels: how a feature of ``cases``, or a higher app (travel, finance), shows
its part of a case without ``cases`` importing it (docs/architecture.md, "Showing a higher
app's data on a lower app's page")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from safehaven.accounts.access import Perm, has_perm
from safehaven.accounts.models import User
from safehaven.cases.choices import CompartmentKind
from safehaven.cases.compartments import open_compartment
from safehaven.cases.models import Case
from safehaven.keys.login_key import is_duress_session, unlocked_private_key
from safehaven.keys.opened import OpenedRecord


@dataclass(frozen=True)
class CasePanel:
    name: str  # "travel-routes"
    template: str  # "travel/case_panel_routes.html", in the app that registers it
    # The template's context, or None when the viewer may not see it (or there is nothing to
    # show). It checks access itself and only reads; it audits what it opens as a view would.
    context: Callable[[HttpRequest, Case], dict[str, object] | None]
    order: int = 100


_PANELS: dict[str, CasePanel] = {}


def register_case_panel(panel: CasePanel) -> None:
    """Add a panel (in an ``AppConfig.ready``). A name registered twice is a wiring error."""
    if panel.name in _PANELS:
        raise ValueError(f"A case panel named {panel.name!r} is already registered.")
    _PANELS[panel.name] = panel


def case_panels() -> list[CasePanel]:
    """Every registered panel, in order."""
    return sorted(_PANELS.values(), key=lambda panel: (panel.order, panel.name))


@dataclass(frozen=True)
class CaseworkViewer:
    """Who is looking at a casework panel, with their unlocked key and the case's casework
    opened by it."""

    user: User
    private_key: bytes
    casework: OpenedRecord


def casework_viewer(request: HttpRequest, case: Case) -> CaseworkViewer | None:
    """The viewer of a panel that shows casework: someone who may open cases, in an ordinary
    session, whose own unlocked key opens the case's casework; None for anyone else (the panel
    then shows nothing)."""
    user = request.user
    if not isinstance(user, User) or is_duress_session(request):
        return None
    if not has_perm(user, Perm.OPEN_CASES):
        return None
    private_key = unlocked_private_key(request)
    if private_key is None:
        return None
    opened = open_compartment(case, CompartmentKind.CASEWORK, user=user, private_key=private_key)
    if opened is None:
        return None
    return CaseworkViewer(user, private_key, opened)
