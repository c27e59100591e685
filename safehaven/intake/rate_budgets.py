"""Intake's rate-limit budgets: which counters the public form and the status pages keep, and
the one limiter of this process that counts them (``settings.INTAKE_RATE_LIMITS`` sets each)."""

import enum

from django.conf import settings

from safehaven.core.public_forms.rate_limits import RateLimiter


class Bucket(enum.StrEnum):
    SUBMIT_WITH_POW = "submit_with_pow"
    # Submissions with a stamp from a wider network (network_of): a stamp costs a GPU next to
    # nothing, and one IPv6 /48 holds 65,536 /64s, each with its own per-address budget.
    SUBMIT_WITH_POW_NETWORK = "submit_with_pow_network"
    SUBMIT_WITHOUT_POW = "submit_without_pow"
    # Submissions without a stamp from a wider network (network_of), then from all addresses
    # together (counted under ANYONE): someone with very many addresses cannot flood intake
    # without proof-of-work.
    SUBMIT_WITHOUT_POW_NETWORK = "submit_without_pow_network"
    SUBMIT_WITHOUT_POW_ANYONE = "submit_without_pow_anyone"
    CODENAME = "codename"
    # Messages and contact changes sent from the status pages, per request (not per address:
    # an address is shared, and whoever shares it must not use up the person's budget).
    STATUS_CHANGES = "status_changes"


ANYONE = "anyone"


LIMITER = RateLimiter(lambda: settings.INTAKE_RATE_LIMITS)
