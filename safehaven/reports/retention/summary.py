"""What the retention page shows: the organisation's rules and the recent runs."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from safehaven.accounts.models import Organisation
from safehaven.reports.choices import RetentionTarget
from safehaven.reports.models import RetentionRule, RetentionRun
from safehaven.reports.retention.queries import rule_takes_effect

RECENT_RUNS = 20


def retention_page_context(organisation: Organisation) -> dict[str, Any]:
    rules = {
        rule.target: rule
        for rule in RetentionRule.objects.filter(organisation=organisation).select_related("set_by")
    }
    now = timezone.now()
    pending = {
        target: rule_takes_effect(rule)
        for target, rule in rules.items()
        if rule_takes_effect(rule) > now
    }
    return {
        "organisation": organisation,
        # Every target, with its rule or None (kept for ever), and when a rule set less than
        # 14 days ago takes effect (None once it has).
        "rules": [
            (target, rules.get(target.value), pending.get(target.value))
            for target in RetentionTarget
        ],
        "runs": RetentionRun.objects.select_related("started_by")[:RECENT_RUNS],
    }
