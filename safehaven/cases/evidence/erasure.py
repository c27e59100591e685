"""A case's copies of the person's document photos go when the request they came from is
erased (intake's ``help_request_erased``, connected in ``CasesConfig.ready``)."""

from __future__ import annotations

from typing import Any

from safehaven.cases.models import EvidenceFile
from safehaven.intake.models import HelpRequest


def delete_copies_of_erased_request(
    sender: Any, *, help_request: HelpRequest, **kwargs: Any
) -> None:
    # Inside the erasure's transaction, which records the erasure itself in the audit log.
    EvidenceFile.objects.filter(source_request=help_request).delete()
