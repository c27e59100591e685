"""Duplicate hints: truncated blind indexes of a request's contact details, and of the name a
referring partner gave (the public form asks none).

Two requests that share a hint *may* come from the same person; someone allowed to read both
confirms it (core.crypto_blind_index explains why a hint is never proof).
"""

from __future__ import annotations

import unicodedata
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


def name_hint(name: str) -> tuple[str, int] | None:
    """The hint of a name: besides what ``blind_index`` folds (case, accents, spaces),
    punctuation counts as a space, so "Anna-Maria" and "anna maria" give one hint. None when
    nothing is left."""
    spaced = "".join(" " if unicodedata.category(char)[0] == "P" else char for char in name)
    try:
        return (
            BlindIndexKind.NAME.value,
            blind_index(BlindIndexKind.NAME, spaced, settings.BLIND_INDEX_PEPPER),
        )
    except ValueError:
        return None


def new_contact_hints(
    help_request: HelpRequest, contacts: Mapping[str, str], *, name: str = ""
) -> list[ContactHint]:
    """The hints of ``contacts`` (and of ``name``, when given) as unsaved rows of
    ``help_request`` (which may be unsaved too: save it, then ``ContactHint.objects.bulk_create``
    them)."""
    hints = hints_for(contacts)
    named = name_hint(name) if name else None
    if named is not None:
        hints.add(named)
    return [
        ContactHint(help_request=help_request, kind=kind, index=index)
        for kind, index in sorted(hints)
    ]


def replace_contact_hints(help_request: HelpRequest, contacts: Mapping[str, str]) -> None:
    """Store the hints of ``contacts`` in place of the request's old contact hints (in the
    caller's transaction); a name hint stays: new contact details do not change the name."""
    ContactHint.objects.filter(help_request=help_request).exclude(
        kind=BlindIndexKind.NAME.value
    ).delete()
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
