"""Money: funds and appeals, donations, grants to cases and partners, disbursements, the
double-entry journal under all of them, budgets, and the finance compartment.

**Clear and sealed** (SECURITY.md, "What is sealed and what is in clear"; docs/finance.md).
Amounts, currencies, rates, dates, categories, states, fund names and the ids of cases,
partner organisations and staff are in clear: the ledger, budgets and reports need them and
none names a person we help. A donor's name, a payee's details and a payment's reference
are sealed, and only finance opens them: donors under the organisation's **finance records**
(``FinanceRecords``, a record key wrapped to the organisation's finance team(s) and escrow),
payees of a case grant under the case's **payments** compartment (wrapped to the same finance
team(s) and escrow, never to caseworkers or triage), payees of a partner grant under the
finance records.

**Integrity.** A database writer can change clear columns but cannot make a tag: ``Fund``,
``Grant`` and every ``JournalEntry`` carry an HMAC (``finance/tags.py``) over what decides
money, made by the actions and checked before any decision and by ``verify_ledger``; the
journal entries form a chain (each tag covers the one before), so an entry deleted or
inserted is found. Sealed rows bind their clear facts into their seals.

Amounts: ``finance/money.py`` (Decimal, ISO 4217 minor units; columns of 15 digits).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from safehaven.accounts.models import Organisation
from safehaven.cases.models import Case
from safehaven.core.coarse_time import this_hour
from safehaven.countries.models import Crisis
from safehaven.finance.choices import (
    Account,
    DisbursementMethod,
    EntryKind,
    GrantCategory,
    GrantState,
)
from safehaven.finance.money import (
    AMOUNT_DIGITS,
    AMOUNT_PLACES,
    RATE_DIGITS,
    RATE_PLACES,
    canonical,
)
from safehaven.keys.fields import SealedField, SealedItemMixin, who_and_when


def amount_field(**kwargs: object) -> models.DecimalField:
    return models.DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES, **kwargs)  # type: ignore[arg-type]


def rate_field(**kwargs: object) -> models.DecimalField:
    return models.DecimalField(max_digits=RATE_DIGITS, decimal_places=RATE_PLACES, **kwargs)  # type: ignore[arg-type]


def currency_field(**kwargs: object) -> models.CharField:
    return models.CharField(max_length=3, **kwargs)  # type: ignore[arg-type]


def event_field() -> models.PositiveBigIntegerField:
    """The sequence of the audit event of the change that last set the row, bound into its
    tag: a row restored from a backup with its earlier tag names an event that is no longer
    the latest for it, and is refused (``rules.py``, ``ledger/verify.py``)."""
    return models.PositiveBigIntegerField(null=True, blank=True, editable=False)


class FinanceRecords(models.Model):
    """The organisation's own finance compartment: the id of a record key wrapped to its
    finance team(s) (``TeamKind.FINANCE``) and escrow, made the first time something is sealed
    in it (``finance/records.py``). Donor names and partner grants' payee details are sealed
    under it. Nothing sealed here; the record id is a random UUID."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="finance_records"
    )
    record_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=this_hour)

    def __str__(self) -> str:
        return f"finance records of organisation #{self.organisation_id}"


