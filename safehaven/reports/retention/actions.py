"""Setting retention rules and running retention.

A run works from the plan (``queries.plan_retention``). For each due case, in a transaction
of its own (one failure neither undoes nor stops the others): under the case's row lock it is
checked to be still due (its close time recomputed against the rule in effect); its figures
row is brought up to date from its clear sources and marked kept (``CaseFigures.shredded_month``),
so reports keep counting it and never recompute it from sources that are about to go, with
``destination``, ``pathway`` and ``partner`` cleared (what stays is month, country, crisis,
people, state and outcome); the clear rows of the apps above that only carry its sealed data
are deleted (``leftovers``); then ``cases.erasure.do_shred_case``. Each due declined request:
``do_shred_help_request``. Then the crises' daily inflow older than 60 days is folded into
months (``countries.crises.inflow.fold_old_inflow``). One ``RETENTION_RUN`` event per run,
with the counts and whether it was dry, and one ``RetentionRun`` row. A dry run erases and
folds nothing and writes only those two.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safehaven.accounts.actions import ActionRefused
from safehaven.accounts.models import Organisation, OrganisationKind, User
from safehaven.cases.erasure.actions import do_shred_case
from safehaven.cases.models import Case
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.countries.crises.inflow import fold_old_inflow, old_inflow_rows
from safehaven.intake.choices import RequestStatus
from safehaven.intake.erasure.actions import do_shred_help_request
from safehaven.intake.models import HelpRequest
from safehaven.keys.models import ShredReason
from safehaven.reports.choices import RetentionTarget
from safehaven.reports.figures.refresh import refresh_case_figures
from safehaven.reports.figures.zones import local_month, reporting_zones
from safehaven.reports.models import CaseFigures, RetentionRule, RetentionRun
from safehaven.reports.retention.leftovers import delete_case_leftovers
from safehaven.reports.retention.queries import (
    RetentionPlan,
    case_closed_at,
    plan_retention,
    rule_takes_effect,
    rules_by_organisation,
)

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
        effective = rule_takes_effect(rule).astimezone(datetime.UTC).date()
        record_event(
            EventType.RETENTION_RULE_SET,
            actor=actor,
            organisation=organisation,
            target=rule,
            detail=f"{target.value} after {after_days} days, effective {effective.isoformat()}",
        )
    return rule


def _still_due(case: Case, now: datetime.datetime) -> bool:
    """Checked again under the case's row lock: still closed, under a rule in effect, and
    closed for longer than its period (reopened, or the rule changed, since the plan: no)."""
    days = rules_by_organisation(RetentionTarget.CLOSED_CASES, now).get(case.organisation_id)
    if days is None:
        return False
    closed_at = case_closed_at(case)
    return closed_at is not None and closed_at <= now - datetime.timedelta(days=days)


# What a shredded case's figures row keeps: months, country, crisis, people, state, outcome.
# Where it arrived, by which pathway and from which partner would, with those months, make a
# record of one person's journey kept for ever.
CLEARED_ON_SHRED = {"destination": "", "pathway": "", "partner": None}


def _keep_figures_and_shred(case_id: int, *, actor: User | None, now: datetime.datetime) -> bool:
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if not _still_due(case, now):
            return False
        figures = CaseFigures.objects.filter(case_id=case.pk)
        # Marked kept while the keys are still there (planned only because they are): the
        # clear sources are all there, so the row is computed again rather than trusted.
        figures.update(shredded_month=None)
        # First the figures, while every clear source is still there; then they are frozen.
        refresh_case_figures(case.pk)
        zone = reporting_zones([case.organisation_id])[case.organisation_id]
        figures.update(shredded_month=local_month(now, zone), **CLEARED_ON_SHRED)
        delete_case_leftovers(case)
        do_shred_case(case, actor=actor)
    return True


def _shred_declined(help_request_id: int, *, actor: User | None) -> bool:
    with transaction.atomic():
        # Checked again under the row's lock: withdrawn, joined to a case or reopened since
        # the plan was made, it is left alone.
        help_request = (
            # Only the request's row: PostgreSQL locks no row of the (outer-joined) case
            # person, which a request past retention does not have.
            HelpRequest.objects.select_for_update(of=("self",))
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
    today = now.astimezone(datetime.UTC).date()
    if dry_run:
        cases, requests = len(plan.cases), len(plan.requests)
        folded = old_inflow_rows(today)
    else:
        for item in plan.cases:
            try:
                cases += _keep_figures_and_shred(item.pk, actor=actor, now=now)
            # Any failure: refused (changed since the plan), the database's, or a value no
            # code expected (written in the database). One bad case never stops the run.
            except Exception as failure:
                failed += 1
                # The class name only: a message may quote values, and ids stay out of logs
                # (the next dry run lists what is still due).
                logger.error("retention could not erase a case (%s)", type(failure).__name__)
        for item in plan.requests:
            try:
                requests += _shred_declined(item.pk, actor=actor)
            except Exception as failure:
                failed += 1
                logger.error("retention could not erase a request (%s)", type(failure).__name__)
        try:
            folded = fold_old_inflow(today)
        except Exception as failure:
            folded = 0
            failed += 1
            logger.error("retention could not fold crisis inflow (%s)", type(failure).__name__)
    with transaction.atomic():
        run.cases, run.requests, run.finished_at = cases, requests, timezone.now()
        run.save(update_fields=["cases", "requests", "finished_at"])
        record_event(
            EventType.RETENTION_RUN,
            actor=actor,
            target=run,
            detail=(
                f"{'dry run: would erase' if dry_run else 'erased'} {cases} cases, "
                f"{requests} requests; {failed} failed; {plan.inconsistent} cases marked "
                f"erased with keys left; {folded} crisis inflow days "
                f"{'to fold' if dry_run else 'folded'}"
            ),
        )
    return run
