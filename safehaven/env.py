"""Strict readers for settings taken from environment variables.

A malformed value stops start-up with a message that names the variable: a typo in a
deployment must never silently fall back to an unsafe default. Secrets are read from
``VAR`` or from the file named by ``VAR_FILE`` (for container and systemd secrets).
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


# The reader methods are named after the types they return, which shadows the builtins
# inside the class body.
Text = str
Integer = int
Boolean = bool
List = list


class BadSetting(ImproperlyConfigured):
    """A setting in the environment is missing or malformed."""


class Env:
    """Reads settings from a mapping (``os.environ`` by default) with strict parsing."""

    def __init__(self, environ: Mapping[Text, Text] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def _raw(self, name: Text) -> Text | None:
        value = self.environ.get(name)
        if value is None:
            return None
        return value.strip()

    def str(self, name: Text, *, default: Text | None = None) -> Text:
        value = self._raw(name)
        if value is None or value == "":
            if default is None:
                raise BadSetting(f"{name} must be set.")
            return default
        return value

    def bool(self, name: Text, *, default: Boolean) -> Boolean:
        value = self._raw(name)
        if value is None or value == "":
            return default
        lowered = value.lower()
        if lowered in TRUE_WORDS:
            return True
        if lowered in FALSE_WORDS:
            return False
        raise BadSetting(
            f"{name} must be one of {sorted(TRUE_WORDS | FALSE_WORDS)}, not {value!r}."
        )

    def int(
        self,
        name: Text,
        *,
        default: Integer,
        minimum: Integer | None = None,
        maximum: Integer | None = None,
    ) -> Integer:
        value = self._raw(name)
        if value is None or value == "":
            return default
        try:
            number = Integer(value, 10)
        except ValueError:
            raise BadSetting(f"{name} must be a whole number, not {value!r}.") from None
        if minimum is not None and number < minimum:
            raise BadSetting(f"{name} must be at least {minimum}, not {number}.")
        if maximum is not None and number > maximum:
            raise BadSetting(f"{name} must be at most {maximum}, not {number}.")
        return number

    def choice(self, name: Text, *, choices: tuple[Text, ...], default: Text) -> Text:
        value = self._raw(name)
        if value is None or value == "":
            return default
        if value not in choices:
            raise BadSetting(f"{name} must be one of {list(choices)}, not {value!r}.")
        return value

    def list(self, name: Text, *, default: List[Text]) -> List[Text]:
        value = self._raw(name)
        if value is None or value == "":
            return list(default)
        items = [item.strip() for item in value.split(",")]
        if any(not item for item in items):
            raise BadSetting(f"{name} must be a comma-separated list without empty items.")
        return items

    def secret(
        self,
        name: Text,
        *,
        generated_in: Path | None = None,
        min_length: Integer = 1,
        generated_bytes: Integer = 32,
    ) -> Text:
        """Read ``name`` or ``name_FILE``. Without either, generate and keep one under
        ``generated_in`` (demo and test only) or refuse to start."""
        value = self._raw(name)
        file_name = self._raw(f"{name}_FILE")
        if value and file_name:
            raise BadSetting(f"Set only one of {name} and {name}_FILE.")
        if file_name:
            try:
                value = Path(file_name).read_text(encoding="utf-8").strip()
            except OSError as error:
                raise BadSetting(
                    f"{name}_FILE names {file_name!r}, which cannot be read: {error.strerror}."
                ) from None
        if not value:
            if generated_in is None:
                raise BadSetting(
                    f"{name} (or {name}_FILE) must be set: production never uses a default secret."
                )
            value = _generated_secret(generated_in / name.lower(), generated_bytes)
        if len(value) < min_length:
            raise BadSetting(f"{name} must be at least {min_length} characters long.")
        return value

    def key_material(self, name: Text, *, generated_in: Path | None = None) -> bytes:
        """A 32-byte key given as URL-safe base64 (``python -c 'import secrets;
        print(secrets.token_urlsafe(32))'``)."""
        encoded = self.secret(name, generated_in=generated_in)
        try:
            key = base64.b64decode(
                encoded + "=" * (-len(encoded) % 4), altchars=b"-_", validate=True
            )
        except (binascii.Error, ValueError):
            raise BadSetting(f"{name} must be URL-safe base64.") from None
        if len(key) != 32:
            raise BadSetting(f"{name} must decode to exactly 32 bytes, not {len(key)}.")
        return key

    def optional_key_material(self, name: Text) -> bytes | None:
        """Like ``key_material``, but None when neither ``name`` nor ``name_FILE`` is set."""
        if not (self._raw(name) or self._raw(f"{name}_FILE")):
            return None
        return self.key_material(name)

    def database(
        self, name: Text, *, default: Text, base_dir: Path, verify_tls: Boolean = False
    ) -> dict[Text, Any]:
        return parse_database_url(
            name, self.str(name, default=default), base_dir=base_dir, verify_tls=verify_tls
        )


def _generated_secret(path: Path, generated_bytes: int) -> str:
    """Keep a generated secret in a private file so restarts of the demo keep their data."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    value = secrets.token_urlsafe(generated_bytes)
    file_descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(file_descriptor, "w", encoding="utf-8") as handle:
        handle.write(value)
    return value


SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=FULL;"
    "PRAGMA secure_delete=ON;"
    "PRAGMA busy_timeout=10000"
)


POSTGRES_URL_PARAMETERS = frozenset(
    {"host", "sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "application_name"}
)
POSTGRES_SSL_MODES = frozenset(
    {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}
)


def parse_database_url(
    name: str, url: str, *, base_dir: Path, verify_tls: bool = False
) -> dict[Text, Any]:
    """``sqlite:///relative/or//absolute/path`` or ``postgres://user:pw@host:port/db``.

    A ``host`` query parameter gives a socket directory, as in libpq. ``verify_tls``
    (production): a PostgreSQL server reached over the network must prove who it is
    (``sslmode=verify-full``) unless the URL sets ``sslmode`` itself; a Unix socket (no host, or
    a directory) never leaves the machine and needs no TLS.
    """
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        raw_path = unquote(parts.path)
        if not raw_path or raw_path == "/":
            raise BadSetting(f"{name} must name a SQLite file, e.g. sqlite:///var/db.sqlite3.")
        # sqlite:///var/x is relative to the project, sqlite:////srv/x is absolute.
        path = Path(raw_path[1:]) if raw_path.startswith("/") else Path(raw_path)
        if not path.is_absolute():
            path = base_dir / path
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 10,
                "init_command": SQLITE_PRAGMAS,
            },
            "TEST": {"NAME": str(path.with_name("test-" + path.name))},
            "CONN_MAX_AGE": 600,
        }
    if parts.scheme in {"postgres", "postgresql"}:
        database_name = unquote(parts.path.lstrip("/"))
        if not database_name:
            raise BadSetting(f"{name} must name a database, e.g. postgres://host/safehaven.")
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        unknown = set(query) - POSTGRES_URL_PARAMETERS
        if unknown:
            raise BadSetting(
                f"{name} has unknown parameters {sorted(unknown)}; "
                f"known: {sorted(POSTGRES_URL_PARAMETERS)}."
            )
        try:
            port = parts.port
        except ValueError:
            raise BadSetting(f"{name} has a malformed port.") from None
        host = query.pop("host", parts.hostname or "")
        ssl_mode = query.get("sslmode")
        if ssl_mode is not None and ssl_mode not in POSTGRES_SSL_MODES:
            raise BadSetting(f"{name}: sslmode must be one of {sorted(POSTGRES_SSL_MODES)}.")
        if ssl_mode is None and verify_tls and host and not host.startswith("/"):
            # libpq's own default, "prefer", falls back to plain text and checks no certificate.
            query["sslmode"] = "verify-full"
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": database_name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": host,
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            # TLS to the database: sslmode, and sslrootcert (a CA file, or "system").
            "OPTIONS": query,
        }
    raise BadSetting(
        f"{name} must start with sqlite:// or postgres://, not {parts.scheme or 'nothing'}://."
    )
