"""Check-ins during a journey: the expected ones (each with a time window, set from a confirmed
booking), the person's check-in from their status page (through ``intake``'s check-in
listeners) and a check-in staff log after a call."""
