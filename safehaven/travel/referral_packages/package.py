"""A referral package as it is handed over: the chosen pieces grouped by whose they are, for
the printable page, or written out as the files of the encrypted archive (a README listing
them, the details as text, each evidence file as it is). Nothing here touches the database."""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safehaven.travel.referral_packages.contents import Attachment, Piece
from safehaven.travel.referral_packages.queries import OpenConsent

README = "README.txt"
DETAILS = "referral.txt"
EVIDENCE_FOLDER = "evidence"


class PackageFormat(models.TextChoices):
    PRINT = "print", gettext_lazy("A printable page (print it, or save it as a PDF)")
    ARCHIVE = "archive", gettext_lazy("An archive encrypted to a passphrase (7z)")


@dataclass(frozen=True, repr=False)
class Group:
    name: str
    pieces: list[Piece]


@dataclass(frozen=True, repr=False)
class AttachedFile:
    piece: Piece
    attachment: Attachment

    @property
    def path(self) -> str:
        return f"{EVIDENCE_FOLDER}/{self.attachment.filename}"

    @property
    def data_uri(self) -> str:
        """The image inline, for the printable page (nothing fetched after it is shown)."""
        encoded = base64.b64encode(self.attachment.content).decode("ascii")
        return f"data:{self.attachment.content_type};base64,{encoded}"


@dataclass(frozen=True, repr=False)
class ReferralPackage:
    """What one package holds, made on demand and never stored. ``archive`` is the encrypted
    archive's bytes (None for a printable page)."""

    consent: OpenConsent
    package_format: str
    organisation_name: str
    case_number: int
    made_on: datetime.date
    groups: list[Group]
    files: list[AttachedFile]
    archive: bytes | None = None

    def __repr__(self) -> str:
        return f"ReferralPackage(consent {self.consent.pk}, {self.package_format})"

    @property
    def recipient_name(self) -> str:
        return self.consent.recipient_name

    @property
    def recipient_kind_label(self) -> str:
        return str(self.consent.consent.get_recipient_kind_display())

    @property
    def government_country_name(self) -> str:
        """The country of the government it goes to ("" for any other recipient)."""
        return self.consent.government_country_name

    @property
    def filename(self) -> str:
        """The archive's name: no name, place or recipient, only the day."""
        return f"referral-{self.made_on.isoformat()}.7z"


def grouped(pieces: list[Piece]) -> list[Group]:
    groups: dict[str, list[Piece]] = {}
    for piece in pieces:
        groups.setdefault(piece.group, []).append(piece)
    return [Group(name, chosen) for name, chosen in groups.items()]


def _heading(package: ReferralPackage) -> list[str]:
    country = package.government_country_name
    return [
        _("Referral to %(recipient)s (%(kind)s)")
        % {"recipient": package.recipient_name, "kind": package.recipient_kind_label},
        *([_("To the government of %(country)s.") % {"country": country}] if country else []),
        _("From %(organisation)s, case #%(number)s, made on %(day)s.")
        % {
            "organisation": package.organisation_name,
            "number": package.case_number,
            "day": package.made_on.isoformat(),
        },
        _("Shared with the consent of the people it is about, for this recipient only."),
    ]


def _indented(value: str) -> str:
    return "\n    ".join(value.splitlines()) or "—"


def details_text(package: ReferralPackage) -> str:
    """``referral.txt``: the chosen details, one block per person, then the case's."""
    lines = _heading(package)
    for group in package.groups:
        lines += ["", f"== {group.name} =="]
        for piece in group.pieces:
            for label, value in piece.lines:
                lines.append(f"{label}: {_indented(value)}")
            if piece.attachment is not None:
                path = next(f.path for f in package.files if f.piece is piece)
                lines.append(_("File: %(path)s") % {"path": path})
    return "\n".join(lines) + "\n"


def readme_text(package: ReferralPackage) -> str:
    """``README.txt``: what the archive holds, file by file."""
    lines = [
        *_heading(package),
        "",
        _("This archive holds:"),
        f"  {README}: " + _("this list"),
        f"  {DETAILS}: " + _("the details chosen for you, as text"),
    ]
    lines += [f"  {attached.path}: {attached.piece.label}" for attached in package.files]
    lines += ["", _("Keep it where only the people handling this referral can read it.")]
    return "\n".join(lines) + "\n"


def archive_files(package: ReferralPackage) -> list[tuple[str, bytes]]:
    return [
        (README, readme_text(package).encode()),
        (DETAILS, details_text(package).encode()),
        *[(attached.path, attached.attachment.content) for attached in package.files],
    ]
