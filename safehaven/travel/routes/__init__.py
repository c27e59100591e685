"""The route planner: its data loaded once per process (``data.py``); the search comes later."""
