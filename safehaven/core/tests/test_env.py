from pathlib import Path

import pytest

from safehaven.env import BadSetting, Env, parse_database_url


def test_it_reads_booleans_strictly():
    env = Env({"A": "yes", "B": "off", "C": "maybe"})
    assert env.bool("A", default=False) is True
    assert env.bool("B", default=True) is False
    assert env.bool("MISSING", default=True) is True
    with pytest.raises(BadSetting, match=r"^C must be one of"):
        env.bool("C", default=False)


def test_it_refuses_malformed_integers_naming_the_variable():
    env = Env({"N": "12x", "LOW": "0", "HIGH": "70000", "OK": " 42 "})
    assert env.int("OK", default=1) == 42
    with pytest.raises(BadSetting, match="N must be a whole number"):
        env.int("N", default=1)
    with pytest.raises(BadSetting, match="LOW must be at least 1"):
        env.int("LOW", default=1, minimum=1)
    with pytest.raises(BadSetting, match="HIGH must be at most 65535"):
        env.int("HIGH", default=1, maximum=65535)


def test_it_refuses_unknown_choices_and_empty_list_items():
    env = Env({"MODE": "staging", "HOSTS": "a.org,,b.org"})
    with pytest.raises(BadSetting, match="MODE must be one of"):
        env.choice("MODE", choices=("production", "demo"), default="production")
    with pytest.raises(BadSetting, match="HOSTS must be a comma-separated list"):
        env.list("HOSTS", default=[])


def test_it_reads_secrets_from_a_file(tmp_path: Path):
    secret_file = tmp_path / "key"
    secret_file.write_text("s" * 60 + "\n")
    env = Env({"KEY_FILE": str(secret_file)})
    assert env.secret("KEY", min_length=50) == "s" * 60


def test_it_refuses_a_missing_secret_without_a_generation_directory():
    with pytest.raises(BadSetting, match=r"KEY \(or KEY_FILE\) must be set"):
        Env({}).secret("KEY")


def test_it_refuses_both_a_secret_and_its_file(tmp_path: Path):
    with pytest.raises(BadSetting, match="Set only one of KEY and KEY_FILE"):
        Env({"KEY": "x", "KEY_FILE": str(tmp_path / "k")}).secret("KEY")


def test_it_names_an_unreadable_secret_file(tmp_path: Path):
    with pytest.raises(BadSetting, match=r"KEY_FILE names .* which cannot be read"):
        Env({"KEY_FILE": str(tmp_path / "absent")}).secret("KEY")


def test_it_refuses_a_short_secret():
    with pytest.raises(BadSetting, match="KEY must be at least 50 characters"):
        Env({"KEY": "short"}).secret("KEY", min_length=50)


def test_it_generates_and_keeps_a_secret_in_demo_and_test(tmp_path: Path):
    first = Env({}).secret("KEY", generated_in=tmp_path)
    second = Env({}).secret("KEY", generated_in=tmp_path)
    assert first == second
    assert len(first) >= 40
    assert (tmp_path / "key").stat().st_mode & 0o777 == 0o600


def test_it_checks_key_material_length_and_encoding(tmp_path: Path):
    assert len(Env({}).key_material("PEPPER", generated_in=tmp_path)) == 32
    with pytest.raises(BadSetting, match="PEPPER must decode to exactly 32 bytes"):
        Env({"PEPPER": "c2hvcnQ"}).key_material("PEPPER")
    with pytest.raises(BadSetting, match="PEPPER must be URL-safe base64"):
        Env({"PEPPER": "!!!!"}).key_material("PEPPER")


