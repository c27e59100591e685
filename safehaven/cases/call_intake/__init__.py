"""Opening a case after a phone call: staff type what the caller said, sealed into the case."""
