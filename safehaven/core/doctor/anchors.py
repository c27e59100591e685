"""The audit anchors: where they go, that the key is set, and how old the newest one is.

``anchor_audit`` appends a line to ``AUDIT_ANCHOR_PATH`` at every run of its timer (every 5
minutes), whether or not events were written, so the newest line's time tells whether the
timer runs.
"""

from __future__ import annotations

import stat
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from safehaven.core.audit import read_anchors
from safehaven.core.doctor.registry import Options, Result, fail, ok, register, warn


@register(
    "audit anchor key",
    order=20,
    explanation="the anchor key is 32 bytes, the anchor file's directory exists and the file "
    "is readable by its owner only",
)
def check_anchor_key(options: Options) -> list[Result]:
    key = settings.AUDIT_ANCHOR_KEY
    if not isinstance(key, bytes) or len(key) != 32:
        return [fail("AUDIT_ANCHOR_KEY is not 32 bytes: set SAFEHAVEN_AUDIT_ANCHOR_KEY_FILE")]
    path = Path(settings.AUDIT_ANCHOR_PATH)
    if not path.parent.is_dir():
        return [
            fail(
                f"the anchor directory {path.parent} does not exist: create it for the service user"
            )
        ]
    if path.exists() and path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        return [
            fail(f"the anchor file {path} is open to its group or other users: chmod 600 {path}")
        ]
    return [ok(f"anchor key set; anchors go to {path}")]


@register(
    "audit anchor age",
    order=50,
    explanation="the newest line of the anchor file carries a valid HMAC and is at most twice "
    "the anchor_audit timer's period old (--anchor-period-minutes, 5): warn when older, fail "
    "when there is none in production or a line is forged",
)
def check_anchor_age(options: Options) -> list[Result]:
    path = Path(settings.AUDIT_ANCHOR_PATH)
    missing = warn if settings.MODE != "production" else fail
    if not path.is_file():
        return [missing(f"no anchor file at {path}: run manage.py anchor_audit from a timer")]
    anchors, forged = read_anchors(path, settings.AUDIT_ANCHOR_KEY)
    if forged is not None:
        return [fail(f"{forged.note}: run manage.py verify_audit and find out who wrote it")]
    if not anchors:
        return [missing(f"{path} holds no anchor: run manage.py anchor_audit from a timer")]
    newest = max(datetime.fromisoformat(anchor.written_at) for anchor in anchors)
    age = timezone.now() - newest
    minutes = int(age.total_seconds() // 60)
    if age > 2 * options.anchor_period:
        period = int(options.anchor_period.total_seconds() // 60)
        return [
            warn(
                f"the newest audit anchor is {minutes} minutes old (its timer runs every "
                f"{period} minutes): is the anchor_audit timer running?"
            )
        ]
    return [ok(f"the newest audit anchor is {minutes} minutes old")]
