"""Messages between a referring partner and the organisation's staff about one referral: the
reading and writing both sides share, the staff page and the case page's panel."""
