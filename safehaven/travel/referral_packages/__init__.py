"""Referral packages to UNHCR, a government or a sponsor group: the person's consent per
recipient, the fields and documents chosen, produced on demand (a printable page or an
archive encrypted to a passphrase), never stored."""
