"""The route planner's page for one case: the question (the person's places and papers), asked
by POST, and the ranked answer with every reason, date and warning it needs."""
