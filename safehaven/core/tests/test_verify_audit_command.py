"""manage.py verify_audit and anchor_audit: what an operator runs and sees."""

from io import StringIO

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import transaction

from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent


def record(count: int) -> list[AuditEvent]:
    with transaction.atomic():
        return [record_event(EventType.LOGIN_FAILED, detail=f"test {i}") for i in range(count)]


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def anchors(tmp_path):
    return tmp_path / "audit-anchors.log"


@pytest.mark.django_db
def test_it_reports_an_intact_chain(anchors):
    record(3)
    line = run("anchor_audit", "--anchors", str(anchors))
    assert line.split(" ")[1] == "3"
    assert anchors.read_text() == line
    output = run("verify_audit", "--anchors", str(anchors))
    assert output.strip() == "Audit chain intact: 3 rows, 1 anchors"


@pytest.mark.django_db
def test_it_names_the_first_edited_row(anchors):
    events = record(4)
    run("anchor_audit", "--anchors", str(anchors))
    AuditEvent.objects.filter(pk=events[1].pk).update(detail="nothing to see")
    AuditEvent.objects.filter(pk=events[3].pk).update(detail="nor here")
    with pytest.raises(CommandError) as failure:
        run("verify_audit", "--anchors", str(anchors))
    message = str(failure.value)
    assert f"sequence 2, row id {events[1].pk}: row edited" in message


@pytest.mark.django_db
def test_it_names_a_tail_cut_after_an_anchor(anchors):
    events = record(3)
    run("anchor_audit", "--anchors", str(anchors))
    AuditEvent.objects.filter(pk=events[2].pk).update(sequence=99)  # hides it past a gap
    with pytest.raises(CommandError, match=r"sequence 3, row id none .*: row missing"):
        run("verify_audit", "--anchors", str(anchors))


@pytest.mark.django_db
def test_it_refuses_to_verify_without_an_anchor_file_unless_asked(anchors):
    record(2)
    with pytest.raises(CommandError, match="No anchor file"):
        run("verify_audit", "--anchors", str(anchors))
    assert "intact: 2 rows, 0 anchors" in run("verify_audit", "--without-anchors")


@pytest.mark.django_db
def test_it_refuses_to_anchor_a_broken_chain(anchors):
    events = record(2)
    AuditEvent.objects.filter(pk=events[0].pk).update(detail="edited")
    with pytest.raises(CommandError, match=r"Not anchored: .*sequence 1"):
        run("anchor_audit", "--anchors", str(anchors))
    assert not anchors.exists()


@pytest.mark.django_db(transaction=True)
def test_it_exits_non_zero_from_the_command_line(anchors, capsys):
    events = record(3)
    run("anchor_audit", "--anchors", str(anchors))
    AuditEvent.objects.filter(pk=events[2].pk).update(target_ref="42")
    with pytest.raises(SystemExit) as exit_status:
        ManagementUtility(["manage.py", "verify_audit", "--anchors", str(anchors)]).execute()
    assert exit_status.value.code == 1
    assert f"sequence 3, row id {events[2].pk}: row edited" in capsys.readouterr().err
