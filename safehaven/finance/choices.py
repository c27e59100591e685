"""The words of the finance app: grant categories and states, payment methods, and the ledger's
entry kinds and accounts (docs/finance.md, "The ledger")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class GrantCategory(models.TextChoices):
    """What a grant pays for (DOMAIN.md, "Money"); a fund may be restricted to some of them."""

    AIRFARE = "airfare", _("Airfare")
    PRE_TRAVEL = "pre_travel", _("Pre-travel costs (documents, visas, transport, safe housing)")
    POST_ARRIVAL = "post_arrival", _("Post-arrival costs (first weeks of housing, food)")
    EMOTIONAL_SUPPORT = "emotional_support", _("Emotional and psychological support")
    LEGAL_AID = "legal_aid", _("Legal aid")
    SHELTER = "shelter", _("Shelter")
    CASH_SUPPORT = "cash_support", _("Cash support")


class GrantState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


class DisbursementMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    MONEY_TRANSFER = "money_transfer", _("Money-transfer service")
    THROUGH_PARTNER = "through_partner", _("Through a partner organisation")
    DIRECT_BOOKING = "direct_booking", _("Booked directly by staff")


class EntryKind(models.TextChoices):
    """What a journal entry records; each kind links to its source row."""

    DONATION = "donation", _("Donation received")
    GRANT_APPROVAL = "grant_approval", _("Grant approved")
    GRANT_RELEASE = "grant_release", _("Unpaid part of a cancelled grant released")
    DISBURSEMENT = "disbursement", _("Disbursement paid")
    REVERSAL = "reversal", _("Reversal of an entry")


class Account(models.TextChoices):
    """The ledger's accounts. Each line names one, with its fund (and its grant for the grant
    accounts). Debits are positive, credits negative (docs/finance.md)."""

    # Asset: the money a fund holds. Debited by donations, credited by disbursements.
    FUND_CASH = "fund_cash", _("Fund cash")
    # Income: what donors gave a fund. Credited by donations.
    DONATIONS = "donations", _("Donations")
    # Expense: what a fund has committed to grants. Debited by an approval.
    GRANTS = "grants", _("Grants")
    # Liability: approved but not yet paid. Credited by an approval, debited by disbursements.
    GRANTS_PAYABLE = "grants_payable", _("Grants payable")


GRANT_ACCOUNTS = frozenset({Account.GRANTS, Account.GRANTS_PAYABLE})
