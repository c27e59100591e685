"""Routes saved to a case: sealed in its travel compartment, a route through a criminalising
country waiting for a supervisor's override, withdrawn, listed on the case page and printed."""
