"""Setting retention rules and running retention.

A run works from the plan (``queries.plan_retention``). For each due case, in a transaction
of its own (one failure neither undoes nor stops the others): its figures row is brought up to
date from its clear sources and marked kept (``CaseFigures.shredded_month``), so reports keep
counting it and never recompute it from sources that are about to go; the clear rows of the
apps above that only carry its sealed data are deleted (``leftovers``); then
``cases.erasure.do_shred_case``. Each due declined request: ``do_shred_help_request``. One
``RETENTION_RUN`` event per run, with the counts and whether it was dry, and one
``RetentionRun`` row. A dry run erases nothing and writes only those two.
"""

from __future__ import annotations

import datetime
import logging

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safehaven.accounts.actions import ActionRefused
from safehaven.accounts.models import Organisation, OrganisationKind, User
from safehaven.cases.erasure.actions import do_shred_case
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.intake.choices import RequestStatus
from safehaven.intake.erasure.actions import do_shred_help_request
from safehaven.intake.models import HelpRequest
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.models import ShredReason
from safehaven.reports.choices import RetentionTarget
from safehaven.reports.figures.refresh import refresh_case_figures
from safehaven.reports.figures.zones import local_month, reporting_zones
from safehaven.reports.models import CaseFigures, RetentionRule, RetentionRun
from safehaven.reports.retention.leftovers import delete_case_leftovers
from safehaven.reports.retention.queries import RetentionPlan, plan_retention

logger = logging.getLogger(__name__)

# The model's check constraint says the same: a shorter period is refused before it.
MINIMUM_DAYS = 30
# About 100 years: beyond it a rule is a typing mistake.
MAXIMUM_DAYS = 36_500


def do_set_retention_rule(
    organisation: Organisation, target: RetentionTarget, after_days: int, *, actor: User
) -> RetentionRule:
    """Set (or change) how many days ``organisation`` keeps ``target`` before retention
    erases it."""
    target = RetentionTarget(target)
    if organisation.kind != OrganisationKind.RELOCATING:
        raise ActionRefused(_("Only a relocating organisation keeps cases and requests."))
    if after_days < MINIMUM_DAYS:
        raise ActionRefused(
            _("Keep them at least %(days)s days: an erasure cannot be undone.")
            % {"days": MINIMUM_DAYS}
        )
    if after_days > MAXIMUM_DAYS:
        raise ActionRefused(_("Keep them at most %(days)s days.") % {"days": MAXIMUM_DAYS})
    with transaction.atomic():
        rule, _created = RetentionRule.objects.update_or_create(
            organisation=organisation,
            target=target,
            defaults={"after_days": after_days, "set_by": actor},
        )
        record_event(
            EventType.RETENTION_RULE_SET,
            actor=actor,
            organisation=organisation,
            target=rule,
            detail=f"{target.value} after {after_days} days",
        )
    return rule


def _keep_figures_and_shred(case_id: int, *, actor: User | None, now: datetime.datetime) -> None:
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        # First the figures, while every clear source is still there; then they are frozen.
        refresh_case_figures(case.pk)
        zone = reporting_zones([case.organisation_id])[case.organisation_id]
        CaseFigures.objects.filter(case_id=case.pk).update(shredded_month=local_month(now, zone))
        delete_case_leftovers(case)
        do_shred_case(case, actor=actor)


def _shred_declined(help_request_id: int, *, actor: User | None) -> bool:
    with transaction.atomic():
        # Checked again under the row's lock: withdrawn, joined to a case or reopened since
        # the plan was made, it is left alone.
        help_request = (
            HelpRequest.objects.select_for_update()
            .filter(
                pk=help_request_id,
                status=RequestStatus.CLOSED,
                shredded_at__isnull=True,
                withdrawn_at__isnull=True,
                case_person__isnull=True,
            )
            .first()
        )
        if help_request is None:
            return False
        do_shred_help_request(help_request, actor=actor, reason=ShredReason.RETENTION)
    return True


# What one item's failure may be: refused (changed since the plan) or the database's.
ITEM_FAILURES = (CaseActionRefused, KeyActionRefused, ActionRefused, DatabaseError)


def do_apply_retention(
    *,
    dry_run: bool,
    actor: User | None,
    now: datetime.datetime | None = None,
    plan: RetentionPlan | None = None,
) -> RetentionRun:
    """Erase (or, dry, only count) everything past its organisation's retention rule."""
    now = timezone.now() if now is None else now
    plan = plan_retention(now) if plan is None else plan
    # Written first, so that a run that dies half way shows as never finished (its erasures
    # are each audited on their own); its event is written when it ends.
    run = RetentionRun.objects.create(dry_run=dry_run, started_by=actor)
    cases = requests = failed = 0
    if dry_run:
        cases, requests = len(plan.cases), len(plan.requests)
    else:
        for item in plan.cases:
            try:
                _keep_figures_and_shred(item.pk, actor=actor, now=now)
                cases += 1
            except ITEM_FAILURES as failure:
                failed += 1
                # The class name only: a message may quote values, and ids stay out of logs
                # (the next dry run lists what is still due).
                logger.error("retention could not erase a case (%s)", type(failure).__name__)
        for item in plan.requests:
            try:
                requests += _shred_declined(item.pk, actor=actor)
            except ITEM_FAILURES as failure:
                failed += 1
                logger.error("retention could not erase a request (%s)", type(failure).__name__)
    with transaction.atomic():
        run.cases, run.requests, run.finished_at = cases, requests, timezone.now()
        run.save(update_fields=["cases", "requests", "finished_at"])
        record_event(
            EventType.RETENTION_RUN,
            actor=actor,
            target=run,
            detail=(
                f"{'dry run: would erase' if dry_run else 'erased'} {cases} cases, "
                f"{requests} requests; {failed} failed"
            ),
        )
    return run
