"""Internal notes on a request's staff page: the form and the view (the notes themselves and
their action live in ``intake.notes``, beside the request they are sealed with)."""
