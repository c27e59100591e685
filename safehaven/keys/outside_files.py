"""Where the key layer keeps what must outlive the database: the list of shredded records
and the team key versions seen (a restore or a database write cannot roll them back)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def shred_list_path() -> Path:
    configured = getattr(settings, "KEYS_SHRED_LIST_FILE", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "shredded-records.txt"
