"""Staff sessions: Django's database sessions, with an expired row deleted as soon as its
cookie comes back (the row holds the login's sealed private key; SECURITY.md)."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    # django-stubs does not declare this hook; Django 6.1 has it (backends/db.py).
    def _get_session_from_db(self) -> Any:
        key = self.session_key
        found = super()._get_session_from_db()  # type: ignore[misc]
        if found is None and key:
            # Django leaves an expired row until `clearsessions`; nothing needs it any more.
            self.model.objects.filter(session_key=key, expire_date__lte=timezone.now()).delete()
        return found
