"""Record and withdraw a person's consent to share their information with one recipient, and
make a referral package on demand.

A consent is sealed under the case's casework key with its clear columns (case, person,
recipient kind, who recorded it and the hour, ``withdrawn_at``) bound in: a consent inserted,
moved to another person or recipient, or revived in the database no longer opens, and no
package relies on it (``queries.valid_consent``). A consent to a government seals which one
(its country), so that it lets the person be named to that government only. The audit names
ids and the recipient kind, never the recipient's name, contact or country.

A package is made for one genuine consent and holds exactly the pieces chosen
(``contents.offered_pieces``); a piece of another person of the household needs that person's
own consent to the same recipient. It is returned, never stored: the audit lists its recipient
kind, consent, format and contents by ids and field names."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.cases.compartments import open_casework, refuse_if_closed
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.links import person_is_linked
from safehaven.cases.models import Case, CasePerson
from safehaven.core.audit import DETAIL_MAX, record_event
from safehaven.core.coarse_time import this_hour
from safehaven.core.event_types import EventType
from safehaven.intake.submission.place_names import country_choices
from safehaven.travel.choices import ReferralRecipient
from safehaven.travel.models import ReferralConsent
from safehaven.travel.referral_packages.archive import encrypted_archive, passphrase_problem
from safehaven.travel.referral_packages.contents import Piece, audit_contents, offered_pieces
from safehaven.travel.referral_packages.package import (
    AttachedFile,
    PackageFormat,
    ReferralPackage,
    archive_files,
    grouped,
)
from safehaven.travel.referral_packages.queries import (
    OpenConsent,
    open_consents,
    opened_details,
)
from safehaven.travel.referral_packages.sealing import ConsentDetails, consent_to_json

MAX_TEXT = 2000


def _clean(text: str, message: str, *, required: bool = True) -> str:
    cleaned = (text or "").strip()
    if (required and not cleaned) or len(cleaned) > MAX_TEXT:
        raise CaseActionRefused(message)
    return cleaned


def checked_government_country(recipient_kind: str, government_country: str) -> str:
    """The country of the government a consent names: required for a government (one of the
    project's countries), refused for any other recipient. Raises CaseActionRefused."""
    country = (government_country or "").strip()
    if recipient_kind != ReferralRecipient.GOVERNMENT:
        if country:
            raise CaseActionRefused(
                _("Only a consent to a government names a country: leave it empty.")
            )
        return ""
    if not country:
        raise CaseActionRefused(_("Choose the country whose government the person agreed to."))
    if country not in dict(country_choices()):
        raise CaseActionRefused(_("Choose the government's country from the list."))
    return country


def do_record_referral_consent(
    case: Case,
    *,
    person: CasePerson,
    recipient_kind: str,
    recipient_name: str,
    recipient_contact: str,
    how_given: str,
    note: str,
    government_country: str = "",
    actor: User,
    private_key: bytes,
) -> ReferralConsent:
    """Record that ``person`` (linked to ``case``) agreed to share with a recipient of
    ``recipient_kind``, named and reached as given; for a government, the government of
    ``government_country`` (ISO 3166-1 alpha-2, required then and only then). Raises
    CaseActionRefused."""
    refuse_if_closed(case)
    if recipient_kind not in ReferralRecipient.values:
        raise CaseActionRefused(_("Choose who the package goes to."))
    details = ConsentDetails(
        recipient_name=_clean(recipient_name, _("Give the recipient's name.")),
        recipient_contact=_clean(recipient_contact, _("Say how the package reaches them.")),
        how_given=_clean(how_given, _("Say how the person gave their consent.")),
        note=_clean(note, _("The note is too long."), required=False),
        government_country=checked_government_country(recipient_kind, government_country),
    )
    opened = open_casework(case, actor=actor, private_key=private_key)
    if person.case_id != case.pk or not person_is_linked(person, opened):
        raise CaseActionRefused(_("This person is not of this case."))
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)
        refuse_if_closed(locked)
        consent = ReferralConsent(
            record_id=opened.record_id,
            case=locked,
            person=person,
            recipient_kind=recipient_kind,
            recorded_by=actor,
            recorded_at=this_hour(),
        )
        consent.open_with(opened).seal("details", consent_to_json(details))
        consent.save()
        record_event(
            EventType.REFERRAL_CONSENT_RECORDED,
            actor=actor,
            organisation=locked.organisation,
            target=locked,
            detail=f"consent #{consent.pk} of person #{person.pk} to {recipient_kind}",
        )
    return consent


