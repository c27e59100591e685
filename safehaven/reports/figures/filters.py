"""What a reader narrows the figures to: a country of origin, a country of arrival, a pathway,
a referring partner, a crisis. Every field is optional; an empty one narrows nothing."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FigureFilters:
    country: str = ""
    destination: str = ""
    pathway: str = ""
    partner_id: int | None = None
    crisis_id: int | None = None

    @property
    def narrows_to_cases(self) -> bool:
        """A filter only a case has (where it arrived, how it travelled): requests are then
        counted from the cases' figures, since a request has neither."""
        return bool(self.destination or self.pathway)

    @property
    def is_empty(self) -> bool:
        return self == FigureFilters()
