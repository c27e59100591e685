"""Bookings of a case's journey and the pre-departure checklist (issue 19)."""
