"""Who reads and who changes country facts and crises. Anyone with a role reads them (they are
public-law facts, still behind login); only administrators change them (403 otherwise)."""

from __future__ import annotations

from django.http import HttpRequest

from safehaven.accounts.access import get_or_404, has_role, require_role
from safehaven.accounts.models import Role, User
from safehaven.countries.models import Country, Crisis, RiskFact

READERS = tuple(Role)
EDITORS = (Role.ADMIN,)


def require_reader(request: HttpRequest) -> User:
    return require_role(request, *READERS)


def require_editor(request: HttpRequest) -> User:
    return require_role(request, *EDITORS)


def access_country(request: HttpRequest, iso2: str, *, edit: bool = False) -> Country:
    (require_editor if edit else require_reader)(request)
    return get_or_404(Country.objects.all(), iso2.upper())  # type: ignore[arg-type]


def access_risk_fact(request: HttpRequest, fact_id: int) -> RiskFact:
    require_editor(request)
    return get_or_404(RiskFact.objects.select_related("country", "region"), fact_id)


def access_crisis(request: HttpRequest, crisis_id: int) -> Crisis:
    require_editor(request)
    return get_or_404(Crisis.objects.all(), crisis_id)


def can_edit(request: HttpRequest) -> bool:
    user = request.user
    return isinstance(user, User) and has_role(user, *EDITORS)
