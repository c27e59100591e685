"""Cases: a person's (or household's) life with the organisation, from triage to close."""
