"""A help request's audit trail: who opened it, answered it, changed it; and how the audit log
names requests and words intake's events."""
