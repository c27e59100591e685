"""Opening a case: accepting a help request (or joining it to a household), or typing one in
after a phone call."""
