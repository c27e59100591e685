"""Settings for the test suite: the normal settings in test mode."""

import os

os.environ.setdefault("SAFEHAVEN_MODE", "test")

from safehaven.settings import *  # noqa: F403
from safehaven.settings import DATABASES

# One test database file per test process, so that two runs at once cannot delete each
# other's database (the file is removed when the run ends).
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    _test_name = DATABASES["default"]["TEST"]["NAME"]
    DATABASES["default"]["TEST"]["NAME"] = _test_name.replace(".sqlite3", f"-{os.getpid()}.sqlite3")
