"""What reports keep of their own: one row of clear figures per case, the organisation's yearly
goals, the totals entered for the years before the system, retention rules and their runs.

Nothing here is sealed and nothing names a person: figures are months, countries, states and
counts (SECURITY.md, "What is sealed and what is in clear"). A case's figures row outlives the
shredding of its sealed data, so reports keep counting a case that retention erased.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from safehaven.accounts.models import Organisation
from safehaven.cases.choices import CaseOutcome, CaseState
from safehaven.cases.models import Case
from safehaven.countries.models import Crisis
from safehaven.reports.choices import Measure, RetentionTarget


class CaseFigures(models.Model):
    """One case as reports count it, to the month (in the organisation's reporting time zone).

    All in clear, copied or derived from clear columns of lower apps by ``figures.refresh``:
    ``country`` of origin, ``destination`` (the country of arrival a caseworker recorded),
    ``pathway`` (the kind of the pathway the case travelled by, or the latest one it tried),
    ``partner`` (the referring organisation), ``crisis``, the months the request arrived, the
    case was verified, first supported and arrived, the month it closed, and its state and
    outcome, and how many ``people`` it holds. ``shredded_month`` is set when retention erased
    the case's sealed data: the row is then never recomputed (its sources are gone).
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    country = models.CharField(max_length=2)
    destination = models.CharField(max_length=2, blank=True)
    pathway = models.CharField(max_length=24, blank=True)
    partner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    crisis = models.ForeignKey(
        Crisis, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    received_month = models.DateField()
    verified_month = models.DateField(null=True, blank=True)
    supported_month = models.DateField(null=True, blank=True)
    arrived_month = models.DateField(null=True, blank=True)
    closed_month = models.DateField(null=True, blank=True)
    # People in the case (a household counts each of them): goals and totals count people.
    people = models.PositiveSmallIntegerField(default=1)
    state = models.CharField(max_length=16, choices=CaseState.choices)
    outcome = models.CharField(max_length=20, choices=CaseOutcome.choices, blank=True)
    shredded_month = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "received_month"], name="reports_fig_received"),
            models.Index(fields=["organisation", "arrived_month"], name="reports_fig_arrived"),
            models.Index(fields=["organisation", "state"], name="reports_fig_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(arrived_month__isnull=True) | Q(arrived_month__gte=F("received_month")),
                name="reports_fig_arrived_after_received",
            )
        ]

    def __str__(self) -> str:
        return f"figures of case #{self.case_id}"


class YearlyGoal(models.Model):
    """How many people the organisation means to relocate in a calendar year."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    relocations = models.PositiveIntegerField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="reports_goal_unique")
        ]

    def __str__(self) -> str:
        return f"goal {self.relocations} in {self.year}"


class HistoricalTotal(models.Model):
    """A dated total an administrator entered for a time before the system was used (e.g. "42
    relocated between 1 January and 21 April 2017", from the annual report named in
    ``source``). Never edited: a wrong total is removed (``removed_at``) and entered again."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    measure = models.CharField(max_length=12, choices=Measure.choices)
    people = models.PositiveIntegerField()
    period_start = models.DateField()
    period_end = models.DateField()
    # Where the number comes from (a report, a spreadsheet): never about a person.
    source = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2, or empty")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["period_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="reports_historical_period_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.people} {self.measure} {self.period_start}..{self.period_end}"


class ReportingSettings(models.Model):
    """An organisation's reporting choices: the time zone its months and years are counted in
    (an arrival late on 31 December in Toronto is in that year, though already 1 January in
    UTC)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    time_zone = models.CharField(max_length=64, default="UTC")

    def __str__(self) -> str:
        return f"reporting settings of organisation #{self.organisation_id}"


class RetentionRule(models.Model):
    """How long an organisation keeps one kind of record before retention crypto-shreds it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    target = models.CharField(max_length=20, choices=RetentionTarget.choices)
    after_days = models.PositiveIntegerField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation_id", "target"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "target"], name="reports_retention_rule_unique"
            ),
            models.CheckConstraint(
                condition=Q(after_days__gte=30), name="reports_retention_at_least_30_days"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} after {self.after_days} days"


class RetentionRun(models.Model):
    """One run of retention, real or dry: when, by whom (empty for the timer) and how many
    records it erased (or would have)."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    dry_run = models.BooleanField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requests = models.PositiveIntegerField(default=0)
    cases = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"retention run #{self.pk}"
