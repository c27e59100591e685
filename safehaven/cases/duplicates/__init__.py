"""Possible duplicates: cases whose requests share a truncated blind index of a contact detail
or a name, with signals that name no one (country, month, partner); a caseworker confirms after
opening both, then merges them (``cases.merging``) or marks them distinct."""
