"""Giving a partner's referral a status page: a key holder makes a one-time code, sends it over
the person's own safe channel, and the person chooses their codename with it (intake)."""
