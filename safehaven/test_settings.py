"""Settings for the test suite: the normal settings in test mode."""

import os

os.environ.setdefault("SAFEHAVEN_MODE", "test")

from safehaven.settings import *  # noqa: F403
