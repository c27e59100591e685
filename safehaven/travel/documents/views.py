"""Recording and removing a case's travel documents, from the case page's travel panel."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from safehaven.accounts.access import current_user, get_or_404
from safehaven.cases.access import access_case
from safehaven.cases.verification.pages import decide_and_go_back, post_or_show_form
from safehaven.travel.documents.actions import do_add_travel_document, do_remove_travel_document
from safehaven.travel.documents.forms import AddTravelDocumentForm
from safehaven.travel.models import TravelDocument


@require_http_methods(["GET", "POST"])
def add_travel_document(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request, case_id)
    form = AddTravelDocumentForm(request.POST or None, case=case)

    def add(private_key: bytes, data: dict[str, Any]) -> str:
        do_add_travel_document(
            case,
            person=data["person"],
            kind=data["kind"],
            issuing_country=data["issuing_country"].pk if data["issuing_country"] else "",
            for_country=data["for_country"].pk if data["for_country"] else "",
            number=data["number"],
            valid_until=data["valid_until"],
            actor=current_user(request),
            private_key=private_key,
        )
        return _("Travel document recorded, sealed with the case's travel records.")

    return post_or_show_form(request, case, form, title=_("Record a travel document"), act=add)


@require_POST
def remove_travel_document(request: HttpRequest, case_id: int, document_id: int) -> HttpResponse:
    case = access_case(request, case_id)
    document = get_or_404(
        TravelDocument.objects.filter(case=case, removed_at__isnull=True), document_id
    )

    def remove(private_key: bytes) -> str:
        do_remove_travel_document(document, actor=current_user(request), private_key=private_key)
        return _("Travel document removed.")

    return decide_and_go_back(request, case, remove)
