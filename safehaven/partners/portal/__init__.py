"""The partner portal's pages: the organisation's referrals with a neutral status, referring
someone, messages and evidence, batch import and API tokens."""
