"""The partner API's operations: refer one person, import a batch, list and show referrals.

Each works only on the calling token's own organisation: another organisation's referral is
404, exactly like one that does not exist. Nothing sealed is ever read or returned (the API
holds no private key: it seals new data to public keys through ``do_refer_person``), and a
partner's referral has no codename to return. Each call that reaches its operation writes one
API_TOKEN_USED event, inside the transaction of what it writes.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status
from ninja.errors import HttpError

from safehaven.intake.choices import RequestChannel
from safehaven.intake.models import HelpRequest
from safehaven.partners.api.auth import (
    PerOrganisationThrottle,
    PerTokenThrottle,
    record_refused_use,
    record_token_use,
)
from safehaven.partners.api.schemas import (
    ErrorOut,
    FieldErrorsOut,
    ReferralCreated,
    ReferralIn,
    ReferralOut,
    ReferralPage,
    ReferralsImported,
    RowProblemsOut,
)
from safehaven.partners.referrals.actions import (
    BatchRefused,
    ReferralRefused,
    do_import_referrals,
    do_refer_person,
)
from safehaven.partners.referrals.forms import ReferralForm
from safehaven.partners.referrals.queries import neutral_status, referrals_of

router = Router(tags=["referrals"])
PAGE_SIZE = 50
MAX_PAGE = 100_000
MAX_ID = 2**63 - 1  # the database's integers: a larger id is refused, not sent to it
IMPORT_BODY = {
    "required": True,
    "content": {
        "text/csv": {"schema": {"type": "string"}},
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"csv": {"type": "string"}},
                "required": ["csv"],
                "additionalProperties": False,
            }
        },
    },
}


def _referral_out(help_request: HelpRequest) -> dict[str, Any]:
    return {
        "id": help_request.pk,
        "received_month": help_request.received_month.strftime("%Y-%m"),
        "channel": help_request.channel,
        "status": str(neutral_status(help_request)),
    }


def _form_errors(form: ReferralForm) -> list[dict[str, str]]:
    return [
        {"field": "" if name == "__all__" else name, "message": str(message)}
        for name, messages in form.errors.items()
        for message in messages
    ]


@router.post(
    "/referrals",
    url_name="partners-api-referrals",
    response={201: ReferralCreated, 409: ErrorOut, 422: FieldErrorsOut},
    summary="Refer one person",
    description=(
        "The person's details are sealed at once to the triage team, your organisation's "
        "team and escrow. Answers the new referral's number and neutral status."
    ),
)
def refer_person(request: HttpRequest, payload: ReferralIn) -> Status[dict[str, Any]]:
    form = ReferralForm(payload.model_dump())
    if not form.is_valid():
        record_refused_use(request, operation="refer")
        return Status(
            422,
            {
                "detail": _("The request has errors; nothing was saved."),
                "errors": _form_errors(form),
            },
        )
    token = request.auth  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            help_request = do_refer_person(
                form.draft(),
                organisation=token.organisation,
                channel=RequestChannel.API,
                token=token,
            )
            record_token_use(request, operation="refer", count=1)
    except ReferralRefused as refusal:
        record_refused_use(request, operation="refer")
        return Status(409, {"detail": str(refusal.message)})
    return Status(201, {"id": help_request.pk, "status": str(neutral_status(help_request))})


def _csv_text(request: HttpRequest) -> str:
    """The CSV text of an import: the body itself (``text/csv``), or ``{"csv": "…"}``."""
    if request.content_type == "text/csv":
        try:
            text = request.body.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise HttpError(400, _("The CSV text is not UTF-8.")) from None
    else:
        try:
            data = json.loads(request.body)
        except (ValueError, RecursionError):
            raise HttpError(400, _("The body is not valid JSON.")) from None
        if not isinstance(data, dict) or set(data) != {"csv"} or not isinstance(data["csv"], str):
            raise HttpError(400, _('Send a JSON object with one key: {"csv": "<the CSV text>"}.'))
        text = data["csv"]
    if not text.strip():
        raise HttpError(400, _("The CSV text is empty."))
    return text


@router.post(
    "/referrals/batch",
    url_name="partners-api-import-referrals",
    response={201: ReferralsImported, 400: RowProblemsOut | ErrorOut, 409: ErrorOut},
    throttle=[
        PerTokenThrottle("calls"),
        PerTokenThrottle("imports"),
        PerOrganisationThrottle("organisation_calls"),
        PerOrganisationThrottle("organisation_imports"),
    ],
    summary="Import a batch of referrals from CSV",
    description=(
        "CSV text with a header row naming the same fields as a single referral. Every row "
        "is checked first: if any is wrong, nothing is saved and the answer lists each "
        "problem with its line (the header is line 1)."
    ),
    openapi_extra={"requestBody": IMPORT_BODY},
)
def import_referrals(request: HttpRequest) -> Status[dict[str, Any]]:
    try:
        text = _csv_text(request)
    except HttpError:
        record_refused_use(request, operation="import")
        raise
    token = request.auth  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            made = do_import_referrals(
                text, organisation=token.organisation, channel=RequestChannel.API, token=token
            )
            record_token_use(request, operation="import", count=len(made))
    except BatchRefused as refused:
        record_refused_use(request, operation="import")
        problems = [{"line": p.line, "message": str(p.message)} for p in refused.problems]
        return Status(
            400, {"detail": _("Nothing was saved: some rows are wrong."), "problems": problems}
        )
    except ReferralRefused as refusal:
        record_refused_use(request, operation="import")
        return Status(409, {"detail": str(refusal.message)})
    return Status(201, {"count": len(made), "ids": [help_request.pk for help_request in made]})


@router.get(
    "/referrals",
    url_name="partners-api-referrals",
    response=ReferralPage,
    summary="List your organisation's referrals",
    description=f"Newest first, {PAGE_SIZE} a page.",
)
def list_referrals(request: HttpRequest, page: int = Query(1, ge=1, le=MAX_PAGE)) -> dict[str, Any]:
    token = request.auth  # type: ignore[attr-defined]
    referrals = referrals_of(token.organisation)
    start = (page - 1) * PAGE_SIZE
    items = [_referral_out(item) for item in referrals[start : start + PAGE_SIZE]]
    with transaction.atomic():
        record_token_use(request, operation="list", count=len(items))
    return {"count": referrals.count(), "page": page, "page_size": PAGE_SIZE, "items": items}


@router.get(
    "/referrals/{request_id}",
    url_name="partners-api-show-referral",
    response={200: ReferralOut, 404: ErrorOut},
    summary="One referral of your organisation",
)
def show_referral(
    request: HttpRequest, request_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    token = request.auth  # type: ignore[attr-defined]
    help_request = referrals_of(token.organisation).filter(pk=request_id).first()
    if help_request is None:
        record_refused_use(request, operation="show")
        raise Http404
    with transaction.atomic():
        record_token_use(request, operation="show", count=1)
    return _referral_out(help_request)
