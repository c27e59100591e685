"""Partner organisations: their portal and API to refer people, crisis batch imports, vetting
and suspension (docs/partners.md). The referral codes stay in ``intake``."""
