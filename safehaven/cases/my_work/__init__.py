"""A caseworker's own page: their cases, their tasks by due date, new activity."""
