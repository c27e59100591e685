"""The fixed answers of the help request form, as enums (no magic strings in views or
templates). Labels speak to the person asking, in plain words."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactMethod(models.TextChoices):
    SIGNAL = "signal", _("Signal")
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEGRAM = "telegram", _("Telegram")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone call or text message")
    OTHER = "other", _("Another way")


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


class PassportStatus(models.TextChoices):
    VALID = "valid", _("Yes, a valid passport")
    EXPIRED = "expired", _("I have one, but it has expired")
    NONE = "none", _("No")
    UNKNOWN = "unknown", _("I am not sure")


class RiskIndicator(models.TextChoices):
    DETAINED = "detained", _("I have been detained or questioned by police or officials")
    OUTED = "outed", _("People who should not know about me found out (I was outed)")
    THREATS_FAMILY = "threats_family", _("My family threatens me")
    THREATS_COMMUNITY = "threats_community", _("People around me threaten me")
    THREATS_STATE = "threats_state", _("The police, the army or the state threaten me")
    IN_HIDING = "in_hiding", _("I am hiding now")
    VIOLENCE = "violence", _("I have been hurt or attacked")
    HEALTH = "health", _("I need medical care or medicine, for example HIV treatment")


class RiskBand(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class RequestStatus(models.TextChoices):
    """Where a request stands. Staff see these labels; the requester sees only the neutral
    sentence of ``requester_status_text`` (never a route, a place, a flight or a name)."""

    RECEIVED = "received", _("Received")
    REVIEWING = "reviewing", _("Being reviewed")
    WILL_CONTACT = "will_contact", _("We will contact the person")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn by the person")
    # Set only by the case workflow (cases.workflow), for every request of a case: each says
    # no more than that work goes on, waits, or needs the person to write.
    IN_PROGRESS = "in_progress", _("Case in progress")
    WAITING = "waiting", _("Case on hold")
    CONTACT_LOST = "contact_lost", _("Contact with the person lost")


# The states triage moves a request between (withdrawal is the requester's own action).
TRIAGE_STATUSES = (
    RequestStatus.RECEIVED,
    RequestStatus.REVIEWING,
    RequestStatus.WILL_CONTACT,
    RequestStatus.CLOSED,
)
OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.REVIEWING, RequestStatus.WILL_CONTACT)


class MessageKind(models.TextChoices):
    FROM_REQUESTER = "requester", _("From the person")
    FROM_STAFF = "staff", _("From us")
    # Automatic notices for staff only (check-ins, changed contact details): never shown to
    # the requester, because a danger check-in must leave nothing on their screen.
    NOTICE = "notice", _("Notice")
    # A key holder's acknowledgement of a check-in notice, with their note; staff only.
    ACKNOWLEDGEMENT = "ack", _("Check-in acknowledged")


# The kinds that arrive with nobody's key present and so may be sealed to the request's public
# inbox key. Anyone who can write the database can seal to that key too: a staff reply or an
# acknowledgement sealed that way is forged (SECURITY.md).
INBOX_KINDS = (MessageKind.FROM_REQUESTER, MessageKind.NOTICE)
# What the person sees of their thread: never a notice or an acknowledgement.
REQUESTER_THREAD_KINDS = (MessageKind.FROM_REQUESTER, MessageKind.FROM_STAFF)


class Notice(models.TextChoices):
    """What an automatic notice says; sealed like any message, so the danger notice is
    indistinguishable from the others in the database."""

    CHECKED_IN = "checked_in", _("The person checked in with their check-in phrase.")
    DANGER = (
        "danger",
        _(
            "DANGER: the person opened their status page with their danger phrase. They may be "
            "watched or forced. Do not contact them in a way that could expose them."
        ),
    )
    CONTACTS_CHANGED = "contacts_changed", _("The person changed their contact details.")


# Sealed notices are padded to one length: a sealed value is as long as what it holds, and a
# copy of the database must not tell a danger check-in ("danger") from another notice.
NOTICE_LENGTH = max(len(notice.value) for notice in Notice)


def padded_notice(notice: Notice) -> str:
    return notice.value.ljust(NOTICE_LENGTH)


# Both need the same explicit acknowledgement, so nothing in clear tells one from the other.
CHECK_IN_NOTICES = (Notice.CHECKED_IN, Notice.DANGER)


def notice_from(body: str) -> Notice | None:
    """The notice a sealed notice body holds (padded or, if written before padding, not)."""
    try:
        return Notice(body.strip())
    except ValueError:
        return None


class AttachmentKind(models.TextChoices):
    """What a file attached to a request is; bound into its seal."""

    DOCUMENT_PHOTO = "document", _("Document photo from the person")
    PARTNER_EVIDENCE = "partner", _("Evidence from the referring partner")


class RequestChannel(models.TextChoices):
    """How a request reached the organisation (reports count by it; it names no one)."""

    FORM = "form", _("Public form")
    PORTAL = "portal", _("Partner portal")
    API = "api", _("Partner API")
    IMPORT = "import", _("Partner batch import")
