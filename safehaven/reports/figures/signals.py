"""How reports hear of changes in the apps below them (nothing imports reports): a save of a
case, one of its moves, people, pathways or grants recomputes the case's figures row once the
change is committed (``transaction.on_commit``), so a row never counts what was rolled back.
The ``refresh_report_figures`` command rebuilds every row, as a backstop for a change made
around these receivers (a raw ``UPDATE``, a data migration)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

DISPATCH_PREFIX = "reports.figures."


def _later(case_id: int | None) -> None:
    if case_id is None:
        return
    from safehaven.reports.figures.refresh import refresh_case_figures

    # robust: a figures row that fails to refresh never turns the user's committed change
    # into an error page; the nightly rebuild puts it right.
    transaction.on_commit(lambda: refresh_case_figures(case_id), robust=True)


def case_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _later(instance.pk)


def case_row_changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """A row that names its case in ``case_id`` (a move, a person, a pathway, a grant)."""
    if not raw:
        _later(getattr(instance, "case_id", None))


def connect() -> None:
    """Connect the receivers that keep ``CaseFigures`` up to date (figures/refresh.py)."""
    from safehaven.cases.models import Case, CasePerson, CaseTransition
    from safehaven.finance.models import Grant
    from safehaven.travel.models import CasePathway

    post_save.connect(case_saved, sender=Case, dispatch_uid=f"{DISPATCH_PREFIX}case")
    for model in (CaseTransition, CasePerson, CasePathway, Grant):
        name = model._meta.label_lower
        post_save.connect(
            case_row_changed, sender=model, dispatch_uid=f"{DISPATCH_PREFIX}{name}.save"
        )
    post_delete.connect(
        case_row_changed, sender=CasePerson, dispatch_uid=f"{DISPATCH_PREFIX}person.delete"
    )
