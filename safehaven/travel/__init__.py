"""Travel: getting a person out (the route planner's data in ``data/``, loaded by ``routes/``)."""