class GrantThreshold(models.Model):
    """Above ``second_approval_above`` (in ``currency``), a grant needs a finance officer
    other than its requester. A currency without a row: every grant in it needs a second
    officer. In clear (a policy, no person). Read when a grant is asked for: whether the grant
    needs a second officer is decided then and kept on the grant, so changing a threshold
    never changes who may decide a pending grant. ``tag`` covers the amount and
    ``event_sequence`` (the ``GRANT_THRESHOLD_SET`` event that set it)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    currency = currency_field()
    second_approval_above = amount_field()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    set_at = models.DateTimeField(default=this_hour)
    event_sequence = event_field()
    tag = models.BinaryField(max_length=32, default=b"", editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "currency"], name="finance_threshold_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"threshold {self.second_approval_above} {self.currency}"


class Fund(models.Model):
    """A fund or a crisis appeal, kept in one currency. Nothing sealed. In clear: its name
    (e.g. "Chechnya response": a programme, never a person), currency, target, dates and
    restriction: a crisis it serves (then a case grant's case must be tagged with that crisis),
    the grant categories allowed (empty: every category), whether partner organisations may be
    granted from it, and whether it may go below zero. ``tag`` covers the currency, the
    restriction and ``event_sequence`` (the event that last created or changed it): a fund
    whose restriction a database writer loosened, or restored from a backup, refuses every
    grant."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    currency = currency_field()
    target = amount_field(null=True, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    is_appeal = models.BooleanField(default=False)
    crisis = models.ForeignKey(
        Crisis, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    allowed_categories = models.JSONField(default=list, blank=True)
    allows_partner_grants = models.BooleanField(default=True)
    allows_overdraft = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=this_hour)
    event_sequence = event_field()
    tag = models.BinaryField(max_length=32, default=b"", editable=False)

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="finance_fund_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Donation(SealedItemMixin, models.Model):
    """Money given to a fund. Sealed, under the organisation's finance records: ``donor_name``
    (always a value, "" for an anonymous gift, so a row inserted around the application reads
    as forged). In clear: the fund, the amount in the fund's currency and, for a gift in
    another, the original amount, currency, the rate entered and its date; the day received;
    who recorded it and the hour. The fund, amount and day are bound into the seal, and the
    donation's journal entry's tag covers every amount (a changed one fails ``verify_ledger``).
    A mistaken donation is reversed in the journal, never edited or deleted."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="donations")
    amount = amount_field()
    original_amount = amount_field(null=True, blank=True)
    original_currency = currency_field(blank=True)
    rate = rate_field(null=True, blank=True)
    rate_on = models.DateField(null=True, blank=True)
    received_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=this_hour)
    donor_name = SealedField(required=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_donation_positive"),
        ]

    def __str__(self) -> str:
        return f"donation {self.item_id} to fund #{self.fund_id}"

    def sealed_binding(self, name: str) -> str:
        return (
            f"{super().sealed_binding(name)}|v1|fund={self.fund_id}|amount={canonical(self.amount)}"
            f"|received={self.received_on.isoformat()}"
            f"|{who_and_when('recorded_by', self.recorded_by_id, self.recorded_at)}"
        )


class Grant(models.Model):
    """Money granted from a fund to a case or to a partner organisation (exactly one), for a
    category, in the fund's currency. Nothing sealed: a grant names a case by its id and a
    partner organisation by its id, never a person. In clear: fund, case or partner,
    category, amount, currency, state, who asked and when (the hour), whether a second
    finance officer must decide it (``needs_second_officer``, decided when it was asked for:
    a threshold changed later does not change it), who decided and when, and the audit event
    of its latest change (``event_sequence``). ``tag`` covers all of them; the two-person rule
    and every payment check it first, so a requester a database writer replaced, an amount it
    raised, or a row restored from a backup is refused. The approved amount that payments are
    judged against is the ledger's (``GRANTS_PAYABLE``), not this row's."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="grants")
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    partner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    category = models.CharField(max_length=20, choices=GrantCategory.choices)
    amount = amount_field()
    currency = currency_field()
    state = models.CharField(
        max_length=10, choices=GrantState.choices, default=GrantState.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=this_hour)
    needs_second_officer = models.BooleanField(default=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    event_sequence = event_field()
    tag = models.BinaryField(max_length=32, default=b"", editable=False)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["fund", "state"], name="finance_grant_fund_state"),
            models.Index(fields=["case"], name="finance_grant_case"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False, partner__isnull=True)
                | Q(case__isnull=True, partner__isnull=False),
                name="finance_grant_case_xor_partner",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_grant_positive"),
        ]

    def __str__(self) -> str:
        return f"grant #{self.pk}"


class Disbursement(SealedItemMixin, models.Model):
    """A payment made under an approved grant. Sealed: ``payee`` (JSON: name, account or
    phone, service, partner contact) and ``reference`` (the bank's or service's), always a
    value; under the case's **payments** compartment for a case grant, under the
    organisation's finance records for a partner grant. In clear: the grant, method, day
    paid, the amount and currency paid, the rate entered to the grant's currency (units of the
    grant's currency per unit paid) and its date, the amount in the grant's currency
    (``money.converted``), who recorded it and the hour, who confirmed it at reconciliation and
    the hour. The amounts and method are bound into the seals and covered by the journal
    entry's tag. A mistaken payment is reversed in the journal, never edited or deleted."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="disbursements")
    method = models.CharField(max_length=20, choices=DisbursementMethod.choices)
    paid_on = models.DateField()
    amount_paid = amount_field()
    currency_paid = currency_field()
    rate = rate_field()
    rate_on = models.DateField()
    amount = amount_field()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=this_hour)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    payee = SealedField(required=True)
    reference = SealedField(required=True)

    class Meta:
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0, amount_paid__gt=0, rate__gt=0),
                name="finance_disbursement_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"disbursement {self.item_id} of grant #{self.grant_id}"

    def sealed_binding(self, name: str) -> str:
        return (
            f"{super().sealed_binding(name)}|v1|grant={self.grant_id}|method={self.method}"
            f"|paid={canonical(self.amount_paid)}{self.currency_paid}"
            f"|amount={canonical(self.amount)}"
            f"|on={self.paid_on.isoformat()}"
            f"|{who_and_when('recorded_by', self.recorded_by_id, self.recorded_at)}"
        )


class JournalEntry(models.Model):
    """One posting of the double-entry journal: its lines balance in each currency. Never
    edited; a correction is a reversal entry (``reverses``, at most one per entry). Each entry
    records one donation, grant decision or disbursement (the link of its ``kind``); a
    reversal links to the same row as the entry it reverses. Nothing sealed. ``sequence``
    numbers the entries from 1 without a gap; ``tag`` is an HMAC over the entry, its lines,
    the facts of its source row and ``previous_tag`` (the tag of the entry before), so an
    entry changed, deleted or inserted around the application breaks the chain."""

    sequence = models.PositiveBigIntegerField(unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    donation = models.ForeignKey(
        Donation, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    disbursement = models.ForeignKey(
        Disbursement, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    posted_on = models.DateField()
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    posted_at = models.DateTimeField()
    previous_tag = models.BinaryField(max_length=32, default=b"", editable=False)
    tag = models.BinaryField(max_length=32, default=b"", editable=False)

    class Meta:
        ordering = ["sequence"]
        verbose_name_plural = "journal entries"
        indexes = [
            models.Index(fields=["fund", "posted_on"], name="finance_entry_fund_day"),
        ]

    def __str__(self) -> str:
        return f"journal entry {self.sequence}"


class JournalLine(models.Model):
    """One line of an entry: an account of a fund (and of a grant, for the grant accounts),
    a currency and a signed amount (debit positive, credit negative; never zero). Nothing
    sealed; covered by its entry's tag."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines")
    account = models.CharField(max_length=20, choices=Account.choices)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+")
    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, null=True, blank=True, related_name="lines"
    )
    currency = currency_field()
    amount = amount_field()

    class Meta:
        ordering = ["entry", "pk"]
        indexes = [
            models.Index(fields=["fund", "account"], name="finance_line_fund_account"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="finance_line_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.amount} {self.currency}"


class BudgetLine(models.Model):
    """What the organisation plans to spend on a grant category in a year, or in one month of
    it, in a currency. In clear (a plan, no person)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField(null=True, blank=True)
    category = models.CharField(max_length=20, choices=GrantCategory.choices)
    currency = currency_field()
    amount = amount_field()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    set_at = models.DateTimeField(default=this_hour)

    class Meta:
        ordering = ["year", "month", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "month", "category", "currency"],
                condition=Q(month__isnull=False),
                name="finance_budget_month_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "year", "category", "currency"],
                condition=Q(month__isnull=True),
                name="finance_budget_year_unique",
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                name="finance_budget_month_range",
            ),
        ]

    def __str__(self) -> str:
        return f"budget {self.year}/{self.month or '-'} {self.category}"
