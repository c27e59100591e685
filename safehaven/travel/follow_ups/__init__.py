"""Arrival and the follow-ups after it (issue 19): confirming a safe arrival schedules four
follow-ups; logging them moves the case on and, when all are done or ended, closes it as
relocated."""
