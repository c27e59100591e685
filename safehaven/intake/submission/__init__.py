"""The public help form: its fields and widgets, admission (proof-of-work, rate limits),
sealing a request and wrapping it to the teams that may read it."""