def test_it_reads_optional_key_material_only_when_given(tmp_path: Path):
    assert Env({}).optional_key_material("BACKUP_KEY") is None
    assert Env({"BACKUP_KEY": "  "}).optional_key_material("BACKUP_KEY") is None
    key_file = tmp_path / "backup_key"
    key_file.write_text("A" * 43 + "\n")
    assert Env({"BACKUP_KEY_FILE": str(key_file)}).optional_key_material("BACKUP_KEY") == bytes(32)
    with pytest.raises(BadSetting, match="BACKUP_KEY must decode to exactly 32 bytes"):
        Env({"BACKUP_KEY": "c2hvcnQ"}).optional_key_material("BACKUP_KEY")


def test_it_parses_sqlite_urls_relative_and_absolute(tmp_path: Path):
    relative = parse_database_url("DB", "sqlite:///var/x.sqlite3", base_dir=tmp_path)
    assert relative["NAME"] == str(tmp_path / "var" / "x.sqlite3")
    assert relative["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    absolute = parse_database_url("DB", "sqlite:////srv/x.sqlite3", base_dir=tmp_path)
    assert absolute["NAME"] == "/srv/x.sqlite3"


def test_it_parses_postgres_urls_with_a_socket_directory(tmp_path: Path):
    parsed = parse_database_url(
        "DB", "postgres://app:p%40ss@/safehaven?host=/run/pg", base_dir=tmp_path
    )
    assert parsed["ENGINE"] == "django.db.backends.postgresql"
    assert (parsed["NAME"], parsed["USER"], parsed["PASSWORD"]) == ("safehaven", "app", "p@ss")
    assert parsed["HOST"] == "/run/pg"
    tcp = parse_database_url("DB", "postgresql://db.internal:5433/sh", base_dir=tmp_path)
    assert (tcp["HOST"], tcp["PORT"]) == ("db.internal", "5433")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://x/y", "DB must start with sqlite:// or postgres://"),
        ("sqlite:///", "DB must name a SQLite file"),
        ("postgres://host/", "DB must name a database"),
        ("postgres://host:notaport/db", "DB has a malformed port"),
    ],
)
def test_it_refuses_malformed_database_urls(tmp_path: Path, url: str, message: str):
    with pytest.raises(BadSetting, match=message):
        parse_database_url("DB", url, base_dir=tmp_path)


def test_it_passes_postgres_tls_options_and_refuses_unknown_ones(tmp_path: Path):
    parsed = parse_database_url(
        "DB",
        "postgres://app@db.internal/sh?sslmode=verify-full&sslrootcert=/etc/ca.pem",
        base_dir=tmp_path,
    )
    assert parsed["OPTIONS"] == {"sslmode": "verify-full", "sslrootcert": "/etc/ca.pem"}
    with pytest.raises(BadSetting, match="unknown parameters"):
        parse_database_url("DB", "postgres://db/sh?sslmod=require", base_dir=tmp_path)
    with pytest.raises(BadSetting, match="sslmode must be one of"):
        parse_database_url("DB", "postgres://db/sh?sslmode=maybe", base_dir=tmp_path)


def test_it_verifies_a_postgres_server_over_the_network_when_asked(tmp_path: Path):
    verified = parse_database_url(
        "DB", "postgres://app@db.internal/sh?sslrootcert=system", base_dir=tmp_path, verify_tls=True
    )
    assert verified["OPTIONS"] == {"sslmode": "verify-full", "sslrootcert": "system"}
    chosen = parse_database_url(
        "DB", "postgres://app@db.internal/sh?sslmode=require", base_dir=tmp_path, verify_tls=True
    )
    assert chosen["OPTIONS"] == {"sslmode": "require"}  # what the URL says stands
    for socket_url in ("postgres://app@/sh", "postgres://app@/sh?host=/run/postgresql"):
        local = parse_database_url("DB", socket_url, base_dir=tmp_path, verify_tls=True)
        assert "sslmode" not in local["OPTIONS"]  # a Unix socket never leaves the machine
    demo = parse_database_url("DB", "postgres://app@db.internal/sh", base_dir=tmp_path)
    assert "sslmode" not in demo["OPTIONS"]
