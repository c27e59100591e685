"""Shared helpers for the partner API tests: a token of a seeded partner, a client that sends
it, and a fresh rate limiter (it counts per token id, and ids repeat across rolled-back tests)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from safehaven.core.models import AuditEvent
from safehaven.partners.api.auth import LIMITER
from safehaven.partners.api.tokens import do_create_api_token
from safehaven.partners.models import ApiToken

API = "/api/partners/v1"


def make_token(world: Any, partner: str = "partner_a", *, days: int = 90) -> tuple[ApiToken, str]:
    """A token of partner ``partner``, made by its seeded member; and its secret."""
    return do_create_api_token(
        organisation=getattr(world, partner),
        label="Referral program",
        valid_days=days,
        actor=world.users[partner],
    )


def api_client(secret: str | None = None) -> Client:
    """A client that sends ``secret`` as its Bearer token (and no cookie)."""
    headers = {"authorization": f"Bearer {secret}"} if secret is not None else {}
    return Client(headers=headers)


def post_json(client: Client, path: str, body: Any) -> Any:
    return client.post(f"{API}{path}", body, content_type="application/json")


def events(event_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event_type).order_by("pk"))


def forget_rate_counts() -> None:
    LIMITER.clear()
