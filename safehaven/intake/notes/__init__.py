"""Internal notes on a help request: sealed, for the triage team only, apart from the thread
the person reads."""
