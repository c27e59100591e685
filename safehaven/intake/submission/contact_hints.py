"""Duplicate hints: truncated blind indexes of a request's contact details.

Two requests that share a hint *may* come from the same person; someone allowed to read both
confirms it (core.crypto_blind_index explains why a hint is never proof).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.db.models import Q, QuerySet

from safehaven.core.crypto_blind_index import BlindIndexKind, blind_index
from safehaven.intake.choices import ContactMethod
from safehaven.intake.models import ContactHint, HelpRequest
from safehaven.intake.submission.contact_forms import is_phone_number


def _kind_of(method: str, value: str) -> BlindIndexKind | None:
    if method in {ContactMethod.PHONE, ContactMethod.WHATSAPP}:
        return BlindIndexKind.PHONE
    if method in {ContactMethod.SIGNAL, ContactMethod.TELEGRAM}:
        return BlindIndexKind.PHONE if is_phone_number(value) else BlindIndexKind.HANDLE
    if method == ContactMethod.EMAIL:
        return BlindIndexKind.EMAIL
    # "Another way" is free text: no stable value to index.
    return None


def hints_for(contacts: Mapping[str, str]) -> set[tuple[str, int]]:
    hints = set()
    for method, value in contacts.items():
        kind = _kind_of(method, value)
        if kind is None:
            continue
        try:
            hints.add((kind.value, blind_index(kind, value, settings.BLIND_INDEX_PEPPER)))
        except ValueError:
            # A national number or an odd handle: no hint, the request itself is fine.
            continue
    return hints


def new_contact_hints(help_request: HelpRequest, contacts: Mapping[str, str]) -> list[ContactHint]:
    """The hints of ``contacts`` as unsaved rows of ``help_request`` (which may be unsaved too:
    save it, then ``ContactHint.objects.bulk_create`` them)."""
    return [
        ContactHint(help_request=help_request, kind=kind, index=index)
        for kind, index in sorted(hints_for(contacts))
    ]


def replace_contact_hints(help_request: HelpRequest, contacts: Mapping[str, str]) -> None:
    """Store the hints of ``contacts`` in place of the request's old ones (in the caller's
    transaction)."""
    ContactHint.objects.filter(help_request=help_request).delete()
    ContactHint.objects.bulk_create(new_contact_hints(help_request, contacts))


def possible_duplicates(
    help_request: HelpRequest, among: QuerySet[HelpRequest]
) -> QuerySet[HelpRequest]:
    """Other requests in ``among`` sharing a contact hint with ``help_request``."""
    shared = Q()
    for kind, index in help_request.contact_hints.values_list("kind", "index"):
        shared |= Q(contact_hints__kind=kind, contact_hints__index=index)
    if not shared:
        return among.none()
    return among.filter(shared).exclude(pk=help_request.pk).distinct().order_by("pk")
