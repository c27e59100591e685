"""The case workflow: the one table of allowed moves, and the actions that make them."""
