"""The words of a case: its states, how it closes, its compartments and who is assigned."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseState(models.TextChoices):
    """Where a case stands (DOMAIN.md, "A case's life"). The moves between them are the one
    table in ``cases.workflow.transitions``; the person only ever reads a neutral sentence."""

    RECEIVED = "received", _("Received")
    SCREENING = "screening", _("Screening")
    VERIFICATION = "verification", _("Verification")
    VERIFIED = "verified", _("Verified")
    PLANNING = "planning", _("Planning")
    TRAVEL_BOOKED = "travel_booked", _("Travel booked")
    IN_TRANSIT = "in_transit", _("In transit")
    ARRIVED = "arrived", _("Arrived")
    POST_ARRIVAL = "post_arrival", _("Post-arrival support")
    # Side exits and holds, reachable from most states.
    WAITLISTED = "waitlisted", _("Waitlisted")
    DECLINED = "declined", _("Declined")
    REFERRED_OUT = "referred_out", _("Referred elsewhere")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    CLOSED = "closed", _("Closed")


class CaseOutcome(models.TextChoices):
    RELOCATED = "relocated", _("Relocated")
    SUPPORTED_IN_PLACE = "supported_in_place", _("Supported in place")
    REFERRED = "referred", _("Referred elsewhere")
    INELIGIBLE = "ineligible", _("Ineligible")
    NO_CONTACT = "no_contact", _("No contact")
    MERGED = "merged", _("Merged into another case")


class CaseOrigin(models.TextChoices):
    REQUEST = "request", _("Help request")
    PHONE_CALL = "phone_call", _("Phone call")


class CompartmentKind(models.TextChoices):
    """A case's sealed data is split by who needs it (SECURITY.md, "Keys"): each compartment is
    a record with its own data key, wrapped only to its readers. The request as received and
    its messages are the request's own records (``intake``)."""

    CASEWORK = "casework", _("Casework")
    TRAVEL = "travel", _("Travel")
    PAYMENTS = "payments", _("Payments")


class AssignmentRole(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    INTERPRETER = "interpreter", _("Interpreter")


class VerificationItemKind(models.TextChoices):
    """What a case's verification checklist asks (DOMAIN.md, "Verification")."""

    IDENTITY = "identity", _("Identity")
    RISK = "risk", _("Risk")
    LGBTQ_IDENTITY = "lgbtq_identity", _("Identity as LGBTQ+")


class VerificationStatus(models.TextChoices):
    NOT_CHECKED = "not_checked", _("Not checked")
    CONFIRMED = "confirmed", _("Confirmed")
    DOUBTFUL = "doubtful", _("Doubtful")


class VerificationMethod(models.TextChoices):
    DOCUMENT = "document", _("Document")
    INTERVIEW = "interview", _("Interview")
    PARTNER_ATTESTED = "partner_attested", _("Attested by a partner")
    CO_VERIFIED = "co_verified", _("Co-verified by a partner and staff")


class ApprovalDecision(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
