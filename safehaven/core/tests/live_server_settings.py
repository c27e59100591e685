"""Settings of the app servers that tests start under gunicorn (``live_servers.py``): the normal
settings, in the mode the environment gives (test), with the requester rate limits raised.

Every test client posts from 127.0.0.1, so each budget of ``INTAKE_RATE_LIMITS`` (help
requests with and without a stamp, codename misses, status page changes) is made unlimited in
practice; the windows stay as they are. Everything else (database, secrets, proof-of-work
difficulty) comes from the environment that ``live_servers.py`` sets up.
"""

from safehaven.settings import *  # noqa: F403
from safehaven.settings import INTAKE_RATE_LIMITS

INTAKE_RATE_LIMITS = {
    bucket: (1_000_000_000, window) for bucket, (_count, window) in INTAKE_RATE_LIMITS.items()
}