def do_withdraw_referral_consent(
    consent: ReferralConsent, *, actor: User, private_key: bytes
) -> ReferralConsent:
    """Withdraw ``consent``: its details are sealed again with the withdrawal's hour bound in,
    so that clearing ``withdrawn_at`` in the database leaves a consent that no longer opens.
    A closed case still takes a withdrawal. Raises CaseActionRefused."""
    opened = open_casework(consent.case, actor=actor, private_key=private_key)
    with transaction.atomic():
        locked = (
            ReferralConsent.objects.select_for_update()
            .select_related("case__organisation")
            .get(pk=consent.pk)
        )
        details = opened_details(locked, opened)
        if details is None:
            raise CaseActionRefused(
                _("This consent does not match its seal: tell your administrators.")
            )
        if locked.withdrawn_at is not None:
            raise CaseActionRefused(_("This consent is already withdrawn."))
        # The withdrawal is bound into the seal: set it first.
        locked.withdrawn_at = this_hour()
        locked.open_with(opened).seal("details", consent_to_json(details))
        locked.save(update_fields=["withdrawn_at", "details"])
        record_event(
            EventType.REFERRAL_CONSENT_WITHDRAWN,
            actor=actor,
            organisation=locked.case.organisation,
            target=locked.case,
            detail=f"consent #{locked.pk} of person #{locked.person_id} to {locked.recipient_kind}",
        )
    consent.withdrawn_at, consent.details = locked.withdrawn_at, locked.details
    return locked


def _same_recipient(one: OpenConsent, other: OpenConsent) -> bool:
    return (
        one.recipient_kind == other.recipient_kind
        and one.government_country == other.government_country
        and one.recipient_name.strip().casefold() == other.recipient_name.strip().casefold()
    )


def _refuse_without_consent(
    pieces: list[Piece], consent: OpenConsent, valid: list[OpenConsent]
) -> None:
    """Every person a piece is about agreed to share with this very recipient."""
    for piece in pieces:
        if piece.person_id is None or piece.person_id == consent.consent.person_id:
            continue
        if not any(
            item.consent.person_id == piece.person_id and _same_recipient(item, consent)
            for item in valid
        ):
            raise CaseActionRefused(
                _(
                    "%(person)s has not agreed to share with this recipient: record their "
                    "consent first, or leave their details out."
                )
                % {"person": piece.group}
            )


def do_make_referral_package(
    case: Case,
    *,
    consent: ReferralConsent,
    chosen: Collection[str],
    package_format: str,
    passphrase: str = "",
    actor: User,
    private_key: bytes,
) -> ReferralPackage:
    """The package of the ``chosen`` pieces (their keys) for ``consent``'s recipient, as a
    printable page's content or an archive encrypted to ``passphrase``; its making audited.
    Raises CaseActionRefused."""
    if package_format not in PackageFormat.values:
        raise CaseActionRefused(_("Choose a printable page or an encrypted archive."))
    if package_format == PackageFormat.ARCHIVE:
        problem = passphrase_problem(passphrase, actor=actor)
        if problem:
            raise CaseActionRefused(problem)
    if not chosen:
        raise CaseActionRefused(_("Choose what goes in the package."))
    opened = open_casework(case, actor=actor, private_key=private_key)
    valid = open_consents(case, opened)
    own = next((item for item in valid if item.pk == consent.pk), None)
    if own is None or consent.case_id != case.pk:
        raise CaseActionRefused(
            _("This consent is withdrawn or does not match its seal: no package can rely on it.")
        )
    offered = {
        piece.key: piece
        for piece in offered_pieces(case, casework=opened, actor=actor, private_key=private_key)
    }
    unknown = set(chosen) - set(offered)
    if unknown:
        raise CaseActionRefused(
            _("Something chosen is not of this case, or your keys do not open it.")
        )
    pieces = [piece for key, piece in offered.items() if key in set(chosen)]
    _refuse_without_consent(pieces, own, valid)
    detail = (
        f"consent #{own.pk} to {own.recipient_kind}, {package_format}: {audit_contents(pieces)}"
    )
    if len(detail) > DETAIL_MAX:
        raise CaseActionRefused(_("Too much for one package: split it into two."))
    package = ReferralPackage(
        consent=own,
        package_format=package_format,
        organisation_name=case.organisation.name,
        case_number=case.pk,
        made_on=timezone.localdate(),
        groups=grouped(pieces),
        files=[AttachedFile(p, p.attachment()) for p in pieces if p.attachment is not None],
    )
    if package_format == PackageFormat.ARCHIVE:
        archive = encrypted_archive(archive_files(package), passphrase)
        package = dataclasses.replace(package, archive=archive)
    with transaction.atomic():
        record_event(
            EventType.REFERRAL_PACKAGE_MADE,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=detail,
        )
    return package
