"""Places and what their laws and states do to LGBTQ+ people, dated so that any day's figures
can be asked for; and crises. Nothing here is sealed: these are public-law facts, and a fact
never carries anything about a person."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safehaven.countries.choices import FactKind, FactValue, ForWhom


class Country(models.Model):
    iso2 = models.CharField(primary_key=True, max_length=2)
    iso3 = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=100)
    un_member = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """A part of a country with facts of its own (ISO 3166-2 code)."""

    code = models.CharField(primary_key=True, max_length=6)
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="regions")
    name = models.CharField(max_length=100)
    # The public form offers the regions of a country that has regional facts.
    offered_on_public_form = models.BooleanField(default=True)

    class Meta:
        ordering = ["country_id", "name"]

    def __str__(self) -> str:
        return self.name


class RiskFact(models.Model):
    """One dated fact about a country (``region`` empty) or one of its regions. A change never
    edits a fact: it closes it (``valid_to``, the day before) and adds the next one."""

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="facts")
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="facts"
    )
    kind = models.CharField(max_length=24, choices=FactKind.choices)
    value = models.CharField(max_length=24, choices=FactValue.choices)
    prison_years = models.PositiveSmallIntegerField(null=True, blank=True)
    for_whom = models.CharField(max_length=16, choices=ForWhom.choices, blank=True)
    summary = models.CharField(max_length=300)
    source = models.CharField(max_length=300)
    source_year = models.PositiveSmallIntegerField()
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    # Empty for a fact loaded from the shipped file; the administrator who added it otherwise.
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["country_id", "region_id", "kind", "valid_from"]
        indexes = [
            models.Index(fields=["country", "kind", "valid_from"], name="countries_fact_series")
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.region_id or ''} {self.kind}={self.value}"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Crisis(models.Model):
    """A named emergency in some places and dates, so that requests can be tagged with it."""

    name = models.CharField(_("name"), max_length=120)
    countries = models.ManyToManyField(Country, related_name="crises", blank=True)
    regions = models.ManyToManyField(Region, related_name="crises", blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    # The partner organisations working in the crisis (their referrals from its places are
    # tagged like any request; the crisis dashboard lists them).
    partner_organisations = models.ManyToManyField(
        "accounts.Organisation", related_name="+", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name_plural = "crises"

    def __str__(self) -> str:
        return self.name


class CrisisInflow(models.Model):
    """How many requests and referrals a crisis received on one day (the organisation's day,
    UTC): a counter the crisis dashboard draws, kept apart from the requests, whose own rows
    keep only their month."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    requests = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["crisis_id", "day"]
        constraints = [
            models.UniqueConstraint(fields=["crisis", "day"], name="countries_crisis_inflow_day")
        ]

    def __str__(self) -> str:
        return f"{self.requests} requests on {self.day} in crisis #{self.crisis_id}"
