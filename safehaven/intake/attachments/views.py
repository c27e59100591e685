"""The download of one attachment: the reader's own key opens it, the read is audited, and the
browser is told to save it, never to show or keep it."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from safehaven.accounts.access import Perm, current_user
from safehaven.core.uploads.served import served_file_response
from safehaven.intake.access import access_help_request
from safehaven.intake.attachments.actions import do_open_attachment
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.login_key import unlocked_private_key


@require_GET
def download_attachment(request: HttpRequest, request_id: int, item_id: uuid.UUID) -> HttpResponse:
    help_request = access_help_request(request, request_id, need=Perm.READ_REQUESTS)
    private_key = unlocked_private_key(request)
    if private_key is None:
        raise PermissionDenied
    try:
        opened = do_open_attachment(
            help_request, item_id, actor=current_user(request), private_key=private_key
        )
    except RecordUnavailable:
        raise PermissionDenied from None
    return served_file_response(opened.content, opened.content_type, opened.filename)
