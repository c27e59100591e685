"""The words of the contact and support log: channels, outcomes, kinds of support, consent."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    SIGNAL = "signal", _("Signal")
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEGRAM = "telegram", _("Telegram")
    EMAIL = "email", _("E-mail")
    IN_PERSON = "in_person", _("In person")
    PARTNER = "partner", _("Through a partner")
    OTHER = "other", _("Other")


class ContactOutcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    NO_ANSWER = "no_answer", _("No answer")
    # The two a caseworker must never retry carelessly: someone else holds the phone, or the
    # person could not talk where they were (DOMAIN.md; docs/cases.md).
    WRONG_PERSON = "wrong_person", _("Wrong person answered")
    UNSAFE = "unsafe", _("Unsafe to talk")
    MESSAGE_LEFT = "message_left", _("Message left")
    FAILED = "failed", _("Failed")


# Outcomes the panel warns about before anyone tries again.
CAUTION_OUTCOMES = frozenset({ContactOutcome.WRONG_PERSON, ContactOutcome.UNSAFE})


class SupportKind(models.TextChoices):
    EMOTIONAL_SUPPORT = "emotional_support", _("Emotional support session")
    COUNSELLING_REFERRAL = "counselling_referral", _("Counselling referral")
    LEGAL_ADVICE = "legal_advice", _("Legal advice")
    MEDICAL_REFERRAL = "medical_referral", _("Medical referral")
    OTHER = "other", _("Other")


# A referral passes the person on to someone else: never without their agreement to it.
REFERRAL_KINDS = frozenset({SupportKind.COUNSELLING_REFERRAL, SupportKind.MEDICAL_REFERRAL})


class ConsentKind(models.TextChoices):
    SUPPORT = "support", _("The person agreed to this support")
    REFERRAL = "referral", _("The person agreed to the referral being made")
