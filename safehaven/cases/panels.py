"""The case page's panels: how a feature of ``cases``, or a higher app (travel, finance), shows
its part of a case without ``cases`` importing it (docs/architecture.md, "Showing a higher
app's data on a lower app's page")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from safehaven.cases.models import Case


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
