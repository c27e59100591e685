"""One-time status codes: a partner's referral gets no codename; a key holder sends the person a
code over their own safe channel, and with it the person chooses their own codename."""
