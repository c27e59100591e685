"""A partner's referrals: made in the portal, through the API or by a batch import, sealed like
a public request but with no codename; messages with the assigned caseworker and evidence."""
