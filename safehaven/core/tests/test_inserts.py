"""insert_rows: the rows it writes are what the ORM would have written, and the models it
writes have nothing that the ORM's save would have run and it skips."""

import uuid

import pytest
from django.db import models
from django.db.models.signals import post_save, pre_save

from safehaven.core.inserts import (
    insert_prepared,
    insert_rows,
    prepare_inserts,
    prepare_rows,
    run_inserts,
)
from safehaven.core.models import AuditEvent
from safehaven.intake.models import ContactHint, HelpRequest
from safehaven.keys.models import RecordKey, RecordKeyWrap, RecordWrapKind

pytestmark = pytest.mark.django_db

WRITTEN_THROUGH_IT = [AuditEvent, ContactHint, HelpRequest, RecordKey, RecordKeyWrap]


def a_record_key() -> RecordKey:
    return RecordKey(
        record_id=uuid.uuid4(), inbox_public_key=b"p" * 32, sealed_inbox_private_key=b"s" * 60
    )


def test_it_writes_a_row_as_the_orm_would_and_sets_its_id():
    ours, theirs = a_record_key(), a_record_key()
    insert_rows([ours])
    theirs.save()
    assert ours.pk is not None
    assert not ours._state.adding
    read = RecordKey.objects.get(pk=ours.pk)
    for field in ("record_id", "key_id", "inbox_public_key", "sealed_inbox_private_key"):
        assert getattr(read, field) == getattr(ours, field)
    assert bytes(read.inbox_public_key) == b"p" * 32
    assert read.created_at is not None  # auto_now_add
    assert read.created_at == ours.created_at
    assert RecordKey.objects.get(pk=theirs.pk).created_at is not None


def test_it_writes_several_rows_in_one_statement_with_the_ids_of_saved_objects_they_refer_to(
    django_assert_num_queries,
):
    first, second = a_record_key(), a_record_key()
    insert_rows([first])
    insert_rows([second])
    wraps = [
        RecordKeyWrap(record_key=first, kind=RecordWrapKind.CODENAME, wrapped=b"w1"),
        RecordKeyWrap(record_key=second, kind=RecordWrapKind.CODENAME, wrapped=b"w2"),
    ]
    with django_assert_num_queries(1):
        insert_rows(wraps)
    stored = RecordKeyWrap.objects.filter(record_key__in=[first, second]).order_by("pk")
    assert [(wrap.record_key_id, bytes(wrap.wrapped)) for wrap in stored] == [
        (first.pk, b"w1"),
        (second.pk, b"w2"),
    ]


def test_it_refuses_what_it_was_not_made_for():
    saved = a_record_key()
    saved.save()
    with pytest.raises(ValueError, match="new objects of one model"):
        insert_rows([saved])
    with pytest.raises(ValueError, match="new objects of one model"):
        insert_rows([a_record_key(), ContactHint(kind="email", index=1)])
    unsaved = a_record_key()
    with pytest.raises(ValueError, match="unsaved object"):
        insert_rows([RecordKeyWrap(record_key=unsaved, kind=RecordWrapKind.CODENAME, wrapped=b"w")])
    insert_rows([])  # nothing to do


def test_it_prepares_rows_that_refer_to_an_object_inserted_just_before_them(
    django_assert_num_queries,
):
    first, second = a_record_key(), a_record_key()
    wraps = [
        RecordKeyWrap(record_key=first, kind=RecordWrapKind.CODENAME, wrapped=b"w1"),
        RecordKeyWrap(record_key=second, kind=RecordWrapKind.CODENAME, wrapped=b"w2"),
    ]
    with django_assert_num_queries(0):  # made before the transaction: no statement
        first_rows, second_rows = prepare_rows([first]), prepare_rows([second])
        wrap_rows = prepare_rows(wraps)
    with django_assert_num_queries(3):
        insert_prepared(first_rows)
        insert_prepared(second_rows)
        insert_prepared(wrap_rows)
    assert [wrap.record_key_id for wrap in wraps] == [first.pk, second.pk]
    stored = RecordKeyWrap.objects.filter(record_key__in=[first, second]).order_by("pk")
    assert [(wrap.record_key_id, bytes(wrap.wrapped)) for wrap in stored] == [
        (first.pk, b"w1"),
        (second.pk, b"w2"),
    ]


def test_it_writes_prepared_rows_once_and_only_after_what_they_refer_to():
    record_key = a_record_key()
    wrap_rows = prepare_rows(
        [RecordKeyWrap(record_key=record_key, kind=RecordWrapKind.CODENAME, wrapped=b"w")]
    )
    with pytest.raises(ValueError, match="unsaved object"):
        insert_prepared(wrap_rows)
    assert not RecordKeyWrap.objects.exists()
    key_rows = prepare_rows([record_key])
    insert_prepared(key_rows)
    with pytest.raises(ValueError, match="written already"):
        insert_prepared(key_rows)
    assert RecordKey.objects.filter(record_id=record_key.record_id).count() == 1
    with pytest.raises(ValueError, match="at least one"):
        prepare_rows([])


def test_it_prepares_groups_in_order_and_skips_empty_ones():
    record_key = a_record_key()
    wrap = RecordKeyWrap(record_key=record_key, kind=RecordWrapKind.CODENAME, wrapped=b"w")
    assert len(prepare_inserts([a_record_key()], [])) == 1
    run_inserts(prepare_inserts([record_key], [wrap]))
    assert wrap.record_key_id == record_key.pk
    assert RecordKeyWrap.objects.filter(record_key=record_key).count() == 1


@pytest.mark.parametrize("model", WRITTEN_THROUGH_IT)
def test_the_models_it_writes_have_no_save_hooks_it_would_skip(model):
    # AuditEvent's own save() only refuses changes to a written row: inserts skip nothing.
    if model is not AuditEvent:
        assert model.save is models.Model.save
    assert not pre_save.has_listeners(model)
    assert not post_save.has_listeners(model)
