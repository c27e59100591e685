"""Settings for ``bench/intake.py``: the normal settings, with two changes for a load generator.

- ``INTAKE_RATE_LIMITS``: every benchmark request comes from 127.0.0.1, so the budget for
  submissions with a valid proof-of-work stamp is made unlimited in practice. The budget for
  submissions *without* a valid stamp is 0: a post whose stamp the server does not accept is
  refused (429) instead of slipping through on the cheaper path, so every receipt the
  benchmark counts went through the full stamp check, as in production.
- ``ROOT_URLCONF``: the site's URLs plus ``/en/bench/floor/`` (see ``bench/bench_urls.py``).

Everything else (mode, database, secrets, proof-of-work difficulty) comes from the environment
that ``bench/intake.py`` sets up.
"""

from safehaven.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"

INTAKE_RATE_LIMITS = {
    "submit_with_pow": (1_000_000_000, 3600),
    "submit_with_pow_network": (1_000_000_000, 3600),
    "submit_without_pow": (0, 3600),
    "submit_without_pow_network": (0, 3600),
    "submit_without_pow_anyone": (0, 3600),
    "codename": (1_000_000_000, 900),
    "status_changes": (1_000_000_000, 3600),
}
