"""A case's saved routes opened with its travel compartment: a row that does not match its
seal (written or changed outside the application, e.g. its status switched to "saved") is
shown as damaged, never as a route."""

from __future__ import annotations

from dataclasses import dataclass

from safehaven.cases.models import Case
from safehaven.core.crypto import SealError
from safehaven.keys.exceptions import SealedValueUnavailable
from safehaven.keys.opened import OpenedRecord
from safehaven.travel.models import SavedRoute
from safehaven.travel.saved_routes.sealing import SealedRoute, route_from_json


@dataclass(frozen=True, repr=False)
class OpenedRoute:
    row: SavedRoute
    content: SealedRoute | None  # None: the row does not match its seal (damaged)
    override_reason: str = ""

    @property
    def damaged(self) -> bool:
        return self.content is None

    def __repr__(self) -> str:
        return f"OpenedRoute(#{self.row.pk}, damaged={self.damaged})"


def open_saved_route(row: SavedRoute, opened: OpenedRecord) -> OpenedRoute:
    """The row opened; ``content`` None when either seal does not open under the row's clear
    fields, or its route is not one the application wrote."""
    try:
        row.open_with(opened)
        content = route_from_json(row.sealed("route") or "")
        reason = row.sealed("override_reason") or ""
    except (SealError, SealedValueUnavailable, ValueError):
        return OpenedRoute(row, None)
    return OpenedRoute(row, content, reason)


def open_saved_routes(case: Case, opened: OpenedRecord) -> list[OpenedRoute]:
    rows = SavedRoute.objects.filter(case=case).select_related("saved_by", "override_by")
    return [open_saved_route(row, opened) for row in rows]
