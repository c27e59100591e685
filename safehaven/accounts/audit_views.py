"""The audit log page for administrators. Reading the log is itself an audit event."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safehaven.accounts.access import Perm, require_perm
from safehaven.accounts.actions import do_record_audit_view
from safehaven.accounts.audit_display import audit_rows
from safehaven.accounts.audit_forms import AuditFilterForm
from safehaven.core.models import AuditEvent
from safehaven.keys.login_key import is_duress_session

EVENTS_PER_PAGE = 50


@require_GET
def show_audit_log(request: HttpRequest) -> HttpResponse:
    viewer = require_perm(request, Perm.VIEW_AUDIT)
    form = AuditFilterForm(request.GET)
    page = None
    events: list[AuditEvent] = []
    # Invalid filters show their errors and no rows: nothing is read, so nothing is recorded.
    if form.is_valid():
        queryset = form.filter(AuditEvent.objects.select_related("actor", "organisation"))
        if is_duress_session(request):
            # A coerced administrator must not show the coercer who did what.
            queryset = queryset.none()
        page = Paginator(queryset, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
        events = list(page.object_list)
        detail = "; ".join(filter(None, [f"page {page.number}", form.describe()]))
        do_record_audit_view(
            viewer=viewer, filtered_username=form.cleaned_data["actor"], detail=detail
        )
    return render(
        request,
        "accounts/audit_log.html",
        {"form": form, "page": page, "events": events, "rows": audit_rows(events)},
    )
