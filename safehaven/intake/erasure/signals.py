"""What intake tells the apps above it when a request is erased, so that they erase their own
copies of what the person sent (docs/architecture.md: a lower app never calls a higher one)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the erasure's transaction, with ``help_request``: a receiver that fails undoes
# the erasure, to be tried again by the next run of ``shred_withdrawn``.
help_request_erased = Signal()
