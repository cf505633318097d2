"""``KeyedGet``: a SELECT by key built once per process, loading what the queryset would."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, transaction
from django.db.models.sql.compiler import SQLCompiler
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from portal.core.statements import InsertRows, KeyedGet, KeyedRows, UpdateColumns
from tests.factories import local_official

pytestmark = pytest.mark.django_db


def test_it_loads_the_row_its_related_rows_and_columns_as_the_queryset_does(django_assert_num_queries):
    user = local_official()
    user.last_login = timezone.now() - dt.timedelta(days=1)
    user.save(update_fields=["last_login"])
    get = KeyedGet(get_user_model().objects.select_related("institution").only("email", "last_login", "institution"))
    with django_assert_num_queries(1):
        loaded = get(user.pk)
        assert (loaded.pk, loaded.email, loaded.last_login) == (user.pk, user.email, user.last_login)
        assert loaded.institution.name == user.institution.name  # loaded with it: no second query
    assert loaded.get_deferred_fields() >= {"first_name", "is_active"}
    assert get(user.pk + 1000) is None


def test_its_sql_is_built_once(monkeypatch):
    first, second = local_official(), local_official()
    get = KeyedGet(get_user_model().objects.select_related("institution"))
    assert get(first.pk).pk == first.pk
    built = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(SQLCompiler, "as_sql", lambda self, *a, **k: built.append(1) or original(self, *a, **k))
    assert get(second.pk).institution_id == second.institution_id
    assert built == []


def test_a_lock_outside_a_transaction_is_refused(monkeypatch):
    """As Django refuses ``select_for_update`` in autocommit (a test runs inside a transaction: autocommit is
    simulated)."""
    from django.db import connection

    user = local_official()
    get = KeyedGet(get_user_model().objects.select_for_update())
    with transaction.atomic():
        assert get(user.pk).pk == user.pk
    monkeypatch.setattr(connection, "get_autocommit", lambda: True)
    with pytest.raises(TransactionManagementError):
        get(user.pk)


def test_rows_are_read_by_a_key_of_their_own_with_the_querysets_other_filters():
    first, second = local_official(), local_official()
    rows = KeyedRows(
        get_user_model().objects.filter(is_active=True).order_by().values_list("pk", "last_login"),
        key_field="email",
        text_key=True,
    )
    assert rows(first.email) == [(first.pk, None)]
    second.is_active = False
    second.save(update_fields=["is_active"])
    assert rows(second.email) == []
    with pytest.raises(ValueError, match="without annotations"):
        KeyedGet(get_user_model().objects.values_list("pk"))


# --- the writes: ``InsertRows`` and ``UpdateColumns`` ------------------------------------------------------------


def _row(model, pk) -> dict:
    return model.objects.filter(pk=pk).values().get()


def test_inserted_rows_are_the_rows_bulk_create_writes_with_their_keys_set():
    from portal.notifications.models import Notification

    user = local_official()
    insert = InsertRows(Notification)

    other = local_official()
    shared = {"number": "RAII-1", "registered_on": "2026-11-29"}  # one notice's parameters, the same object per reader

    def notices():
        return [
            Notification(recipient=user, event="closed", params={"n": 1, "d": "2026-11-29"}, subject="a", body="b"),
            Notification(recipient_id=user.pk, event="closed_informed", params={}, subject="c", body="d", url="/x"),
            *(
                Notification(recipient_id=reader, event="closed_informed", params=shared, subject="s", body="t")
                for reader in (user.pk, other.pk, user.pk)
            ),
        ]

    theirs = Notification.objects.bulk_create(notices())
    ours = insert(notices())
    assert all(n.pk and not n._state.adding and n._state.db == "default" for n in ours)
    for mine, django in zip(ours, theirs, strict=True):
        a, b = _row(Notification, mine.pk), _row(Notification, django.pk)
        assert a.pop("created_at") >= b.pop("created_at")  # auto_now_add set as bulk_create sets it
        assert {**a, "id": None} == {**b, "id": None}
    assert insert([]) == []
    with pytest.raises(ValueError, match="new instances"):
        insert([ours[0]])


def test_a_new_instance_is_saved_with_the_signals_save_sends():
    from django.db.models.signals import post_save, pre_save

    from agreements.models import NonWorkingDay as Day

    sent = []

    def receiver(signal, sender, instance, **kwargs):
        sent.append((signal, instance.pk, kwargs.get("created"), kwargs["update_fields"], kwargs["raw"]))

    pre_save.connect(receiver, sender=Day)
    post_save.connect(receiver, sender=Day)
    try:
        day = InsertRows(Day).save_new(Day(date=dt.date(2031, 1, 2), description="Prueba"))
    finally:
        pre_save.disconnect(receiver, sender=Day)
        post_save.disconnect(receiver, sender=Day)
    assert sent == [(pre_save, None, None, None, False), (post_save, day.pk, True, None, False)]
    assert Day.objects.get(pk=day.pk).description == "Prueba"


def test_updated_columns_are_those_named_with_auto_now_and_the_signals_of_save(cases, django_assert_num_queries):
    from django.db.models.signals import post_save

    from agreements.models import Agreement

    case = cases.draft()
    before = Agreement.objects.get(pk=case.pk)
    case.title, case.counterpart_name = "Otro título", "Otra contraparte"
    update = UpdateColumns(Agreement, ("title", "updated_at"))
    sent = []

    def receiver(sender, instance, created, update_fields, **kwargs):
        sent.append((instance.pk, created, update_fields))

    post_save.connect(receiver, sender=Agreement)
    try:
        with django_assert_num_queries(1):
            update(case)
    finally:
        post_save.disconnect(receiver, sender=Agreement)
    after = Agreement.objects.get(pk=case.pk)
    assert (after.title, after.counterpart_name) == ("Otro título", before.counterpart_name)
    assert after.updated_at > before.updated_at and after.updated_at == case.updated_at  # auto_now, as save() does
    assert sent == [(case.pk, False, frozenset({"title", "updated_at"}))]
    case.pk = case.pk + 10_000
    with pytest.raises(DatabaseError, match="did not affect any rows"):
        update(case)


def test_only_djangos_own_text_preparation_is_skipped():
    """A text of a ``CharField`` or ``TextField`` is its own parameter; a field that prepares values its own way is
    prepared as Django does."""
    from django.db import models

    from portal.core.statements import _text_column

    class Upper(models.CharField):
        def get_prep_value(self, value):
            return super().get_prep_value(value).upper()

    assert _text_column(models.CharField(max_length=3)) and _text_column(models.TextField())
    assert _text_column(models.EmailField())
    assert not _text_column(Upper(max_length=3))
    assert not _text_column(models.JSONField()) and not _text_column(models.IntegerField())
