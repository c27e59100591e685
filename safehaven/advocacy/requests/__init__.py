"""A request to a government: drafting it, its page and list, its status with dates and
outcomes, and the counts it carries."""
