"""The only way views fetch a change awaiting approval."""

from django.http import HttpRequest

from safehaven.accounts.access import Perm, get_or_404, require_perm
from safehaven.accounts.models import AdminApproval


def access_approval(
    request: HttpRequest, approval_id: int, need: Perm = Perm.MANAGE_STAFF
) -> AdminApproval:
    require_perm(request, need)
    return get_or_404(
        AdminApproval.objects.select_related("subject", "requested_by", "team", "organisation"),
        approval_id,
    )
