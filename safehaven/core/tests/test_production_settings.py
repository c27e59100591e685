"""Production settings: refuse to start without secrets; `check --deploy` finds nothing."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def production_environment(tmp_path: Path, **overrides: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SAFEHAVEN_")
        and key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(
        {
            "SAFEHAVEN_MODE": "production",
            "DJANGO_SETTINGS_MODULE": "safehaven.settings",
            "SAFEHAVEN_SECRET_KEY": secrets.token_urlsafe(48),
            "SAFEHAVEN_BLIND_INDEX_PEPPER": secrets.token_urlsafe(32),
            "SAFEHAVEN_CODENAME_PEPPER": secrets.token_urlsafe(32),
            "SAFEHAVEN_AUDIT_ANCHOR_KEY": secrets.token_urlsafe(32),
            "SAFEHAVEN_PUBLIC_KEY_TAG_KEY": secrets.token_urlsafe(32),
            "SAFEHAVEN_ALLOWED_HOSTS": "help.example.org",
            "SAFEHAVEN_VAR_DIR": str(tmp_path),
            "SAFEHAVEN_DATABASE_URL": f"sqlite:///{tmp_path}/prod.sqlite3",
        }
    )
    environment.update(overrides)
    return {key: value for key, value in environment.items() if value != ""}


def manage(environment: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_it_reports_nothing_on_check_deploy(tmp_path: Path):
    result = manage(production_environment(tmp_path), "check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "missing",
    [
        "SAFEHAVEN_SECRET_KEY",
        "SAFEHAVEN_BLIND_INDEX_PEPPER",
        "SAFEHAVEN_CODENAME_PEPPER",
        "SAFEHAVEN_AUDIT_ANCHOR_KEY",
        "SAFEHAVEN_PUBLIC_KEY_TAG_KEY",
        "SAFEHAVEN_ALLOWED_HOSTS",
    ],
)
def test_it_refuses_to_start_without_a_secret(tmp_path: Path, missing: str):
    result = manage(production_environment(tmp_path, **{missing: ""}), "check")
    assert result.returncode != 0
    assert missing in result.stderr
    assert not list(tmp_path.glob("secrets/**/*")), "production must never generate secrets"


def test_it_refuses_debug_in_production(tmp_path: Path):
    result = manage(production_environment(tmp_path, SAFEHAVEN_DEBUG="true"), "check")
    assert result.returncode != 0
    assert "SAFEHAVEN_DEBUG cannot be on" in result.stderr


def test_it_stops_on_a_malformed_value_naming_it(tmp_path: Path):
    result = manage(production_environment(tmp_path, SAFEHAVEN_HSTS_SECONDS="a year"), "check")
    assert result.returncode != 0
    assert "SAFEHAVEN_HSTS_SECONDS must be a whole number" in result.stderr


def database_options(tmp_path: Path, url: str, mode: str = "production") -> str:
    environment = production_environment(tmp_path, SAFEHAVEN_DATABASE_URL=url)
    environment["SAFEHAVEN_MODE"] = mode
    environment.setdefault("SAFEHAVEN_PUBLIC_KEY_TAG_KEY", secrets.token_urlsafe(32))
    code = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    result = manage(environment, "shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_it_verifies_the_postgres_server_by_default(tmp_path: Path):
    remote = "postgres://app:pw@db.internal:5432/safehaven"
    assert "'sslmode': 'verify-full'" in database_options(tmp_path, remote)
    assert "'sslmode': 'disable'" in database_options(tmp_path, remote + "?sslmode=disable")
    assert "sslmode" not in database_options(tmp_path, "postgres://app@/safehaven")
    assert "sslmode" not in database_options(tmp_path, remote, mode="demo")
