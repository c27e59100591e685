"""The case queue: every case a user may ask for, most at risk first, with filters, pages and
bulk actions on the checked rows."""
