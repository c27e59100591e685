"""What a referral package may hold: the pieces of a case the actor's own keys open, each named
by a key the form posts back ("person-12-summary", "evidence-7"…), with what goes in the
package. Only genuine rows count (a link, a check, a document or a pathway whose seal does not
open is left out), and nothing here writes: the package action audits what it takes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.cases.links import linked_people
from safehaven.cases.models import Case, CasePerson, EvidenceFile
from safehaven.cases.verification.checklist import latest_items, seal_opens
from safehaven.core.crypto import SealError
from safehaven.core.uploads.served import SERVED_TYPES, read_served_file
from safehaven.intake.submission.place_names import citizenship_choices, country_choices
from safehaven.intake.submission.region_names import region_name
from safehaven.intake.submission.sealing import read_details
from safehaven.keys.exceptions import RecordUnavailable, SealedValueUnavailable
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import open_record
from safehaven.travel.choices import StepOutcome
from safehaven.travel.compartment import open_travel
from safehaven.travel.documents.queries import opened_documents
from safehaven.travel.pathways.forms import person_label
from safehaven.travel.pathways.pages import case_pathways

CASE_WIDE = None  # a piece of the case, not of one person: it rides on the package's consent


@dataclass(frozen=True, repr=False)
class Attachment:
    """A file that goes in the package as it is (an evidence photo)."""

    filename: str
    content_type: str
    content: bytes

    def __repr__(self) -> str:
        return f"Attachment({self.filename})"


@dataclass(frozen=True, repr=False)
class Piece:
    """One thing a package can hold. ``person_id`` says whose consent it needs (CASE_WIDE: the
    package's own); ``audit`` names it by ids only; ``lines`` are what goes in, as label and
    value; ``attachment`` opens its file only when the piece is chosen."""

    key: str
    group: str
    person_id: int | None
    label: str
    audit_kind: str  # "person #12", "evidence"…: pieces of one kind are listed together
    audit_name: str  # "summary", "7"…
    lines: tuple[tuple[str, str], ...] = ()
    attachment: Callable[[], Attachment] | None = field(default=None, compare=False)

    def __repr__(self) -> str:
        return f"Piece({self.key})"


def _request_fields(person: CasePerson, actor: User, private_key: bytes) -> dict[str, str]:
    """What the person's own request says, if the actor's key opens it (their contacts stay
    with the request: the person chose them for this organisation only)."""
    request = person.help_request
    if request is None or request.is_shredded:
        return {}
    try:
        request.open_with(open_record(request.record_id, user=actor, private_key=private_key))
        details = read_details(request)
    except (RecordUnavailable, SealError, SealedValueUnavailable, ValueError):
        return {}
    names = dict(citizenship_choices())
    region = details.region
    if details.region_code:
        chosen = region_name(details.region_code, details.region_code)
        region = f"{chosen} — {region}" if region else chosen
    return {
        "summary": details.situation,
        "region": region,
        "citizenships": ", ".join(names.get(code, code) for code in details.citizenships),
    }


def _call_fields(person: CasePerson, casework: OpenedRecord) -> dict[str, str]:
    """What staff typed after a call, sealed on the person's row."""
    person.open_with(casework)
    try:
        return {
            name: person.sealed(name) or ""
            for name in ("summary", "region", "citizenships", "contacts")
        }
    except (SealError, SealedValueUnavailable):
        return {}


def _person_pieces(
    case: Case, casework: OpenedRecord, actor: User, private_key: bytes
) -> list[Piece]:
    labels = {
        "summary": _("Summary"),
        "region": _("Region"),
        "citizenships": _("Citizenships"),
        "contacts": _("Contacts"),
    }
    pieces = []
    for person in linked_people(case, casework):
        if person.help_request_id is None:
            values = _call_fields(person, casework)
        else:
            values = _request_fields(person, actor, private_key)
        for name, value in values.items():
            if not value.strip():
                continue
            pieces.append(
                Piece(
                    key=f"person-{person.pk}-{name}",
                    group=person_label(person),
                    person_id=person.pk,
                    label=str(labels[name]),
                    audit_kind=f"person #{person.pk}",
                    audit_name=name,
                    lines=((str(labels[name]), value),),
                )
            )
    return pieces


def _check_pieces(case: Case, casework: OpenedRecord) -> list[Piece]:
    pieces = []
    for row in latest_items(case).values():
        if row is None or not seal_opens(row, casework):
            continue
        outcome = row.get_status_display()
        if row.method:
            outcome = f"{outcome} ({row.get_method_display()})"
        pieces.append(
            Piece(
                key=f"check-{row.pk}",
                group=_("The case"),
                person_id=CASE_WIDE,
                label=_("Verification: %(item)s, %(outcome)s")
                % {"item": row.get_item_display(), "outcome": outcome},
                audit_kind="check",
                audit_name=f"#{row.pk}",
                lines=((f"{_('Verification')}: {row.get_item_display()}", str(outcome)),),
            )
        )
    return pieces


def _evidence_loader(row: EvidenceFile, casework: OpenedRecord) -> Callable[[], Attachment]:
    def load() -> Attachment:
        content, content_type = read_served_file(row.open_with(casework))
        name = f"evidence-{row.pk}.{SERVED_TYPES[content_type]}"
        return Attachment(name, content_type, content)

    return load


def _evidence_pieces(case: Case, casework: OpenedRecord) -> list[Piece]:
    pieces = []
    for row in EvidenceFile.objects.filter(case=case, record_id=casework.record_id):
        try:
            description = row.open_with(casework).sealed("description") or ""
            content_type = row.sealed("content_type")
        except (SealError, SealedValueUnavailable):
            continue
        if content_type not in SERVED_TYPES:
            continue
        label = _("Evidence file #%(number)s") % {"number": row.pk}
        pieces.append(
            Piece(
                key=f"evidence-{row.pk}",
                group=_("The case"),
                person_id=CASE_WIDE,
                label=f"{label}: {description}" if description else label,
                audit_kind="evidence",
                audit_name=f"#{row.pk}",
                lines=((str(label), description),),
                attachment=_evidence_loader(row, casework),
            )
        )
    return pieces


def _document_pieces(
    case: Case, casework: OpenedRecord, actor: User, private_key: bytes
) -> list[Piece]:
    travel = open_travel(case, actor=actor, private_key=private_key)
    if travel is None:
        return []
    people = {person.pk: person for person in linked_people(case, casework)}
    countries = dict(country_choices())
    pieces = []
    for document in opened_documents(case, travel):
        row = document.row
        if document.forged or (row.person_id is not None and row.person_id not in people):
            continue
        details = document.details
        lines = [(str(_("Kind")), str(row.get_kind_display()))]
        for name, label in (("issuing_country", _("Issued by")), ("for_country", _("For"))):
            if details.get(name):
                lines.append((str(label), countries.get(details[name], details[name])))
        lines.append((str(_("Number")), str(details.get("number") or "—")))
        lines.append((str(_("Valid until")), str(details.get("valid_until") or "—")))
        pieces.append(
            Piece(
                key=f"document-{row.pk}",
                group=person_label(people[row.person_id]) if row.person_id else _("The case"),
                person_id=row.person_id,
                label=_("Travel document #%(number)s: %(kind)s")
                % {"number": row.pk, "kind": row.get_kind_display()},
                audit_kind="travel document",
                audit_name=f"#{row.pk}",
                lines=tuple(lines),
            )
        )
    return pieces


def _pathway_pieces(case: Case, casework: OpenedRecord) -> list[Piece]:
    pieces = []
    for pathway in case_pathways(case, casework, timezone.localdate()):
        if pathway.forged:
            continue
        row = pathway.row
        lines = [
            (str(_("Pathway")), str(pathway.entry.title)),
            (str(_("State")), str(row.get_state_display())),
            (str(_("Started on")), row.started_on.isoformat()),
        ]
        for step in pathway.steps:
            if step.forged:
                continue
            outcome = str(StepOutcome(step.row.outcome).label)
            if step.row.done_on:
                outcome = f"{outcome}, {step.row.done_on.isoformat()}"
            lines.append((step.title, outcome))
        pieces.append(
            Piece(
                key=f"pathway-{row.pk}",
                group=_("The case"),
                person_id=CASE_WIDE,
                label=_("Pathway: %(title)s") % {"title": pathway.entry.title},
                audit_kind="pathway",
                audit_name=f"#{row.pk}",
                lines=tuple(lines),
            )
        )
    return pieces


def offered_pieces(
    case: Case, *, casework: OpenedRecord, actor: User, private_key: bytes
) -> list[Piece]:
    """Every piece of ``case`` the actor's keys open, people first, in a stable order."""
    return [
        *_person_pieces(case, casework, actor, private_key),
        *_check_pieces(case, casework),
        *_evidence_pieces(case, casework),
        *_document_pieces(case, casework, actor, private_key),
        *_pathway_pieces(case, casework),
    ]


def audit_contents(pieces: list[Piece]) -> str:
    """The pieces by ids and field names only: "person #12 summary,citizenships; evidence #7,#9"."""
    grouped: dict[str, list[str]] = {}
    for piece in pieces:
        grouped.setdefault(piece.audit_kind, []).append(piece.audit_name)
    return "; ".join(f"{kind} {','.join(names)}" for kind, names in grouped.items())
