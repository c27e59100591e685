"""The case page's travel documents panel: the documents of the case's people, opened with the
viewer's travel key, those due for renewal marked; the forms to add and remove one."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from safehaven.accounts.access import Perm, has_perm
from safehaven.accounts.models import User
from safehaven.cases.choices import CompartmentKind
from safehaven.cases.models import Case
from safehaven.keys.login_key import unlocked_private_key
from safehaven.travel.compartment import open_travel
from safehaven.travel.documents.forms import AddTravelDocumentForm
from safehaven.travel.documents.queries import opened_documents

NO_KEY = "no_key"
CANNOT_OPEN = "cannot_open"


def documents_panel(request: HttpRequest, case: Case) -> dict[str, object] | None:
    user = request.user
    if not isinstance(user, User) or not has_perm(user, Perm.OPEN_CASES):
        return None
    context: dict[str, object] = {
        "case": case,
        "today": timezone.localdate(),
        "problem": None,
        "documents": [],
        "can_add": not case.is_closed,
    }
    private_key = unlocked_private_key(request)
    if private_key is None:
        context["problem"] = NO_KEY
        return {"travel_documents": context}
    if case.compartment_record_id(CompartmentKind.TRAVEL) is not None:
        opened = open_travel(case, actor=user, private_key=private_key)
        if opened is None:
            context["problem"] = CANNOT_OPEN
            return {"travel_documents": context}
        context["documents"] = opened_documents(case, opened)
    context["form"] = AddTravelDocumentForm(case=case)
    return {"travel_documents": context}
