"""The guards of anonymous forms, for every app that has one (the help form and status page
today; the partner portal, travel check-ins and the crisis page later): proof-of-work stamps
(``proof_of_work``), in-memory per-address rate limits (``rate_limits``), and the same-origin
check that replaces Django's CSRF cookie, applied with ``same_origin.public_form``.

Each app keeps its own budgets (for intake: ``intake/rate_budgets.py``)."""
