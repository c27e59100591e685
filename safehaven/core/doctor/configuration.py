"""Configuration: production mode, DEBUG off, host names, and secrets that are real ones.

A secret's value is never printed: only the name of the variable that holds it.
"""

from __future__ import annotations

import base64
import hmac
import os
import stat
from pathlib import Path

from django.conf import settings

from safehaven.core.doctor.registry import Options, Result, fail, ok, register, warn

# (setting, environment variable, is 32 bytes of URL-safe base64 in the environment)
SECRETS = (
    ("SECRET_KEY", "SAFEHAVEN_SECRET_KEY", False),
    ("BLIND_INDEX_PEPPER", "SAFEHAVEN_BLIND_INDEX_PEPPER", True),
    ("CODENAME_PEPPER", "SAFEHAVEN_CODENAME_PEPPER", True),
    ("AUDIT_ANCHOR_KEY", "SAFEHAVEN_AUDIT_ANCHOR_KEY", True),
    ("PUBLIC_KEY_TAG_KEY", "SAFEHAVEN_PUBLIC_KEY_TAG_KEY", True),
)
GENERATING_MODES = ("demo", "test")


def production() -> bool:
    return settings.MODE == "production"


@register(
    "configuration",
    order=10,
    explanation="production mode, DEBUG off, ALLOWED_HOSTS without '*', HTTPS settings; the "
    "secret key and peppers are not the demo's or tests' generated ones, come from _FILE "
    "variables, and their files are readable by the service user only",
)
def check_configuration(options: Options) -> list[Result]:
    return [
        check_mode(),
        check_debug(),
        check_allowed_hosts(),
        check_https(),
        check_secrets_not_generated(),
        *check_secret_sources(),
    ]


def check_mode() -> Result:
    if production():
        return ok("SAFEHAVEN_MODE is production")
    return warn(
        f"SAFEHAVEN_MODE is {settings.MODE}: its secrets are generated under "
        f"{settings.VAR_DIR}/secrets/; never use it for real people"
    )


def check_debug() -> Result:
    if not settings.DEBUG:
        return ok("DEBUG is off")
    if settings.MODE in GENERATING_MODES:
        return warn(f"DEBUG is on ({settings.MODE} mode)")
    return fail("DEBUG is on: set SAFEHAVEN_DEBUG=false (error pages would show settings)")


def check_allowed_hosts() -> Result:
    hosts = list(settings.ALLOWED_HOSTS)
    if "*" in hosts:
        return fail(
            "ALLOWED_HOSTS contains '*': list the site's host names in SAFEHAVEN_ALLOWED_HOSTS"
        )
    if not hosts:
        return fail("ALLOWED_HOSTS is empty: set SAFEHAVEN_ALLOWED_HOSTS")
    return ok(f"ALLOWED_HOSTS: {', '.join(hosts)}")


def check_https() -> Result:
    if not production():
        return ok("HTTPS settings apply in production only")
    if not (settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE):
        return fail("session or CSRF cookies are not Secure: run in production mode")
    if not getattr(settings, "SECURE_HSTS_SECONDS", 0):
        return warn("HSTS is off: leave SAFEHAVEN_HSTS_SECONDS at its default")
    if not getattr(settings, "SECURE_SSL_REDIRECT", False):
        return warn("SAFEHAVEN_SSL_REDIRECT is off: make sure the proxy redirects http to https")
    return ok("secure cookies, HSTS and the https redirect are on")


def check_secrets_not_generated() -> Result:
    """In production, no secret may be one that demo or test mode generated (and left on disk)."""
    if not production():
        return ok(f"secrets are generated for {settings.MODE} mode")
    reused = []
    for setting, variable, is_key in SECRETS:
        value = getattr(settings, setting)
        for mode in GENERATING_MODES:
            generated = _generated_value(Path(settings.VAR_DIR), mode, variable, is_key)
            if generated is not None and hmac.compare_digest(_as_bytes(value), generated):
                reused.append(f"{variable} ({mode})")
    if reused:
        return fail(
            f"the {', '.join(reused)} generated value is used in production: generate a new "
            "one (README, Configuration) before any real data is stored"
        )
    return ok("no secret is a demo or test one")


def check_secret_sources() -> list[Result]:
    """Secrets should come from files readable by the service user only (README, checklist 1)."""
    if not production():
        return []
    results = []
    variables = [variable for _setting, variable, _is_key in SECRETS]
    if os.environ.get("SAFEHAVEN_SMTP_USER"):
        variables.append("SAFEHAVEN_SMTP_PASSWORD")
    for variable in variables:
        file_name = os.environ.get(f"{variable}_FILE", "").strip()
        if not file_name:
            results.append(
                warn(
                    f"{variable} is given in the environment: put it in a file readable by the "
                    f"service user only and set {variable}_FILE"
                )
            )
            continue
        results.append(private_file(Path(file_name), f"{variable}_FILE ({file_name})"))
    if all(result.status == "ok" for result in results):
        return [ok("every secret comes from a private file")]
    return [result for result in results if result.status != "ok"]


def private_file(path: Path, what: str) -> Result:
    """A file that only its owner can read: other users' access fails, the group's warns."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return fail(f"{what} does not exist")
    if mode & (stat.S_IROTH | stat.S_IWOTH):
        return fail(f"{what} is readable or writable by other users: chmod 600 {path}")
    if mode & (stat.S_IRGRP | stat.S_IWGRP):
        return warn(f"{what} is readable or writable by its group: chmod 600 {path}")
    return ok(f"{what} is private")


def _generated_value(var_dir: Path, mode: str, variable: str, is_key: bool) -> bytes | None:
    try:
        text = (var_dir / "secrets" / mode / variable.lower()).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if not is_key:
        return text.encode()
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        return None


def _as_bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode()
