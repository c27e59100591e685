"""``manage.py doctor``: what a deployment should fix, one small check at a time."""

from safehaven.core.doctor import (  # noqa: F401 - importing registers the checks
    anchors,
    backup_programs,
    configuration,
    database,
    schema,
    tasks,
)
