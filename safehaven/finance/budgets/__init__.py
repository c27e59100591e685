"""Budget lines and the budget against what was spent, by category and month."""
