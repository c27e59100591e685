"""The words of travel: the pathways a case may pursue, their steps' outcomes, travel documents
and the states of a saved route."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PathwayKind(models.TextChoices):
    """The ways out a case may try (DOMAIN.md, "Pathways"); the catalogue
    (``travel.pathways.catalogue``) gives each its steps, typical duration and documents."""

    ASYLUM_ON_ARRIVAL = "asylum_on_arrival", _("Emergency travel to claim asylum on arrival")
    UNHCR_RESETTLEMENT = "unhcr_resettlement", _("UNHCR registration and resettlement referral")
    CANADA_GAR = "canada_gar", _("Canada: Government-Assisted Refugee referral")
    CANADA_PSR_BVOR = (
        "canada_psr_bvor",
        _("Canada: Private Sponsorship of Refugees or Blended Visa Office-Referred"),
    )
    HUMAN_RIGHTS_DEFENDER = "human_rights_defender", _("Human-rights-defender stream")
    EMERGENCY_VISA = "emergency_visa", _("Emergency visa request to a government")
    SUPPORT_IN_PLACE = "support_in_place", _("Support in place")


class PathwayState(models.TextChoices):
    ACTIVE = "active", _("Being pursued")
    SUCCEEDED = "succeeded", _("Succeeded")
    UNSUCCESSFUL = "unsuccessful", _("Unsuccessful")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class StepOutcome(models.TextChoices):
    PENDING = "", _("Pending")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not needed")


class TravelDocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    VISA = "visa", _("Visa")
    TRAVEL_DOCUMENT = "travel_document", _("Emergency or refugee travel document")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")


class RouteStatus(models.TextChoices):
    """A saved route crossing a criminalising country waits for a supervisor's override."""

    NEEDS_OVERRIDE = "needs_override", _("Waiting for a supervisor's override")
    SAVED = "saved", _("Saved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class FollowUpTopic(models.TextChoices):
    """What each follow-up after arrival asks about (issue 19)."""

    HOUSING = "housing", _("Housing")
    LEGAL_STATUS = "legal_status", _("Legal status")
    HEALTH = "health", _("Health")
    EMOTIONAL_SUPPORT = "emotional_support", _("Emotional support")


class FollowUpOutcome(models.TextChoices):
    """A follow-up is pending until logged; "could not reach" may be logged again later, "done"
    and "ended early" are final."""

    PENDING = "", _("Pending")
    DONE = "done", _("Done")
    UNREACHABLE = "unreachable", _("Could not reach")
    ENDED = "ended", _("Ended early")


class BookingStatus(models.TextChoices):
    """A booking is confirmed once every segment is booked and every traveller's checklist is
    ticked; confirming moves the case to "travel booked" (``cases.workflow``)."""

    DRAFT = "draft", _("Being booked")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class ChecklistItem(models.TextChoices):
    """What each traveller must hold before departure, ticked on the booking."""

    PASSPORT = "passport", _("Passport or travel document in hand, valid for the journey")
    VISAS = "visas", _("Visas or entry permissions in hand (or none needed)")
    LETTERS = "letters", _("Letters: invitation, support or referral (or none needed)")


class CheckInPoint(models.TextChoices):
    """Where in a journey a check-in is expected (sealed with the check-in's details)."""

    BEFORE_DEPARTURE = "before_departure", _("Before departure")
    TRANSIT = "transit", _("At a transit place")
    ARRIVAL = "arrival", _("On arrival")


class CheckInVia(models.TextChoices):
    """How a check-in came: the person from their status page, or staff after a call."""

    NONE = "", _("Not yet")
    STATUS_PAGE = "status_page", _("From the person's status page")
    CALL = "call", _("Logged by staff after a call")


class AlertKind(models.TextChoices):
    """Why a journey alert was raised. "Raised" covers both a check-in with the danger phrase
    and staff raising it after a call, and a database copy tells which: the check-in it is
    linked to came from the status page (the danger phrase) or was logged after a call
    (SECURITY.md, "Check-ins during a journey")."""

    MISSED = "missed", _("An expected check-in was missed")
    RAISED = "raised", _("Raised on a check-in")


class ReferralRecipient(models.TextChoices):
    """Who a referral package goes to (the recipient's own name and contact are sealed)."""

    UNHCR = "unhcr", _("UNHCR")
    GOVERNMENT = "government", _("A government")
    SPONSOR_GROUP = "sponsor_group", _("A sponsor group")
