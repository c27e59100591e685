"""The partner API (django-ninja): tokens scoped to one organisation, referrals in, neutral
statuses out; it holds no private key."""
