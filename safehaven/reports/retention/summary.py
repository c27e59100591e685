"""What the retention page shows: the organisation's rules and the recent runs."""

from __future__ import annotations

from typing import Any

from safehaven.accounts.models import Organisation
from safehaven.reports.choices import RetentionTarget
from safehaven.reports.models import RetentionRule, RetentionRun

RECENT_RUNS = 20


def retention_page_context(organisation: Organisation) -> dict[str, Any]:
    rules = {
        rule.target: rule
        for rule in RetentionRule.objects.filter(organisation=organisation).select_related("set_by")
    }
    return {
        "organisation": organisation,
        # Every target, with its rule or None (kept for ever).
        "rules": [(target, rules.get(target.value)) for target in RetentionTarget],
        "runs": RetentionRun.objects.select_related("started_by")[:RECENT_RUNS],
    }
