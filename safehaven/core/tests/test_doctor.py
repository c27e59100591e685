"""``manage.py doctor``: each check's ok and fail path, the exit status, and every operator
command's ``--help``."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from safehaven.accounts.models import Membership, Organisation, OrganisationKind, Role
from safehaven.core.audit import anchor_mac, write_anchor
from safehaven.core.doctor import anchors, configuration, database, registry, schema, tasks
from safehaven.core.doctor.registry import Options, Status, ok, warn
from safehaven.keys import doctor as keys_doctor
from safehaven.keys.actions.escrow import do_create_escrow
from safehaven.keys.models import EscrowKey
from safehaven.keys.tests.helpers import make_user

OPTIONS = Options()
PRODUCTION = {"MODE": "production", "DEBUG": False}
OPERATOR_COMMANDS = (
    "doctor",
    "verify_audit",
    "verify_ledger",
    "init_keys",
    "print_recovery_sheet",
    "restore_escrow",
    "reapply_shreds",
    "anchor_audit",
    "apply_retention",
    "refresh_report_figures",
    "shred_withdrawn",
    "watch_check_ins",
    "check_tasks",
    "backup",
    "restore",
    "make_backup_key",
)


def statuses(results: list[registry.Result]) -> set[Status]:
    return {result.status for result in results}


def text_of(secret: bytes | str) -> list[str]:
    raw = secret if isinstance(secret, bytes) else secret.encode()
    return [raw.decode("latin-1"), base64.urlsafe_b64encode(raw).decode().rstrip("="), raw.hex()]


# Configuration


def test_it_fails_debug_outside_demo_and_test():
    with override_settings(**PRODUCTION):
        assert configuration.check_debug().status == Status.OK
    with override_settings(MODE="production", DEBUG=True):
        result = configuration.check_debug()
    assert result.status == Status.FAIL
    assert "SAFEHAVEN_DEBUG=false" in result.message


def test_it_fails_allowed_hosts_that_accept_any_host():
    with override_settings(ALLOWED_HOSTS=["haven.example"]):
        assert configuration.check_allowed_hosts().status == Status.OK
    with override_settings(ALLOWED_HOSTS=["*"]):
        assert configuration.check_allowed_hosts().status == Status.FAIL


def test_it_fails_a_demo_secret_in_production_without_printing_it(tmp_path):
    with override_settings(**PRODUCTION, VAR_DIR=tmp_path):
        assert configuration.check_secrets_not_generated().status == Status.OK
        demo = tmp_path / "secrets" / "demo"
        demo.mkdir(parents=True)
        pepper = base64.urlsafe_b64encode(settings.CODENAME_PEPPER).decode().rstrip("=")
        (demo / "safehaven_codename_pepper").write_text(pepper)
        (demo / "safehaven_secret_key").write_text(settings.SECRET_KEY)
        result = configuration.check_secrets_not_generated()
    assert result.status == Status.FAIL
    assert "SAFEHAVEN_CODENAME_PEPPER (demo)" in result.message
    assert "SAFEHAVEN_SECRET_KEY (demo)" in result.message
    for shown in [*text_of(settings.CODENAME_PEPPER), settings.SECRET_KEY]:
        assert shown not in result.message


def test_it_wants_secrets_in_private_files_in_production(tmp_path, monkeypatch):
    monkeypatch.delenv("SAFEHAVEN_SMTP_USER", raising=False)
    for _setting, variable, _is_key in configuration.SECRETS:
        path = tmp_path / variable.lower()
        path.write_text("x")
        path.chmod(0o600)
        monkeypatch.delenv(variable, raising=False)
        monkeypatch.setenv(f"{variable}_FILE", str(path))
    with override_settings(**PRODUCTION):
        assert statuses(configuration.check_secret_sources()) == {Status.OK}
        (tmp_path / "safehaven_codename_pepper").chmod(0o644)
        monkeypatch.delenv("SAFEHAVEN_BLIND_INDEX_PEPPER_FILE")
        monkeypatch.setenv("SAFEHAVEN_BLIND_INDEX_PEPPER", "inline")
        results = configuration.check_secret_sources()
    assert [result.status for result in results] == [Status.WARN, Status.FAIL]
    assert "SAFEHAVEN_BLIND_INDEX_PEPPER is given in the environment" in results[0].message
    assert "chmod 600" in results[1].message
    assert "inline" not in results[0].message


# Key material


@pytest.mark.django_db
def test_it_fails_without_an_escrow_key():
    [result] = keys_doctor.check_key_material(OPTIONS)
    assert result.status == Status.FAIL
    assert "init_keys" in result.message


@pytest.mark.django_db
def test_it_wants_two_usable_escrow_holders():
    organisation = Organisation.objects.create(name="Haven", kind=OrganisationKind.RELOCATING)
    admins = [make_user(name) for name in ("admin1", "admin2")]
    for admin in admins:
        Membership.objects.create(user=admin, organisation=organisation, role=Role.ADMIN)
    escrow = do_create_escrow(organisation, actor=None)
    [unprinted] = keys_doctor.check_key_material(OPTIONS)
    assert unprinted.status == Status.WARN
    assert "print_recovery_sheet" in unprinted.message
    EscrowKey.objects.filter(pk=escrow.pk).update(sheet_printed_at=timezone.now())
    assert statuses(keys_doctor.check_key_material(OPTIONS)) == {Status.OK}
    admins[1].is_active = False
    admins[1].save(update_fields=["is_active"])
    [result] = keys_doctor.check_key_material(OPTIONS)
    assert result.status == Status.FAIL
    assert "1 usable holder(s)" in result.message
    assert "add_escrow_holder" in result.message


def test_it_fails_an_anchor_file_others_can_read(tmp_path):
    path = tmp_path / "anchors.log"
    with override_settings(AUDIT_ANCHOR_PATH=path):
        assert statuses(anchors.check_anchor_key(OPTIONS)) == {Status.OK}
        path.write_text("")
        path.chmod(0o644)
        [result] = anchors.check_anchor_key(OPTIONS)
    assert result.status == Status.FAIL
    with override_settings(AUDIT_ANCHOR_PATH=tmp_path / "missing" / "anchors.log"):
        [missing] = anchors.check_anchor_key(OPTIONS)
    assert missing.status == Status.FAIL


# Database


def test_it_fails_sqlite_files_open_to_others(tmp_path):
    name = tmp_path / "db.sqlite3"
    name.write_bytes(b"")
    name.chmod(0o600)
    assert statuses(database.sqlite_file_modes(str(name))) == {Status.OK}
    wal = Path(f"{name}-wal")
    wal.write_bytes(b"")
    wal.chmod(0o640)
    [result] = database.sqlite_file_modes(str(name))
    assert result.status == Status.FAIL
    assert f"chmod 600 {wal}" in result.message


@pytest.mark.sqlite_only
@pytest.mark.django_db
def test_it_checks_the_sqlite_pragmas():
    assert statuses(database.sqlite_pragmas()) == {Status.OK}
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete=OFF")
        try:
            results = database.sqlite_pragmas()
        finally:
            cursor.execute("PRAGMA secure_delete=ON")
    assert [result.status for result in results] == [Status.OK, Status.OK, Status.FAIL]


@pytest.mark.django_db
def test_it_checks_the_durability_settings_of_postgresql():
    cursor = mock.MagicMock()
    cursor.__enter__.return_value = cursor
    cursor.fetchone.side_effect = [("on",), ("off",), ("on",)]
    with mock.patch.object(connection, "cursor", return_value=cursor):
        results = database.postgresql_settings()
    assert [result.status for result in results] == [
        Status.OK, Status.FAIL, Status.OK, Status.OK
    ]  # fmt: skip
    assert "synchronous_commit is off" in results[1].message


# Migrations


@pytest.mark.django_db
def test_it_fails_on_a_pending_migration():
    assert statuses(schema.check_migrations(OPTIONS)) == {Status.OK}
    pending = [(SimpleNamespace(app_label="intake", name="0099_new"), False)]
    with mock.patch.object(schema.MigrationExecutor, "migration_plan", return_value=pending):
        result = schema.pending_migrations()
    assert result.status == Status.FAIL
    assert "intake.0099_new" in result.message
    assert "manage.py migrate" in result.message


# Audit anchor age


def anchor_line(written_at: datetime, sequence: int = 0, row_hash: str = "0" * 64) -> str:
    stamp = written_at.isoformat(timespec="seconds")
    mac = anchor_mac(settings.AUDIT_ANCHOR_KEY, stamp, sequence, row_hash)
    return f"{stamp} {sequence} {row_hash} {mac}\n"


@pytest.mark.django_db
def test_it_reads_the_age_of_the_newest_anchor(tmp_path):
    path = tmp_path / "anchors.log"
    write_anchor(path, settings.AUDIT_ANCHOR_KEY)
    with override_settings(AUDIT_ANCHOR_PATH=path):
        assert statuses(anchors.check_anchor_age(OPTIONS)) == {Status.OK}
        path.write_text(anchor_line(datetime.now(UTC) - timedelta(minutes=11)))
        [old] = anchors.check_anchor_age(OPTIONS)
        assert old.status == Status.WARN
        assert "11 minutes old" in old.message
        assert statuses(anchors.check_anchor_age(Options(anchor_period=timedelta(hours=1)))) == {
            Status.OK
        }
        path.write_text(anchor_line(datetime.now(UTC)).replace(" 0 ", " 1 ", 1))
        [forged] = anchors.check_anchor_age(OPTIONS)
        assert forged.status == Status.FAIL
        assert "verify_audit" in forged.message


def test_it_fails_without_anchors_in_production_only(tmp_path):
    with override_settings(AUDIT_ANCHOR_PATH=tmp_path / "none.log"):
        [in_test] = anchors.check_anchor_age(OPTIONS)
        with override_settings(**PRODUCTION):
            [in_production] = anchors.check_anchor_age(OPTIONS)
    assert in_test.status == Status.WARN
    assert in_production.status == Status.FAIL
    assert "anchor_audit" in in_production.message


# Task worker

DATABASE_TASKS = {"default": {"BACKEND": tasks.DATABASE_BACKEND}}


def task(**fields) -> DBTaskResult:
    enqueued_at = fields.pop("enqueued_at", timezone.now())
    row = DBTaskResult.objects.create(
        task_path="safehaven.keys.tasks.send_duress_alert",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=get_date_max(),
        **fields,
    )
    DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=enqueued_at)
    return row


def test_it_needs_no_worker_when_tasks_run_inline():
    [result] = tasks.check_task_worker(OPTIONS)
    assert result.status == Status.OK
    assert "no worker needed" in result.message


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS)
def test_it_says_how_long_no_worker_was_seen_when_a_task_waits():
    [never] = tasks.check_task_worker(OPTIONS)
    assert never.status == Status.WARN
    now = timezone.now()
    task(status="SUCCESSFUL", started_at=now - timedelta(minutes=3), finished_at=now)
    [seen] = tasks.check_task_worker(OPTIONS)
    assert seen.status == Status.OK
    task(status="READY", enqueued_at=now - timedelta(minutes=42))
    DBTaskResult.objects.filter(status="SUCCESSFUL").update(
        started_at=now - timedelta(minutes=46), finished_at=now - timedelta(minutes=45)
    )
    [late] = tasks.check_task_worker(OPTIONS)
    assert late.status == Status.FAIL
    assert "1 tasks have waited more than 10 minutes" in late.message
    assert "no worker seen for 45 minutes" in late.message
    assert "db_worker" in late.message


# The command


def doctor(*arguments: str) -> str:
    out = StringIO()
    call_command("doctor", *arguments, stdout=out)
    return out.getvalue()


def test_it_exits_0_with_warnings_alone(monkeypatch):
    checks = {
        "fine": registry.Check("fine", 1, "fine", lambda options: [ok("all good")]),
        "meh": registry.Check("meh", 2, "meh", lambda options: [warn("look at this")]),
    }
    monkeypatch.setattr(registry, "CHECKS", checks)
    output = doctor()
    assert "ok   fine: all good" in output
    assert "WARN meh: look at this" in output
    assert "0 failed, 1 warnings." in output


def test_it_reports_a_check_that_cannot_run_without_its_message(monkeypatch):
    def broken(options: Options) -> list[registry.Result]:
        raise ValueError("secret-ish detail")

    monkeypatch.setattr(registry, "CHECKS", {"broken": registry.Check("broken", 1, "", broken)})
    with pytest.raises(CommandError) as raised:
        doctor()
    assert raised.value.returncode == 1
    assert "1 failed" in str(raised.value)


@pytest.mark.django_db
def test_it_exits_1_on_a_failure_and_prints_no_secret(tmp_path):
    out = StringIO()
    with (
        override_settings(AUDIT_ANCHOR_PATH=tmp_path / "anchors.log"),
        pytest.raises(CommandError) as raised,
    ):
        call_command("doctor", stdout=out)
    assert raised.value.returncode == 1
    output = out.getvalue() + str(raised.value)
    assert "FAIL escrow and team keys: no escrow key" in output
    for name in ("configuration", "database", "migrations", "audit anchor age", "task worker"):
        assert f" {name}: " in output
    for secret in (
        settings.BLIND_INDEX_PEPPER,
        settings.CODENAME_PEPPER,
        settings.AUDIT_ANCHOR_KEY,
        settings.PUBLIC_KEY_TAG_KEY,
    ):
        for shown in text_of(secret):
            assert shown not in output
    assert settings.SECRET_KEY not in output


def test_its_help_explains_every_check(capsys):
    with pytest.raises(SystemExit):
        call_command("doctor", "--help")
    shown = capsys.readouterr().out
    assert "Exits with status 1 when any check fails" in shown
    for check in registry.discover():
        assert f"  {check.name}: " in shown


@pytest.mark.parametrize("name", OPERATOR_COMMANDS)
def test_every_operator_command_explains_itself(name):
    command = load_command_class(get_commands()[name], name)
    assert len(command.help) > 80
